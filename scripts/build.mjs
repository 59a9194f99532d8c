// Bundles the extension, the CLI and the lazily loaded AWS module with esbuild.
//   node scripts/build.mjs [--production] [--watch]
// dist/extension.js  the extension entry (vscode external); never loads the AWS SDK at activation
// dist/cli.js        the `encprops` command line
// dist/aws.js        everything that imports @aws-sdk/*, required on first use by the two above
// dist/lsp.js        the language server (`encprops lsp --stdio`), required by that command only
// dist/wizard.js     the wizard's steps, planners and proof, required on its first run
// dist/yaml.js, dist/saxes.js, dist/containers.js: the YAML and XML parsers and the container readers and rules,
//                    required on their first file (not at activation)
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir DIR: build elsewhere than dist/ (npm run bench measures the production bundles there).
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg > 0 ? process.argv[outdirArg + 1] : 'dist';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: process.argv.includes('--quiet') ? 'warning' : 'info',
  external: ['vscode'],
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

/**
 * What the bundles load on first use only, each a bundle of its own: `require('yaml')` becomes `require('./yaml.js')`,
 * saxes likewise, and the container readers and rules (core/containers/load.ts) `./containers.js`. A workspace
 * without XML or container files never loads them.
 */
const LAZY = { yaml: './yaml.js', saxes: './saxes.js' };
const lazyYaml = {
  name: 'lazy-modules',
  setup(build) {
    build.onResolve({ filter: /^(yaml|saxes)$/ }, (args) => ({ path: LAZY[args.path], external: true }));
    build.onResolve({ filter: /^\.\/lazy$/ }, (args) =>
      args.importer.endsWith('containers/load.ts') ? { path: './containers.js', external: true } : undefined,
    );
  },
};

const configs = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir, plugins: [lazyYaml] },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir,
    banner: { js: '#!/usr/bin/env node' },
    define: { ENCPROPS_VERSION: JSON.stringify(pkg.version) },
    plugins: [lazyYaml],
  },
  { ...common, entryPoints: { aws: 'src/aws/index.ts' }, outdir },
  // The wizard, loaded on its first run (src/wizard/lazyWizard.ts): activation loads none of its steps or planners.
  { ...common, entryPoints: { wizard: 'src/wizard/configureAwsSecret.ts' }, outdir, plugins: [lazyYaml] },
  // The language server, loaded by `encprops lsp` only; the AWS module stays a bundle of its own (loaded on Verify).
  { ...common, entryPoints: { lsp: 'src/lsp/index.ts' }, outdir, plugins: [lazyYaml] },
  { ...common, stdin: { contents: "module.exports = require('yaml');", resolveDir: process.cwd() }, outfile: `${outdir}/yaml.js` },
  { ...common, stdin: { contents: "module.exports = require('saxes');", resolveDir: process.cwd() }, outfile: `${outdir}/saxes.js` },
  { ...common, entryPoints: { containers: 'src/core/containers/lazy.ts' }, outdir, plugins: [lazyYaml] },
];

if (watch) {
  for (const config of configs) {
    const ctx = await esbuild.context(config);
    await ctx.watch();
  }
  console.log('[watch] watching src/ for changes');
} else {
  await Promise.all(configs.map((config) => esbuild.build(config)));
}
