import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, waitFor, workspaceFile } from './helpers';

describe('activation and the first feature end to end', () => {
  it('activates on a bitbucket.properties file and reports broken {ENC} JSON with its exact range', async () => {
    const uri = workspaceFile('shared', 'bitbucket.properties');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.strictEqual(document.languageId, 'properties');
    const extension = await activateExtension();
    assert.ok(extension.isActive);

    const diagnostics = await diagnosticsFor(uri, (d) => d.some((x) => codeOf(x) === 'enc-json-syntax'));
    const syntax = diagnostics.find((d) => codeOf(d) === 'enc-json-syntax')!;
    assert.strictEqual(syntax.severity, vscode.DiagnosticSeverity.Error);
    // Line 12 (0-based 11): jdbc.password={ENC}{"region":"eu-west-1" "secretId":"bitbucket/db"}
    // The missing comma is reported at the second key's opening quote, column 41.
    const line = document.lineAt(syntax.range.start.line).text;
    assert.ok(line.startsWith('jdbc.password={ENC}{"region":"eu-west-1" "secretId"'), line);
    assert.deepStrictEqual([syntax.range.start.line, syntax.range.start.character, syntax.range.end.line, syntax.range.end.character], [11, 41, 11, 51]);
    assert.match(syntax.message, /comma/);
  });

  it('shows the credential item in a product file from the start, naming what a verify would use', async () => {
    const api = (await activateExtension()).exports as { inspect(): { status: () => { text: string; visible: boolean; warning: boolean } } };
    await waitFor(() => (api.inspect().status().visible ? true : undefined), 'the credential item');
    assert.deepStrictEqual(api.inspect().status(), { text: '$(key) AWS: default chain', visible: true, warning: false });
  });

  it('has not loaded the AWS SDK after activation', () => {
    const loaded = Object.keys(require.cache).filter((m) => m.includes('@aws-sdk') || m.endsWith('dist/aws.js'));
    assert.deepStrictEqual(loaded, []);
  });

  it('activates for the java-properties language id too', async () => {
    const known = await vscode.languages.getLanguages();
    const language = known.includes('java-properties') ? 'java-properties' : 'properties';
    const document = await vscode.workspace.openTextDocument({
      language,
      content: 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={ENC}{"region":\n',
    });
    const diagnostics = await diagnosticsFor(document.uri, (d) => d.length > 0);
    assert.ok(diagnostics.some((d) => codeOf(d) === 'enc-json-syntax'));
  });
});
