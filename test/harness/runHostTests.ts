/**
 * Runs test/integration inside the real extension host of code-server, opened in Chromium.
 * The workbench reports the mocha result through `codeAutomationExit` (0 passed, 1 failed); every other way a run
 * can end (no extension host, page crash, code-server exit, global timeout) counts as a failure.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as util from 'util';
import { CodeServer, ensurePrerequisites, openBrowser, removeHome, ROOT } from './codeServer';
import { filesContaining } from './leaks';
import { startTestServices } from './testServices';

/** Workbench chatter that the automation log forwards along with mocha's report. */
const WORKBENCH_NOISE =
  /^(Resolving connection token|Resolved connection token|Creating a socket|\[Service Worker\]|Ignoring fetching additional builtin extensions|ChatSessionStore|Started local extension host|Extension host)/;

const TIMEOUT_MS = Number(process.env.ENCPROPS_TEST_TIMEOUT_MS ?? 240_000);

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

async function main(): Promise<number> {
  ensurePrerequisites();
  const home = CodeServer.makeHome('encprops-it-');
  const workspace = path.join(home, 'workspace');
  copyDir(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace);
  let server: CodeServer | undefined;
  let session: Awaited<ReturnType<typeof openBrowser>> | undefined;
  const started = Date.now();
  // A local Secrets Manager and Vault, and a canary secret value that must never reach any file the run writes.
  const services = await startTestServices(home);
  const canary = services.canary;
  try {
    server = await CodeServer.start(home, {
      env: {
        ...services.env,
        ENCPROPS_TEST_WORKSPACE: workspace,
        ENCPROPS_TEST_HOME: home,
        ENCPROPS_TEST_GREP: process.env.ENCPROPS_TEST_GREP ?? '',
      },
    });
    session = await openBrowser(home);
    const { page } = session;
    const result = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        const line = util.format(...(Array.isArray(args) ? args : [args]));
        if (!WORKBENCH_NOISE.test(line)) process.stdout.write(line + '\n');
      });
      page.on('console', (msg) => {
        const text = msg.text();
        if (text.includes('No extension host found that can launch the test runner')) {
          process.stderr.write(`[harness] ${text}\n`);
          resolve(1);
        }
      });
      page.on('crash', () => {
        process.stderr.write('[harness] the page crashed\n');
        resolve(1);
      });
      server!.onExit((code) => {
        if (server!.stopping) return;
        process.stderr.write(`[harness] code-server exited early (${code})\n`);
        resolve(1);
      });
      setTimeout(() => {
        process.stderr.write(`[harness] no result within ${TIMEOUT_MS / 1000} s\n`);
        resolve(1);
      }, TIMEOUT_MS).unref();
    });
    const url = server.workbenchUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(ROOT)],
      ['extensionTestsPath', server.remoteUri(path.join(ROOT, 'out', 'test', 'integration'))],
      ['skipWelcome', 'true'],
    ]);
    await page.goto(url);
    let code = await result;
    await session.close();
    await server.stop();
    const leaks = filesContaining(home, canary);
    if (leaks.length > 0) {
      process.stderr.write(`[harness] the canary secret value was written to:\n  ${leaks.join('\n  ')}\n`);
      code = 1;
    } else {
      process.stdout.write(`[harness] canary check: the secret value appears in none of the files under the run's home\n`);
    }
    process.stdout.write(`[harness] extension host tests ${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    if (code !== 0 && process.env.ENCPROPS_KEEP_LOGS !== '1') {
      process.stderr.write(`[harness] code-server log tail:\n${server.logText.split('\n').slice(-30).join('\n')}\n`);
    }
    return code;
  } finally {
    await session?.close();
    await server?.stop();
    await services.close();
    if (process.env.ENCPROPS_KEEP_LOGS !== '1') removeHome(home);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[harness] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
