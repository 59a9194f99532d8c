/** Drives the real VS Code workbench (code-server in Chromium) the way a person does: keyboard, clicks, screen text. */
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { BrowserSession, CodeServer, ensurePrerequisites, openBrowser, removeHome, ROOT } from '../harness/codeServer';

export const RESULTS = path.join(ROOT, 'test-results');

export class Workbench {
  private constructor(
    readonly server: CodeServer,
    readonly session: BrowserSession,
    readonly workspace: string,
    readonly home: string,
  ) {}

  get page(): Page {
    return this.session.page;
  }

  /** Starts code-server with the extension under development and opens a copy of test/fixtures/workspace. */
  static async open(env: NodeJS.ProcessEnv = {}, options: { workspaceTrust?: boolean } = {}): Promise<Workbench> {
    ensurePrerequisites();
    const home = CodeServer.makeHome('encprops-ui-');
    const workspace = path.join(home, 'workspace');
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    fs.cpSync(path.join(ROOT, 'demo'), path.join(workspace, 'demo'), { recursive: true });
    const server = await CodeServer.start(home, {
      env: { AWS_CONFIG_FILE: path.join(home, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'), ...env },
      workspaceTrust: options.workspaceTrust,
      settings: { 'editor.lightbulb.enabled': 'on', 'workbench.editor.enablePreview': false },
    });
    const session = await openBrowser(home);
    const workbench = new Workbench(server, session, workspace, home);
    await session.page.goto(
      server.workbenchUrl(workspace, [
        ['extensionDevelopmentPath', server.remoteUri(ROOT)],
        ['skipWelcome', 'true'],
      ]),
    );
    await session.page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    await session.page.waitForSelector('.statusbar', { timeout: 60_000 });
    return workbench;
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.server.stop();
    removeHome(this.home);
  }

  /** Runs a command from the command palette by its label. */
  async runCommand(label: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${label}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
    await this.page.keyboard.press('Enter');
  }

  /** Opens a workspace file through Quick Open, typing its name. */
  async openFile(relativePath: string): Promise<void> {
    await this.runCommand('Go to File');
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(relativePath);
    const folder = path.posix.dirname(relativePath);
    // Wait for the search result whose description is exactly the folder (recently opened files show up first,
    // and "demo/staging/shared" also contains "shared"), then open it.
    const row = this.page
      .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relativePath) })
      .filter({ has: this.page.locator('.label-description', { hasText: new RegExp(`^${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }) });
    await row.first().waitFor();
    await row.first().click();
    await this.page
      .locator('.tab.active .label-description', { hasText: new RegExp(`^${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) })
      .or(this.page.locator('.breadcrumbs-control', { hasText: folder.split('/').pop()! }))
      .first()
      .waitFor();
    await this.page.locator('.monaco-editor .view-lines').first().waitFor();
  }

  /** Moves the cursor to a 1-based line and column with "Go to Line/Column". */
  async goTo(line: number, column: number): Promise<void> {
    await this.runCommand('Go to Line/Column');
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
  }

  /** The rows of the Problems panel, as a person reads them. */
  async problems(): Promise<string[]> {
    await this.runCommand('Problems: Focus on Problems View');
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows.first().waitFor({ timeout: 20_000 });
    return rows.allInnerTexts();
  }

  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS, { recursive: true });
    const file = path.join(RESULTS, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
