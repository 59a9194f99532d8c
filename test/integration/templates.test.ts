import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, quickFixes, waitFor, workspaceFile } from './helpers';

/** Opens a template from the workspace (in whatever mode VS Code gives it) and returns our diagnostics once there. */
async function open(name: string, ready: (d: vscode.Diagnostic[]) => boolean): Promise<{ document: vscode.TextDocument; diagnostics: vscode.Diagnostic[] }> {
  const document = await vscode.workspace.openTextDocument(workspaceFile('templates', name));
  await vscode.window.showTextDocument(document);
  return { document, diagnostics: await diagnosticsFor(document.uri, ready) };
}

const summary = (document: vscode.TextDocument, diagnostics: vscode.Diagnostic[]) =>
  diagnostics.map((d) => `${codeOf(d)}@${d.range.start.line + 1}:${document.getText(d.range)}`).sort();

describe('templates in the extension host: one per dialect', function () {
  this.timeout(60_000);

  before(activateExtension);
  afterEach(() => vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor'));

  it('Jinja2 (Ansible): the placeholder password in the else branch is templated, the branches are no duplicates', async () => {
    const { document, diagnostics } = await open('bitbucket.properties.j2', (d) => d.length > 0);
    // Highlighted as the product file it renders (the model's names and template suffixes, package.json languages).
    assert.strictEqual(document.languageId, 'properties');
    assert.deepStrictEqual(summary(document, diagnostics), ['templated-password@7:{{ bitbucket_db_password }}']);
    assert.strictEqual(diagnostics[0].severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostics[0].message, /from `bitbucket_db_password`/);
  });

  it('ERB (Chef): the XML is read past the tags, the Vault reference branch is checked, the else is templated', async () => {
    const { document, diagnostics } = await open('confluence.cfg.xml.erb', (d) => d.length > 0);
    assert.strictEqual(document.languageId, 'xml');
    assert.deepStrictEqual(summary(document, diagnostics), ['templated-password@12:<%= @db_pass %>']);
  });

  it('Puppet EPP: the parameter block and the branches are not properties', async () => {
    const { document, diagnostics } = await open('bitbucket.properties.epp', (d) => d.length > 0);
    assert.deepStrictEqual(summary(document, diagnostics), ['templated-password@10:<%= $db_password %>']);
  });

  it('Go template (Helm): a real mistake beside placeholders is reported where it is, and its quick fix edits the template', async () => {
    const { document, diagnostics } = await open('bitbucket.properties.gotmpl', (d) => d.some((x) => codeOf(x) === 'aws-unknown-key'));
    const unknown = diagnostics.find((x) => codeOf(x) === 'aws-unknown-key')!;
    assert.strictEqual(document.getText(unknown.range), '"secretID"');
    const [fix] = (await quickFixes(document.uri, unknown.range)).filter((a) => a.title.includes('secretId'));
    assert.ok(fix?.edit, 'a rename fix is offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(document.getText(), /"secretId":"\{\{ \.Values\.secretId \}\}"/);
    assert.match(document.getText(), /"region":"\{\{ \.Values\.region \}\}"/, 'the template syntax is untouched');
    await waitFor(
      () => (diagnostics.length > 0 && !vscodeDiagnostics(document).some((x) => codeOf(x) === 'aws-unknown-key') ? true : undefined),
      'the fix to clear the problem',
    );
  });

  it('shell ${VAR} (envsubst): the placeholder password of a Confluence file is templated', async () => {
    const { document, diagnostics } = await open('home-confluence.cfg.xml.template', (d) => d.length > 0);
    assert.deepStrictEqual(summary(document, diagnostics), ['templated-password@5:${ATL_JDBC_PASSWORD}']);
  });
});

describe('verifying a templated reference with typed values', function () {
  this.timeout(60_000);
  const SM = process.env.ENCPROPS_TEST_SM!;
  const CANARY = process.env.ENCPROPS_TEST_CANARY!;
  let api: { setPrompts: (p: unknown) => void };

  before(async () => {
    api = (await activateExtension()).exports as typeof api;
    const seeded = await fetch(`${SM}/__admin/seed`, {
      method: 'POST',
      body: JSON.stringify({ secrets: [{ name: 'it/templated', secretString: JSON.stringify({ password: CANARY }) }] }),
    });
    assert.strictEqual(seeded.status, 200);
  });
  after(() => api.setPrompts(undefined));

  it('asks for each templated value (naming the template’s text), checks them, verifies, and shows the result on the lens', async () => {
    const asked: string[] = [];
    api.setPrompts({
      confirm: () => Promise.resolve(true),
      secret: () => Promise.resolve(undefined),
      input: (prompt: string) => {
        asked.push(prompt);
        return Promise.resolve(prompt.includes('"region"') ? 'ap-southeast-2' : 'it/templated');
      },
    });
    const document = await vscode.workspace.openTextDocument(workspaceFile('templates', 'verify-me.properties.j2'));
    await vscode.window.showTextDocument(document);
    const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const lens = await waitFor(async () => (await lenses()).find((l) => l.command?.title === '$(shield) Verify with values…'), 'the templated lens');
    const outcome = await vscode.commands.executeCommand<{ code: string; secretId: string }>(
      lens.command!.command,
      ...((lens.command!.arguments ?? []) as unknown[]),
    );
    assert.deepStrictEqual({ code: outcome.code, secretId: outcome.secretId }, { code: 'ok', secretId: 'it/templated' });
    assert.deepStrictEqual(
      asked.map((p) => /Value of (\{\{ \w+ \}\}) in "(\w+)"/.exec(p)?.slice(1, 3).reverse().join(' ')),
      ['region {{ aws_region }}', 'secretId {{ db_secret_id }}'],
    );
    await waitFor(async () => ((await lenses()).some((l) => l.command?.title.startsWith('$(pass) Resolved')) ? true : undefined), 'the result on the lens');
    // A typed value the store's rules refuse is not sent.
    api.setPrompts({ confirm: () => Promise.resolve(true), secret: () => Promise.resolve(undefined), input: () => Promise.resolve('mars-north-1') });
    assert.strictEqual(await vscode.commands.executeCommand(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[])), undefined);
  });

  it('asks for the expression only (its value goes where it is in the secretId); a failure with typed values is no problem of the template', async () => {
    const asked: string[] = [];
    let answer = 'templated';
    api.setPrompts({
      confirm: () => Promise.resolve(true),
      secret: () => Promise.resolve(undefined),
      input: (prompt: string) => {
        asked.push(prompt);
        return Promise.resolve(answer);
      },
    });
    const document = await vscode.workspace.openTextDocument(workspaceFile('templates', 'partial-verify.properties.j2'));
    await vscode.window.showTextDocument(document);
    const lenses = () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const lens = await waitFor(async () => (await lenses()).find((l) => l.command?.title === '$(shield) Verify with values…'), 'the templated lens');
    const run = () =>
      vscode.commands.executeCommand<{ code: string; secretId: string }>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
    const ok = await run();
    assert.deepStrictEqual({ code: ok.code, secretId: ok.secretId }, { code: 'ok', secretId: 'it/templated' });
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /^Value of \{\{ env \}\} in "secretId"/);
    answer = 'missing';
    const failed = await run();
    assert.deepStrictEqual({ code: failed.code, secretId: failed.secretId }, { code: 'not-found', secretId: 'it/missing' });
    await waitFor(async () => ((await lenses()).some((l) => /Not found/.test(l.command?.title ?? '')) ? true : undefined), 'the failure on the lens');
    assert.ok(
      !vscodeDiagnostics(document).some((d) => String(typeof d.code === 'object' ? d.code.value : d.code).startsWith('verify-')),
      'no verify problem on the template line',
    );
  });
});

function vscodeDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Encrypted Properties');
}
