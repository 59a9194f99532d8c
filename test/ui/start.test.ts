import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { openBrowser, removeHome, CodeServer, ROOT } from '../harness/codeServer';

/** `npm start` end to end: the packaged .vsix in code-server, the demo workspace, "Verify secret" working, Ctrl-C. */
describe('UI: npm start', function () {
  this.timeout(240_000);
  let child: ChildProcess | undefined;
  let output = '';

  after(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  it('prints a URL where the demo opens with the packaged extension active, and Ctrl-C stops everything', async () => {
    child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: { ...process.env, ENCPROPS_PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output);
        if (m) {
          clearInterval(timer);
          resolve(m[1]);
        }
      }, 200);
      child!.once('exit', (code) => {
        clearInterval(timer);
        reject(new Error(`npm start exited with ${code}:\n${output}`));
      });
    });
    assert.match(decodeURIComponent(url), /encprops-demo-[^/]+\/demo$/);
    const home = CodeServer.makeHome('encprops-start-browser-');
    const session = await openBrowser(home);
    try {
      const page = session.page;
      await page.goto(url);
      await page.waitForSelector('.statusbar', { timeout: 60_000 });
      // A first run in a workspace with product files opens the walkthrough by itself (before the file is opened).
      await page.locator('button.getting-started-step', { hasText: '1. Create your secret' }).waitFor({ timeout: 60_000 });
      // The user closes it, to try the file first.
      await page.locator('.tab', { hasText: 'Walkthrough' }).locator('.codicon-close').click();
      await page.locator('.tab', { hasText: 'Walkthrough' }).waitFor({ state: 'detached' });
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Go to File');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Go to File' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget input').fill('shared/bitbucket.properties');
      await page
        .locator('.quick-input-list .monaco-list-row', { hasText: 'bitbucket.properties' })
        .filter({ hasText: 'shared', hasNotText: /staging|typo|arn/ })
        .first()
        .click();
      await page.locator('.codelens-decoration a', { hasText: 'Verify secret' }).first().click({ timeout: 30_000 });
      await page.locator('.codelens-decoration', { hasText: 'Resolved · key/value · /password' }).first().waitFor({ timeout: 30_000 });
      // The packaged extension validates too: the demo's typos (typo/) are in the Problems panel count.
      await page.keyboard.press('F1');
      await page.locator('.quick-input-widget input').fill('>Go to File');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Go to File' }).first().waitFor();
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget input').fill('typo/shared/bitbucket.properties');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'bitbucket.properties' }).filter({ hasText: 'typo' }).first().click();
      await page
        .locator('.statusbar-item', { hasText: /[1-9]\d*\s+\d+|\d+\s+[1-9]/ })
        .first()
        .waitFor({ timeout: 30_000 });
    } finally {
      await session.close();
      removeHome(home);
    }
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child!.once('exit', resolve));
    assert.strictEqual(code, 0, output);
    assert.match(output, /stopping code-server/);
    const port = Number(/127\.0\.0\.1:(\d+)\/\?folder/.exec(url)![1]);
    const stillListening = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      () => true,
      () => false,
    );
    assert.strictEqual(stillListening, false, 'code-server is gone after Ctrl-C');
  });
});
