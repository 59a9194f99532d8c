import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, codeOf, diagnosticsFor, diagnosticWithCode, openUntitled, quickFixes, workspaceFile } from './helpers';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const REF = 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n';

/** Writes a file into the test workspace (bytes as given) and shows it. */
async function showWorkspaceFile(content: string | Buffer, ...segments: string[]): Promise<vscode.Uri> {
  const uri = workspaceFile(...segments);
  fs.mkdirSync(vscode.Uri.joinPath(uri, '..').fsPath, { recursive: true });
  fs.writeFileSync(uri.fsPath, content);
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
  return uri;
}

describe('what the product reads, in the editor', function () {
  this.timeout(60_000);

  before(activateExtension);
  afterEach(closeActiveEditor);

  it('a non-ASCII character gets properties-non-ascii, and its quick fix writes \\uXXXX', async () => {
    const document = await openUntitled('properties', `${AWS}${REF}jdbc.user=josé\n`);
    const diagnostic = await diagnosticWithCode(document.uri, 'properties-non-ascii');
    assert.match(diagnostic.message, /reaches it as "Ã©"/);
    const actions = await quickFixes(document.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Escape as \\u00E9');
    assert.ok(fix?.edit, actions.map((a) => a.title).join(' | '));
    await vscode.workspace.applyEdit(fix.edit);
    assert.match(document.getText(), /jdbc\.user=jos\\u00E9\n/);
    await diagnosticsFor(document.uri, (d) => !d.some((x) => codeOf(x) === 'properties-non-ascii'), 'no encoding problem after the fix');
  });

  it('a byte-order mark on disk (which the editor hides) is reported as the error it causes', async () => {
    const uri = await showWorkspaceFile(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${AWS}${REF}`)]),
      'encoding',
      'shared',
      'bitbucket.properties',
    );
    assert.ok(!vscode.window.activeTextEditor!.document.getText().startsWith('\ufeff'), 'the editor hides the mark');
    const bom = await diagnosticWithCode(uri, 'properties-bom');
    assert.strictEqual(bom.severity, vscode.DiagnosticSeverity.Error);
    assert.match(bom.message, /Save the file as UTF-8 without BOM/);
  });

  it('XML well-formedness points at the stray text, with the parser’s position as related information', async () => {
    const uri = await showWorkspaceFile(
      'oops\n<jira-database-config><jdbc-datasource><password>x</password></jdbc-datasource></jira-database-config>\n',
      'encoding',
      'jira',
      'dbconfig.xml',
    );
    const d = await diagnosticWithCode(uri, 'xml-not-well-formed');
    assert.deepStrictEqual([d.range.start.line, d.range.start.character], [0, 0]);
    assert.strictEqual(d.relatedInformation?.length, 1);
    assert.deepStrictEqual([d.relatedInformation[0].location.range.start.line, d.relatedInformation[0].location.range.start.character], [1, 0]);
  });

  it("Crowd's plaintext password offers no move to AWS (Crowd accepts only the AES-only store)", async () => {
    const uri = await showWorkspaceFile(
      '<application-configuration><properties><property name="hibernate.connection.password">hunter2</property></properties></application-configuration>\n',
      'encoding',
      'crowd',
      'crowd.cfg.xml',
    );
    const d = await diagnosticWithCode(uri, 'plaintext-password');
    assert.match(d.message, /AES-only store/);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 10);
    assert.ok(!lenses.some((l) => l.command?.title.includes('Move to AWS')));
    const actions = await quickFixes(uri, d.range);
    assert.ok(!actions.some((a) => a.title.includes('AWS Secrets Manager')), actions.map((a) => a.title).join(' | '));
  });
});
