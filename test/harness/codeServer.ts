/**
 * Starts code-server (VS Code's server build, installed from npm by scripts/prereqs.sh) in a throwaway home, and
 * opens its workbench in Debian's Chromium through playwright-core. Everything started here is killed by stop().
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '../../..');
export const CODE_SERVER_VERSION = '4.100.3';
export const CODE_SERVER_BIN = path.join(ROOT, '.cache', `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function ensurePrerequisites(): void {
  const result = spawnSync('bash', [path.join(ROOT, 'scripts', 'prereqs.sh')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`scripts/prereqs.sh failed with exit code ${result.status}`);
}

export interface CodeServerOptions {
  /** Keep workspace trust on (the window opens in Restricted Mode). */
  readonly workspaceTrust?: boolean;
  /** Extra environment for code-server and its extension host. */
  readonly env?: NodeJS.ProcessEnv;
  /** User settings written before start. */
  readonly settings?: Record<string, unknown>;
  readonly log?: (line: string) => void;
}

export class CodeServer {
  private constructor(
    readonly home: string,
    readonly port: number,
    private readonly child: ChildProcess,
    private readonly output: string[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get extensionsDir(): string {
    return path.join(this.home, 'extensions');
  }

  get userDataDir(): string {
    return path.join(this.home, 'user-data');
  }

  get logText(): string {
    return this.output.join('');
  }

  static baseEnv(home: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      HOME: home,
      TMPDIR: home,
      XDG_CONFIG_HOME: path.join(home, 'xdg'),
      XDG_DATA_HOME: path.join(home, 'xdg'),
      EXTENSIONS_GALLERY: '{}',
    };
  }

  static args(home: string): string[] {
    return [
      '--auth',
      'none',
      '--config',
      path.join(home, 'config.yaml'),
      '--user-data-dir',
      path.join(home, 'user-data'),
      '--extensions-dir',
      path.join(home, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ];
  }

  static makeHome(prefix = 'encprops-'): string {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fs.mkdirSync(path.join(home, 'xdg'), { recursive: true });
    fs.writeFileSync(path.join(home, 'config.yaml'), 'auth: none\n');
    return home;
  }

  /** Installs a .vsix into this server's extensions folder (offline). */
  static installVsix(home: string, vsix: string): void {
    const r = spawnSync(CODE_SERVER_BIN, [...CodeServer.args(home), '--install-extension', vsix], {
      env: CodeServer.baseEnv(home),
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`installing ${vsix} failed:\n${r.stdout}\n${r.stderr}`);
  }

  static async start(home: string, options: CodeServerOptions = {}, bindPort = 0): Promise<CodeServer> {
    if (!fs.existsSync(CODE_SERVER_BIN)) throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}; run scripts/prereqs.sh`);
    const userDir = path.join(home, 'user-data', 'User');
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(
      path.join(userDir, 'settings.json'),
      JSON.stringify(
        {
          'workbench.startupEditor': 'none',
          'workbench.tips.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'update.mode': 'none',
          'extensions.autoCheckUpdates': false,
          'extensions.autoUpdate': false,
          'security.workspace.trust.startupPrompt': 'never',
          'window.restoreWindows': 'none',
          // Tests that do not test it keep the first-run walkthrough from taking the editor.
          'encryptedProperties.walkthrough.openOnFirstRun': false,
          ...options.settings,
        },
        null,
        2,
      ),
    );
    const args = [...CodeServer.args(home), '--bind-addr', `127.0.0.1:${bindPort}`];
    if (!options.workspaceTrust) args.push('--disable-workspace-trust');
    const child = spawn(CODE_SERVER_BIN, args, {
      env: { ...CodeServer.baseEnv(home), ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`code-server did not start within 60 s:\n${output.join('')}`)), 60_000);
      const onData = (chunk: Buffer) => {
        const text = chunk.toString();
        output.push(text);
        options.log?.(text);
        const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output.join(''));
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`code-server exited with ${code} before listening:\n${output.join('')}`));
      });
    });
    return new CodeServer(home, port, child, output);
  }

  onExit(listener: (code: number | null) => void): void {
    this.child.once('exit', listener);
  }

  /** Kills code-server's whole process group (the server, its extension hosts, their children). */
  stopping = false;

  async stop(): Promise<void> {
    this.stopping = true;
    const pid = this.child.pid;
    if (pid === undefined || this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 5000));
    if ((await Promise.race([exited, timeout])) === 'timeout') {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** A vscode-remote URI for a path on this machine, as the web workbench needs for the test payload. */
  remoteUri(absPath: string): string {
    return `vscode-remote://127.0.0.1:${this.port}${absPath.split(path.sep).join('/')}`;
  }

  workbenchUrl(folder: string, payload?: Array<[string, string]>): string {
    let url = `${this.url}/?folder=${encodeURIComponent(folder)}`;
    if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return url;
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

export async function openBrowser(home: string, viewport = { width: 1400, height: 900 }): Promise<BrowserSession> {
  const { chromium } = await import('playwright-core');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; run scripts/prereqs.sh (apt-get install chromium)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    env: { ...process.env, HOME: home },
  });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  return {
    browser,
    context,
    page,
    close: async () => {
      await browser.close().catch(() => undefined);
    },
  };
}

export function removeHome(home: string): void {
  fs.rmSync(home, { recursive: true, force: true, maxRetries: 3 });
}
