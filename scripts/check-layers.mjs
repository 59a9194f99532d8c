// The layers of src/, declared once, and the check that every import points down or sideways (never up), type
// imports included. Run by `npm run lint` (and so by `npm test`); exits 1 with each offending import.
//
// A path matches the first rule whose prefix it starts with (longest prefixes first within the table). A file may
// import files of its own layer or of any lower layer; "sideways" within a layer is allowed where no cycle forms
// (dpdm checks cycles, type imports included).
import { readFileSync, readdirSync, statSync } from 'fs';
import { dirname, join, normalize, relative } from 'path';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..');

/** Lowest first. Each entry: a layer name and the path prefixes (relative to src/) it holds. */
export const LAYERS = [
  ['text', ['core/text/', 'core/util/', 'core/diagnostics.ts', 'core/codes.ts', 'core/templates/', 'core/regions/', 'core/awsConfig/']],
  ['model', ['core/model/']],
  ['stores', ['core/stores/']],
  [
    'readers',
    [
      'core/properties/reader.ts',
      'core/properties/readerTypes.ts',
      'core/properties/lineConverter.ts',
      'core/properties/springBoot.ts',
      'core/xml/xmlReader.ts',
      'core/containers/yamlScalar.ts',
      'core/containers/envFile.ts',
      'core/containers/containers.ts',
      'core/containers/yamlParts.ts',
      'core/containers/yamlLib.ts',
      'core/containers/yamlStyle.ts',
    ],
  ],
  ['rules', ['core/rules/']],
  ['product', ['core/product/']],
  ['formats', ['core/properties/', 'core/xml/', 'core/containers/', 'core/analyzeFile.ts']],
  ['features', ['core/verify/', 'core/edits/', 'core/language/']],
  ['engine', ['core/engine/']],
  ['edges', ['aws/', 'vault/', 'files/']],
  [
    'adapters',
    ['cli/', 'cli.ts', 'util/', 'documents/', 'languageFeatures/', 'commands/', 'verify/', 'wizard/', 'walkthrough/', 'lsp/', 'standalone/', 'extension.ts'],
  ],
];

/** The adapters that run without VS Code; the other adapters are VS Code's, which the CLI must not reach. */
const WITHOUT_VSCODE = ['cli/', 'cli.ts', 'lsp/', 'standalone/'];
const VSCODE_ADAPTERS = LAYERS.find(([name]) => name === 'adapters')[1].filter((prefix) => !WITHOUT_VSCODE.includes(prefix));

function layerOf(rel) {
  let best;
  LAYERS.forEach(([name, prefixes], index) => {
    for (const prefix of prefixes) {
      if (rel.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { name, index, prefix };
    }
  });
  return best;
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)'(\.[^']*)'/gm;

const src = join(ROOT, 'src');
const problems = [];
let files = 0;
for (const file of walk(src)) {
  files++;
  const rel = relative(src, file);
  const from = layerOf(rel);
  if (!from) {
    problems.push(`${rel}: in no layer (add it to scripts/check-layers.mjs)`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(IMPORT)) {
    let target = relative(src, normalize(join(dirname(file), m[1])));
    if (!/\.(ts|json)$/.test(target)) {
      try {
        target = statSync(join(src, target)).isDirectory() ? `${target}/index.ts` : `${target}.ts`;
      } catch {
        target = `${target}.ts`;
      }
    }
    const to = layerOf(target);
    if (!to) continue; // outside src/ (package.json) or a JSON table
    if (to.index > from.index) problems.push(`${rel} (${from.name}) imports ${target} (${to.name}): an arrow up`);
    const cli = rel.startsWith('cli/') || rel === 'cli.ts';
    if (cli && VSCODE_ADAPTERS.some((p) => target.startsWith(p))) problems.push(`${rel} (the CLI) imports ${target}, a VS Code adapter`);
  }
}
if (problems.length > 0) {
  console.error(`check-layers: ${problems.length} import(s) against the layers:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-layers: ${files} files, every import points down or sideways (${LAYERS.map(([n]) => n).join(' < ')})`);
