/**
 * The language server in a real editor: Debian's Neovim (0.7, installed by scripts/prereqs.sh) headless, with its own
 * LSP client (`vim.lsp.start_client`, `vim.lsp.buf_attach_client`), opens a bitbucket.properties with a typo, reads
 * the diagnostics, applies the quick fix, saves, and the file on disk is fixed. The Lua side is
 * test/neovim/fixTypo.lua; it reports what it saw as JSON.
 */
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');
const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

interface NeovimReport {
  error?: string;
  client: boolean;
  steps: { diagnostics: boolean; cleared: boolean; stopped: boolean };
  diagnostics: Array<{ lnum: number; col: number; severity: number; message: string; source: string }>;
  codes: string[];
  actions: string[];
  hover?: string;
}

describe('language server in Neovim (headless)', function () {
  this.timeout(90_000);
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-nvim-'));
  });

  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the typo, applies the quick fix, and the saved file is fixed', async () => {
    const file = path.join(dir, 'bitbucket.properties');
    fs.writeFileSync(file, `${AWS}jdbc.password={ENC}{"regoin":"ap-southeast-2","secretId":"mySecretId","secretPointer":"/password"}\n`);
    const out = path.join(dir, 'report.json');
    const child = spawn(
      'nvim',
      ['--headless', '--clean', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${path.join(ROOT, 'test', 'neovim', 'fixTypo.lua')}`, 'bitbucket.properties'],
      {
        cwd: dir,
        env: { ...process.env, ENCPROPS_NVIM_OUT: out, ENCPROPS_NODE: process.execPath, ENCPROPS_CLI: path.join(ROOT, 'dist', 'cli.js') },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', resolve);
    });
    assert.strictEqual(code, 0, `nvim exited ${code}: ${stderr}`);
    const report = JSON.parse(fs.readFileSync(out, 'utf8')) as NeovimReport;
    assert.strictEqual(report.error, undefined);
    assert.deepStrictEqual(report.steps, { diagnostics: true, cleared: true, stopped: true });
    assert.deepStrictEqual(
      report.diagnostics.map((d) => [d.lnum, d.col, d.severity, d.source]),
      [[1, 20, 1, 'Encrypted Properties']],
    );
    assert.match(report.diagnostics[0].message, /Did you mean "region"\?/);
    assert.deepStrictEqual(report.codes, ['aws-unknown-key']);
    assert.deepStrictEqual(report.actions, ['Rename "regoin" to "region"']);
    assert.match(report.hover ?? '', /AWS Secrets Manager/);
    assert.strictEqual(
      fs.readFileSync(file, 'utf8'),
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"mySecretId","secretPointer":"/password"}\n`,
    );
  });
});
