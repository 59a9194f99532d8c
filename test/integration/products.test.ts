import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, quickFixes, waitFor, workspaceFile } from './helpers';

const SM = process.env.ENCPROPS_TEST_SM!;

/** An untitled Bitbucket file whose password is a Vault reference to `path` on the local Vault. */
function vaultReference(endpoint: string, path: string): Thenable<vscode.TextDocument> {
  return vscode.workspace.openTextDocument({
    language: 'properties',
    content:
      'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\n' +
      `jdbc.password={ENC}{"mount":"secret","path":"${path}","key":"password","endpoint":"${endpoint}"}\n`,
  });
}

describe('Jira, Confluence, Bamboo and Crowd files in the extension host', function () {
  this.timeout(60_000);

  before(async () => {
    await activateExtension();
    await fetch(`${SM}/__admin/seed`, {
      method: 'POST',
      body: JSON.stringify({ secrets: [{ name: 'jira/db', secretString: JSON.stringify({ password: 'jira-pass' }) }] }),
    });
  });

  async function problems(...segments: string[]): Promise<string[]> {
    const uri = workspaceFile(...segments);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.strictEqual(document.languageId, 'xml');
    return (await diagnosticsFor(uri, (d) => d.length > 0)).map(codeOf).sort();
  }

  it('Jira dbconfig.xml: AWS rules apply, and Verify secret works on the <password> element', async () => {
    assert.deepStrictEqual(await problems('jira', 'dbconfig.xml'), ['aws-pointer-no-slash']);
    const uri = workspaceFile('jira', 'dbconfig.xml');
    const [lens] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    assert.strictEqual(lens.command?.title, '$(shield) Verify secret');
    await vscode.commands.executeCommand(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
    await waitFor(async () => {
      const [l] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
      return l.command?.title.startsWith('$(pass) Resolved · key/value · /password · ') ? true : undefined;
    }, 'the resolved lens on dbconfig.xml');
  });

  it('Confluence confluence.cfg.xml: Vault rules (mount ending in /data) with a quick fix', async () => {
    assert.deepStrictEqual(await problems('confluence', 'confluence.cfg.xml'), ['vault-mount-data']);
    const uri = workspaceFile('confluence', 'confluence.cfg.xml');
    const [d] = vscode.languages.getDiagnostics(uri).filter((x) => codeOf(x) === 'vault-mount-data');
    const actions = await quickFixes(uri, d.range);
    const fix = actions.find((a) => a.title === 'Change mount to "secret"');
    assert.ok(fix?.edit);
    await vscode.workspace.applyEdit(fix.edit);
    await diagnosticsFor(uri, (ds) => ds.length === 0, 'no problems after the fix');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('Bamboo bamboo.cfg.xml: a plaintext password is reported', async () => {
    assert.deepStrictEqual(await problems('bamboo', 'bamboo.cfg.xml'), ['plaintext-password']);
  });

  it('Crowd crowd.cfg.xml: only the AES-only store is accepted', async () => {
    assert.deepStrictEqual(await problems('crowd', 'crowd.cfg.xml'), ['crowd-store-not-allowed']);
  });

  it('leaves other XML files alone', async () => {
    const document = await vscode.workspace.openTextDocument({ language: 'xml', content: '<beans><bean id="x"/></beans>' });
    await new Promise((r) => setTimeout(r, 500));
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Encrypted Properties'),
      [],
    );
  });

  it('verifies a HashiCorp Vault reference against a local Vault, with consent for its endpoint', async () => {
    const VAULT = process.env.ENCPROPS_TEST_VAULT!;
    await fetch(`${VAULT}/__admin/put`, {
      method: 'POST',
      body: JSON.stringify({ mount: 'secret', path: 'confluence/db', data: { password: 'conf-pass-1' } }),
    });
    const api = (await activateExtension()).exports as { setPrompts(p: unknown): void };
    const asked: string[] = [];
    api.setPrompts({ confirm: (m: string) => Promise.resolve((asked.push(m), true)), secret: () => Promise.resolve(undefined) });
    try {
      const document = await vaultReference(VAULT, 'confluence/db');
      const ok = await vscode.commands.executeCommand<{
        code: string;
        valueLength: number;
      }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
      assert.strictEqual(ok.code, 'ok');
      assert.strictEqual(ok.valueLength, 11);
      assert.ok(
        asked.some((m) => m.includes(new URL(VAULT).host)),
        'asked before sending the token to a non-AWS host',
      );
      const [lens] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
      assert.match(lens.command?.title ?? '', /^\$\(pass\) Resolved · Vault KV v2 · key password · \d\d:\d\d$/);
      const missing = await vaultReference(VAULT, 'confluence/nope');
      const r = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', missing.uri, 'jdbc.password');
      assert.strictEqual(r.code, 'vault-path-missing');
      await diagnosticsFor(missing.uri, (d) => d.some((x) => codeOf(x) === 'verify-vault-path-missing'));
    } finally {
      api.setPrompts(undefined);
    }
  });

  it('without SECRET_STORE_VAULT_TOKEN, asks for a token once and keeps it in SecretStorage', async () => {
    const VAULT = process.env.ENCPROPS_TEST_VAULT!;
    const saved = process.env.SECRET_STORE_VAULT_TOKEN;
    delete process.env.SECRET_STORE_VAULT_TOKEN;
    const api = (await activateExtension()).exports as { setPrompts(p: unknown): void };
    let asked = 0;
    api.setPrompts({ confirm: () => Promise.resolve(true), secret: () => Promise.resolve((asked++, 'root-token')) });
    try {
      const document = await vaultReference(VAULT, 'confluence/db');
      for (let i = 0; i < 2; i++) {
        const r = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
        assert.strictEqual(r.code, 'ok');
      }
      assert.strictEqual(asked, 1, 'the token was asked for once, then taken from SecretStorage');
      const settings = JSON.stringify(vscode.workspace.getConfiguration('encryptedProperties'));
      assert.ok(!settings.includes('root-token'), 'never in settings');
    } finally {
      if (saved !== undefined) process.env.SECRET_STORE_VAULT_TOKEN = saved;
      api.setPrompts(undefined);
    }
  });
});
