import * as assert from 'assert';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, diagnosticsFor, diagnosticWithCode, openUntitled, ourDiagnostics, quickFixes, waitFor } from './helpers';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

const untitled = (content: string): Promise<vscode.TextDocument> => openUntitled('properties', content);

describe('editor features in the extension host', () => {
  before(async () => {
    await activateExtension();
  });

  afterEach(closeActiveEditor);

  it('offers a preferred quick fix linked to the diagnostic, and applying it clears the problem', async () => {
    const document = await untitled(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretID":"bitbucket/db"}\n`);
    const diagnostic = await diagnosticWithCode(document.uri, 'aws-unknown-key');
    const actions = await quickFixes(document.uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Rename "secretID" to "secretId"');
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.strictEqual(fix.isPreferred, true);
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.strictEqual(document.lineAt(1).text, 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"bitbucket/db"}');
    await diagnosticsFor(document.uri, (d) => d.length === 0, 'no diagnostics after the fix');
    // The edit is undoable like any other.
    await vscode.commands.executeCommand('undo');
    assert.ok(document.getText().includes('"secretID"'));
  });

  it('source.fixAll applies every preferred fix at once', async () => {
    const document = await untitled('jdbc.password={ENC}{"region":"ap-southeast-22","secretID":"db","secretPointer":"password"}\n');
    await diagnosticsFor(document.uri, (d) => d.length >= 4);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      new vscode.Range(0, 0, 0, 0),
      vscode.CodeActionKind.SourceFixAll.value,
    );
    const fixAll = actions.find((a) => a.kind?.value.startsWith('source.fixAll'));
    assert.ok(fixAll?.edit, 'a fix-all action');
    await vscode.workspace.applyEdit(fixAll.edit);
    assert.strictEqual(document.getText(), `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"db","secretPointer":"/password"}\n`);
    await diagnosticsFor(document.uri, (d) => d.length === 0, 'no diagnostics after fix all');
  });

  it('re-validates after edits (debounced) and clears diagnostics when validation is turned off', async () => {
    const document = await untitled(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n`);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepStrictEqual(ourDiagnostics(document.uri), []);
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((e) => e.replace(new vscode.Range(1, 30, 1, 39), 'eu-wset-1'));
    await diagnosticsFor(document.uri, (d) => d.some((x) => x.message.includes('eu-wset-1')));
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    await config.update('validate.enable', false, vscode.ConfigurationTarget.Global);
    try {
      await diagnosticsFor(document.uri, (d) => d.length === 0, 'diagnostics cleared');
    } finally {
      await config.update('validate.enable', undefined, vscode.ConfigurationTarget.Global);
    }
    await diagnosticsFor(document.uri, (d) => d.length > 0, 'diagnostics back');
  });

  it('shows hovers for keys, regions and class names', async () => {
    const document = await untitled(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"db"}\n`);
    const hoverText = async (line: number, character: number) => {
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(line, character));
      return hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
        .join('\n');
    };
    assert.match(await hoverText(1, 34), /Asia Pacific \(Sydney\)/);
    assert.match(await hoverText(1, 22), /\*\*region\*\* \(required\)/);
    assert.match(await hoverText(0, 60), /AWS Secrets Manager/);
  });

  it('completes regions with their names inside {ENC}{…}', async () => {
    const document = await untitled(`${AWS}jdbc.password={ENC}{"region":"ap-s","secretId":"db"}\n`);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, new vscode.Position(1, 34));
    const sydney = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'ap-southeast-2');
    assert.ok(sydney, 'ap-southeast-2 offered');
    assert.strictEqual(typeof sydney.label === 'string' ? undefined : sydney.label.description, 'Asia Pacific (Sydney)');
  });

  it('clears diagnostics when the document is closed', async () => {
    const document = await untitled('jdbc.password={ENC}{\n');
    await diagnosticsFor(document.uri, (d) => d.length > 0);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor(() => (ourDiagnostics(document.uri).length === 0 ? true : undefined), 'diagnostics cleared on close');
    await untitled('');
  });
});
