// Bundles the extension, the CLI and the lazily loaded AWS module with esbuild.
//   node scripts/build.mjs [--production] [--watch]
// dist/extension.js  the extension entry (vscode external); never loads the AWS SDK at activation
// dist/cli.js        the `encprops` command line
// dist/aws.js        everything that imports @aws-sdk/*, required on first use by the two above
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  legalComments: 'none',
  logLevel: 'info',
  external: ['vscode'],
  // jsonc-parser's UMD build hides its requires from the bundler; its ESM build bundles cleanly.
  mainFields: ['module', 'main'],
};

const configs = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' },
  {
    ...common,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
    define: { ENCPROPS_VERSION: JSON.stringify(pkg.version) },
  },
  { ...common, entryPoints: { aws: 'src/aws/index.ts' }, outdir: 'dist' },
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
