/**
 * The extension's main bundle, minified as it ships: its size (budget 200 KiB), and what loading it costs and loads.
 * The parsers (yaml, saxes), the container rules and the AWS SDK are bundles of their own, loaded on first use: a
 * workspace without such files never pays for them.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
export const BUNDLE_BUDGET_KIB = 200;

/** In a child: require the bundle with a stand-in for the vscode module (only loading is measured, not behaviour). */
const LOADER = `
const Module = require('module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
const stub = () => new Proxy(function () {}, { get: (_t, p) => (p === Symbol.toPrimitive ? () => '' : stub()), construct: () => stub(), apply: () => stub() });
// The bundle's CommonJS interop copies the module's own properties onto an object with the module's prototype: every
// name then comes from the prototype.
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: Object.create(stub()) };
const started = process.hrtime.bigint();
require(process.argv[1]);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
const loaded = Object.keys(require.cache).map((f) => require('path').basename(f)).filter((f) => /^(yaml|saxes|containers|aws|wizard)\\.js$/.test(f));
console.log(JSON.stringify({ ms, loaded }));
`;

export interface BundleBenchResult {
  readonly kib: number;
  readonly loadMs: number;
  /** The lazy bundles that loading the main one pulled in (should be none). */
  readonly loadedLazy: readonly string[];
  readonly lazyKib: Readonly<Record<string, number>>;
}

export function runBundleBench(): { result: BundleBenchResult; failures: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-bundle-'));
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.mjs'), '--production', '--quiet', '--outdir', dir], { cwd: ROOT, stdio: 'inherit' });
    const kib = fs.statSync(path.join(dir, 'extension.js')).size / 1024;
    const lazyKib = Object.fromEntries(['yaml', 'saxes', 'containers', 'aws', 'wizard'].map((n) => [n, fs.statSync(path.join(dir, `${n}.js`)).size / 1024]));
    const runs = [0, 1, 2].map(() => {
      const r = spawnSync(process.execPath, ['-e', LOADER, path.join(dir, 'extension.js')], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`loading the bundle failed: ${r.stderr}`);
      return JSON.parse(r.stdout) as { ms: number; loaded: string[] };
    });
    const loadMs = Math.min(...runs.map((r) => r.ms));
    const loadedLazy = runs[0].loaded;
    const failures: string[] = [];
    if (kib > BUNDLE_BUDGET_KIB) failures.push(`the minified extension.js is ${kib.toFixed(1)} KiB (budget ${BUNDLE_BUDGET_KIB} KiB)`);
    if (loadedLazy.length > 0) failures.push(`loading extension.js also loaded ${loadedLazy.join(', ')} (they load on first use only)`);
    return { result: { kib, loadMs, loadedLazy, lazyKib }, failures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function formatBundleBench(r: BundleBenchResult): string {
  const lazy = Object.entries(r.lazyKib)
    .map(([n, k]) => `${n}.js ${k.toFixed(1)} KiB`)
    .join(', ');
  return (
    `Bundle: the minified extension.js is ${r.kib.toFixed(1)} KiB (budget ${BUNDLE_BUDGET_KIB} KiB); loading it takes ${r.loadMs.toFixed(1)} ms ` +
    `and loads ${r.loadedLazy.length ? r.loadedLazy.join(', ') : 'none of the lazy bundles'} (on first use: ${lazy})`
  );
}
