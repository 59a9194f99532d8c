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
  static async open(env: NodeJS.ProcessEnv = {}, options: { workspaceTrust?: boolean; settings?: Record<string, unknown> } = {}): Promise<Workbench> {
    ensurePrerequisites();
    const home = CodeServer.makeHome('encprops-ui-');
    const workspace = path.join(home, 'workspace');
    fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
    fs.cpSync(path.join(ROOT, 'demo'), path.join(workspace, 'demo'), { recursive: true });
    const server = await CodeServer.start(home, {
      env: { AWS_CONFIG_FILE: path.join(home, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'), ...env },
      workspaceTrust: options.workspaceTrust,
      settings: { 'editor.lightbulb.enabled': 'on', 'workbench.editor.enablePreview': false, ...options.settings },
    });
    const session = await openBrowser(home);
    const workbench = new Workbench(server, session, workspace, home);
    await workbench.load();
    return workbench;
  }

  /** Loads (again) the workbench with the extension under development: a reload that keeps the development host. */
  async load(): Promise<void> {
    await this.page.goto(
      this.server.workbenchUrl(this.workspace, [
        ['extensionDevelopmentPath', this.server.remoteUri(ROOT)],
        ['skipWelcome', 'true'],
      ]),
    );
    await this.page.waitForSelector('.monaco-workbench .part.editor', { timeout: 60_000 });
    await this.page.waitForSelector('.statusbar', { timeout: 60_000 });
  }

  async close(): Promise<void> {
    await this.session.close();
    await this.server.stop();
    removeHome(this.home);
  }

  /** Runs a command from the command palette by its label. */
  /**
   * Runs a command from the palette. The workbench may take the focus while the palette is open (the walkthrough page
   * re-renders its ticked steps), which closes it: then it is opened again, at most three times, each attempt waiting
   * on the palette's state.
   */
  async runCommand(label: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.page.keyboard.press('F1');
        const input = this.page.locator('.quick-input-widget input');
        await input.waitFor({ state: 'visible', timeout: 10_000 });
        await input.fill(`>${label}`, { timeout: 10_000 });
        await this.page
          .locator('.quick-input-list .monaco-list-row', { hasText: label })
          .first()
          .waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 });
        await this.page.keyboard.press('Enter');
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        console.log(`      (the command palette closed before "${label}" could be run: attempt ${attempt + 1})`);
        await this.page.keyboard.press('Escape');
      }
    }
  }

  /** The quick input's title, rows and focused row, once its title contains `title`. */
  async quickInput(title: string | RegExp): Promise<{ rows: string[]; focused: string; placeholder: string }> {
    const widget = this.page.locator('.quick-input-widget');
    await widget.locator('.quick-input-title', { hasText: title }).waitFor({ timeout: 30_000 });
    await widget.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 30_000 });
    return {
      rows: await widget.locator('.quick-input-list .monaco-list-row').allInnerTexts(),
      focused: await widget.locator('.quick-input-list .monaco-list-row.focused').first().innerText(),
      placeholder: (await widget.locator('.quick-input-box input').getAttribute('placeholder')) ?? '',
    };
  }

  /** The credential item of the status bar, once its text matches. */
  async credentialItem(text: string | RegExp): Promise<string> {
    const item = this.page.locator('.statusbar-item', { hasText: text }).first();
    await item.waitFor({ timeout: 30_000 });
    return item.innerText();
  }

  /**
   * Opens a workspace file through Quick Open, typing its name. The workbench may move the focus while the list is open
   * (the walkthrough page re-renders when a step is ticked), which closes Quick Open: then it is opened again, at most
   * three times, each attempt waiting on the list's state, not on a delay.
   */
  async openFile(relativePath: string): Promise<void> {
    const folder = path.posix.dirname(relativePath);
    const inFolder = new RegExp(`^${folder.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.runCommand('Go to File');
        const input = this.page.locator('.quick-input-widget input');
        await input.fill(relativePath, { timeout: 10_000 });
        // Wait for the search result whose description is exactly the folder (recently opened files show up first,
        // and "demo/staging/shared" also contains "shared"), then open it.
        const row = this.page
          .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relativePath) })
          .filter({ has: this.page.locator('.label-description', { hasText: inFolder }) });
        await row.first().waitFor({ timeout: attempt < 3 ? 10_000 : 30_000 });
        await row.first().click({ timeout: attempt < 3 ? 10_000 : 30_000 });
        break;
      } catch (error) {
        if (attempt >= 3) throw error;
        console.log(`      (Quick Open closed before ${relativePath} could be picked: attempt ${attempt + 1})`);
        await this.page.keyboard.press('Escape');
      }
    }
    await this.page
      .locator('.tab.active .label-description', { hasText: inFolder })
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
