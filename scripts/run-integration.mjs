// npm run test:integration — runs test/integration inside code-server's real extension host (see test/harness/).
// Expects `npm run typecheck` (tsc → out/) and `npm run build` (esbuild → dist/) to have run.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

for (const needed of ['out/test/harness/runHostTests.js', 'dist/extension.js']) {
  if (!existsSync(needed)) {
    console.error(`[integration] ${needed} is missing: run "npm run typecheck && npm run build" first`);
    process.exit(2);
  }
}
const r = spawnSync(process.execPath, ['out/test/harness/runHostTests.js'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
