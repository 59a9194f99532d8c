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
    assert.notStrictEqual(document.languageId, 'properties', 'a template keeps the mode its extension gives it');
    assert.deepStrictEqual(summary(document, diagnostics), ['templated-password@7:{{ bitbucket_db_password }}']);
    assert.strictEqual(diagnostics[0].severity, vscode.DiagnosticSeverity.Information);
    assert.match(diagnostics[0].message, /from `bitbucket_db_password`/);
  });

  it('ERB (Chef): the XML is read past the tags, the Vault reference branch is checked, the else is templated', async () => {
    const { document, diagnostics } = await open('confluence.cfg.xml.erb', (d) => d.length > 0);
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

function vscodeDiagnostics(document: vscode.TextDocument): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'Encrypted Properties');
}
