import * as assert from 'assert';
import { parseDocument } from 'yaml';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, diagnosticWithCode, quickFixes, workspaceFile } from './helpers';

const SM = process.env.ENCPROPS_TEST_SM!;

async function admin(p: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${SM}/__admin/${p}`, { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

describe('container deployments in the editor (Compose, env file, Kubernetes)', function () {
  this.timeout(60_000);

  before(async () => {
    await activateExtension();
    await admin('seed', { secrets: [{ name: 'it/compose-db', secretString: JSON.stringify({ password: 'compose-secret-not-shown' }) }] });
  });

  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('Compose: a finding inside a double-quoted YAML string lands on its characters, and its fix writes YAML that reads back', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('containers', 'docker-compose.yml'));
    await vscode.window.showTextDocument(document);
    const region = await diagnosticWithCode(document.uri, 'aws-region-unknown');
    assert.strictEqual(document.getText(region.range), '\\"ap-sotheast-2\\"');
    const fix = (await quickFixes(document.uri, region.range)).find((a) => a.isPreferred);
    assert.ok(fix?.edit, 'a preferred fix');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const value = parseDocument(document.getText()).getIn(['services', 'jira', 'environment', 'ATL_JDBC_PASSWORD']) as string;
    assert.deepStrictEqual(JSON.parse(value), { region: 'ap-southeast-2', secretId: 'it/compose-db', secretPointer: '/password' });
    await diagnosticsFor(document.uri, (d) => !d.some((x) => codeOf(x) === 'aws-region-unknown'), 'the fixed file');
    await vscode.commands.executeCommand('undo');
  });

  it('Compose: the Verify secret lens resolves the password variable against the local Secrets Manager', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('containers', 'docker-compose.yml'));
    await vscode.window.showTextDocument(document);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    const verify = lenses.find(
      (l) => l.command?.command === 'encryptedProperties.verifySecret' && document.lineAt(l.range.start.line).text.includes("- 'ATL_JDBC_PASSWORD="),
    );
    assert.ok(verify?.command, `a Verify secret lens on the list entry: ${lenses.map((l) => l.command?.title).join(' | ')}`);
    const outcome = await vscode.commands.executeCommand<{ code: string; message: string }>(
      verify.command.command,
      ...((verify.command.arguments ?? []) as unknown[]),
    );
    assert.strictEqual(outcome.code, 'ok', outcome.message);
    assert.ok(!outcome.message.includes('compose-secret-not-shown'));
  });

  it('Compose: two services that set the same variable each keep their own verify result on their own lens', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('containers', 'two-services-compose.yml'));
    await vscode.window.showTextDocument(document);
    const verifyLenses = async () =>
      (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10))
        .filter((l) => l.command?.command === 'encryptedProperties.verifySecret')
        .sort((a, b) => a.range.start.line - b.range.start.line);
    const [jira, confluence] = await verifyLenses();
    assert.ok(jira?.command && confluence?.command, 'a lens on each service');
    const run = (lens: vscode.CodeLens) =>
      vscode.commands.executeCommand<{ code: string }>(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
    assert.strictEqual((await run(jira)).code, 'ok');
    assert.strictEqual((await run(confluence)).code, 'not-found');
    const titles = (await verifyLenses()).map((l) => l.command?.title ?? '');
    assert.match(titles[0], /Resolved/, titles.join(' | '));
    assert.doesNotMatch(titles[1], /Resolved/, titles.join(' | '));
    // Verifying Jira again changes Jira's lens only.
    assert.strictEqual((await run(jira)).code, 'ok');
    assert.doesNotMatch((await verifyLenses())[1].command?.title ?? '', /Resolved/);
  });

  it('Compose: a plaintext password offers the Move to AWS quick fix, as the lens does', async () => {
    const document = await vscode.workspace.openTextDocument(workspaceFile('containers', 'wizard-compose.yml'));
    await vscode.window.showTextDocument(document);
    const plaintext = await diagnosticWithCode(document.uri, 'plaintext-password');
    const actions = await quickFixes(document.uri, plaintext.range);
    const move = actions.find((a) => a.command?.command === 'encryptedProperties.configureAwsSecret');
    assert.ok(move, `the quick fix: ${actions.map((a) => a.title).join(' | ')}`);
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 10);
    assert.ok(lenses.some((l) => l.command?.command === 'encryptedProperties.configureAwsSecret'));
  });

  it('Helm values: the store rules in a double-quoted value, with the hover on its key', async () => {
    const values = await vscode.workspace.openTextDocument(workspaceFile('containers', 'values-bitbucket.yaml'));
    await vscode.window.showTextDocument(values);
    const pointer = await diagnosticWithCode(values.uri, 'aws-pointer-no-slash');
    assert.strictEqual(values.getText(pointer.range), '\\"password\\"');
    const at = values.getText().indexOf('secretPointer');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', values.uri, values.positionAt(at + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    assert.match(text, /secretPointer/);
  });

  it('env file and Kubernetes manifest: the container rules and the store rules', async () => {
    const env = await vscode.workspace.openTextDocument(workspaceFile('containers', 'jira.env'));
    const enc = await diagnosticWithCode(env.uri, 'container-enc-in-password');
    assert.strictEqual(env.getText(enc.range), '{ENC}');
    const k8s = await vscode.workspace.openTextDocument(workspaceFile('containers', 'bitbucket-deployment.yaml'));
    const unknown = await diagnosticWithCode(k8s.uri, 'aws-unknown-key');
    assert.strictEqual(k8s.getText(unknown.range), '"secretID"');
  });
});
