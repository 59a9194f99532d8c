import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, closeActiveEditor, codeOf, diagnosticsFor, diagnosticWithCode, openUntitled, quickFixes, waitFor } from './helpers';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const SM = process.env.ENCPROPS_TEST_SM!;
const CANARY = process.env.ENCPROPS_TEST_CANARY!;

interface TestApi {
  setPrompts: (
    p:
      | {
          confirm(message: string, detail: string, action: string): Promise<boolean>;
          pick?(title: string, items: readonly { label: string; description?: string }[]): Promise<string | undefined>;
        }
      | undefined,
  ) => void;
  inspect(): {
    results: { onDidChange: vscode.Event<vscode.Uri>; onDidChangeRunning: vscode.Event<vscode.Uri> };
    held: readonly unknown[];
    status: () => { text: string; visible: boolean; warning: boolean };
  };
}

/** Every string reachable from the values: own properties (enumerable or not), Map and Set entries, array items. */
function reachableStrings(roots: readonly unknown[]): string[] {
  const seen = new Set<unknown>();
  const out: string[] = [];
  const stack = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value === 'string') out.push(value);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value)) continue;
    seen.add(value);
    if (value instanceof Map) for (const [k, v] of value) stack.push(k, v);
    else if (value instanceof Set) for (const v of value) stack.push(v);
    for (const name of Object.getOwnPropertyNames(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, name);
      if (descriptor && 'value' in descriptor) stack.push(descriptor.value);
    }
  }
  return out;
}

async function admin(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${SM}/__admin/${path}`, { method: 'POST', body: JSON.stringify(body) });
  assert.strictEqual(response.status, 200);
  return response.json();
}

async function lenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100)) ?? [];
}

async function lensTitles(document: vscode.TextDocument): Promise<string[]> {
  return (await lenses(document)).map((l) => l.command?.title ?? '');
}

describe('verify secret in the extension host (local Secrets Manager, real SDK)', function () {
  this.timeout(60_000);
  let api: TestApi;
  const prompts: string[] = [];

  before(async () => {
    assert.ok(SM && CANARY, 'the harness provides a local Secrets Manager and a canary');
    api = (await activateExtension()).exports as TestApi;
    assert.ok(api?.setPrompts, 'the test API is available in test mode');
    api.setPrompts({
      confirm: (message) => {
        prompts.push(message);
        return Promise.resolve(!message.includes('DECLINE'));
      },
      pick: (title, items) => {
        prompts.push(title);
        return Promise.resolve(pickAnswer(title, items));
      },
    });
    await admin('seed', {
      secrets: [
        { name: 'it/plain', secretString: CANARY },
        { name: 'it/kv', secretString: JSON.stringify({ password: CANARY, user: 'bitbucket' }), rotationEnabled: true },
        { name: 'it/binary', secretBinary: Buffer.from(CANARY).toString('base64') },
        { name: 'it/denied', secretString: CANARY, denyAccess: true },
        { name: 'it/in-ireland', secretString: CANARY, region: 'eu-west-1' },
      ],
    });
  });

  after(() => api?.setPrompts(undefined));
  let pickAnswer: (title: string, items: readonly { label: string }[]) => string | undefined = () => undefined;

  afterEach(closeActiveEditor);

  const open = (content: string): Promise<vscode.TextDocument> => openUntitled('properties', content);

  it('shows "Verify secret" lenses without sending anything, and the result in place after a click', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/password"}\n`);
    const calls = (await admin('calls', {})) as Record<string, number>;
    const before = calls.GetSecretValue ?? 0;
    const [lens] = await lenses(document);
    assert.strictEqual(lens.command?.title, '$(shield) Verify secret');
    assert.strictEqual(lens.range.start.line, 1);
    assert.strictEqual(((await admin('calls', {})) as Record<string, number>).GetSecretValue ?? 0, before, 'computing lenses sends nothing');
    await vscode.commands.executeCommand(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
    const titles = await waitFor(async () => {
      const t = await lensTitles(document);
      return t[0]?.startsWith('$(pass)') ? t : undefined;
    }, 'the result lens');
    assert.match(titles[0], new RegExp(`^\\$\\(pass\\) Resolved · key/value · /password · \\d\\d:\\d\\d$`));
    assert.ok(titles.includes('Copy value…'));
    // The rotation note is a warning in the Problems panel.
    const diagnostics = await diagnosticsFor(document.uri, (d) => d.some((x) => codeOf(x) === 'verify-rotation-enabled'));
    assert.strictEqual(diagnostics.find((x) => codeOf(x) === 'verify-rotation-enabled')!.severity, vscode.DiagnosticSeverity.Warning);
    // Editing the line drops the result.
    await vscode.window.activeTextEditor!.edit((e) => e.insert(new vscode.Position(1, document.lineAt(1).text.length), ' '));
    await waitFor(async () => ((await lensTitles(document))[0] === '$(shield) Verify secret' ? true : undefined), 'the lens to reset after an edit');
    // The AWS module was loaded on this first use, not at activation.
    assert.ok(Object.keys(require.cache).some((m) => m.endsWith('aws.js')));
  });

  it('a reference with errors gets a lens that says what stops it and selects the problem', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"regoin":"ap-southeast-2","secretId":"it/kv"}\n`);
    const lens = await waitFor(async () => (await lenses(document)).find((l) => /before verifying/.test(l.command?.title ?? '')), 'the problem lens');
    assert.strictEqual(lens.command?.title, '$(error) Fix the problem before verifying: aws-unknown-key');
    await vscode.commands.executeCommand(lens.command.command, ...((lens.command.arguments ?? []) as unknown[]));
    const selection = vscode.window.activeTextEditor!.selection;
    assert.strictEqual(document.getText(selection), '"regoin"');
  });

  it("completes a secretId with the region's secret names (names only)", async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/"}\n`);
    const line = document.lineAt(1).text;
    const at = new vscode.Position(1, line.indexOf('"it/"') + 3);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', document.uri, at);
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('it/plain') && labels.includes('it/kv'), labels.join(' | '));
    assert.ok(!labels.includes('it/in-ireland'), "only the reference region's secrets");
    const kv = list.items.find((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'it/kv')!;
    assert.strictEqual(kv.insertText, '"it/kv"');
    assert.ok(!JSON.stringify(list.items).includes(CANARY), 'names only, never values');
  });

  it('the hover shows the metadata of the last verify', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain"}\n`);
    await vscode.commands.executeCommand('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 25));
    const text = hovers
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
      .join('\n');
    // The verdict first, then the details: the ARN a link to the console, the endpoint, one local time format with its zone.
    assert.match(text, /^\$\(pass\) \*\*Resolved · plaintext\*\*/);
    assert.match(
      text,
      /\| ARN \| \[arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:it\/plain-\w+\]\(https:\/\/ap-southeast-2\.console\.aws\.amazon\.com\/secretsmanager\/secret\?name=it%2Fplain&region=ap-southeast-2\) \|/,
    );
    assert.match(text, /\| Endpoint \| https:\/\/secretsmanager\.ap-southeast-2\.amazonaws\.com \|/);
    assert.match(text, /\| Stages \| AWSCURRENT \|/);
    assert.match(text, /\| Credentials \| environment \|/);
    assert.match(text, /\| Checked \| [^|]*\b(UTC|GMT[^|]*)\b[^|]*\|/);
    assert.ok(!text.includes(CANARY));
  });

  it('verify all in file: every failure becomes a verify-<code> diagnostic', async () => {
    const document = await open(
      AWS +
        'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/pasword"}\n' +
        'plugin.a.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain","secretPointer":"/password"}\n' +
        'plugin.b.password={ENC}{"region":"ap-southeast-2","secretId":"it/binary"}\n' +
        'plugin.c.password={ENC}{"region":"ap-southeast-2","secretId":"it/denied"}\n' +
        'plugin.d.password={ENC}{"region":"ap-southeast-2","secretId":"it/missing"}\n',
    );
    const results = await vscode.commands.executeCommand<Array<{ code: string }>>('encryptedProperties.verifyAllInFile', document.uri);
    assert.deepStrictEqual(results.map((r) => r.code).sort(), ['access-denied', 'binary-secret', 'not-found', 'not-json', 'pointer-missing']);
    const diagnostics = await diagnosticsFor(document.uri, (d) => d.filter((x) => codeOf(x).startsWith('verify-')).length >= 5);
    const codes = diagnostics
      .map(codeOf)
      .filter((c) => c.startsWith('verify-') && c !== 'verify-rotation-enabled')
      .sort();
    assert.deepStrictEqual(codes, ['verify-access-denied', 'verify-binary-secret', 'verify-not-found', 'verify-not-json', 'verify-pointer-missing']);
    // not-json has its fix in the file: drop the pointer, read the whole plaintext secret.
    const notJson = diagnostics.find((x) => codeOf(x) === 'verify-not-json')!;
    const [fix] = await quickFixes(document.uri, notJson.range);
    assert.strictEqual(fix?.title, 'Remove secretPointer: read the whole (plaintext) secret');
    assert.ok(await vscode.workspace.applyEdit(fix.edit!));
    assert.strictEqual(document.lineAt(2).text, 'plugin.a.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain"}');
    const titles = await lensTitles(document);
    assert.ok(titles.includes('Copy IAM policy'), titles.join(' | '));
    const policy = await vscode.commands.executeCommand<string>('encryptedProperties.copyIamPolicy', document.uri, 'plugin.c.password');
    assert.match(policy, /"Action": "secretsmanager:GetSecretValue"/);
    assert.match(policy, /arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:it\/denied-/);
  });

  it('fixes from the secret: a missing key is picked from its keys, a name not found is looked for in the other regions', async () => {
    const document = await open(
      AWS +
        'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/pasword"}\n' +
        'plugin.e.password={ENC}{"region":"ap-southeast-2","secretId":"it/in-ireland"}\n',
    );
    await vscode.commands.executeCommand('encryptedProperties.verifyAllInFile', document.uri);
    const missingKey = await diagnosticWithCode(document.uri, 'verify-pointer-missing');
    const pickKey = (await quickFixes(document.uri, missingKey.range)).find((a) => a.title === "Pick one of the secret's keys…");
    assert.ok(pickKey?.command, 'the fix is offered');
    let offered: string[] = [];
    pickAnswer = (_title, items) => {
      offered = items.map((i) => i.label);
      return 'password';
    };
    await vscode.commands.executeCommand(pickKey.command.command, ...((pickKey.command.arguments ?? []) as unknown[]));
    assert.deepStrictEqual(offered, ['password', 'user'], 'keys only');
    assert.strictEqual(document.lineAt(1).text, 'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/password"}');
    // The fix verifies again: the line resolves now.
    await diagnosticsFor(document.uri, (d) => !d.some((x) => codeOf(x) === 'verify-pointer-missing'));

    const notFound = await diagnosticWithCode(document.uri, 'verify-not-found');
    const find = (await quickFixes(document.uri, notFound.range)).find((a) => a.title === 'Find "it/in-ireland" in the other regions…');
    assert.ok(find?.command, 'the fix is offered');
    pickAnswer = (title, items) => {
      offered = items.map((i) => i.label);
      assert.match(title, /it\/in-ireland exists in this region/);
      return items[0]?.label;
    };
    await vscode.commands.executeCommand(find.command.command, ...((find.command.arguments ?? []) as unknown[]));
    assert.deepStrictEqual(offered, ['eu-west-1']);
    assert.strictEqual(document.lineAt(2).text, 'plugin.e.password={ENC}{"region":"eu-west-1","secretId":"it/in-ireland"}');
    await diagnosticsFor(document.uri, (d) => !d.some((x) => codeOf(x).startsWith('verify-') && codeOf(x) !== 'verify-rotation-enabled'));
  });

  it('one click: one result change, after one running change; the canary is reachable from nothing the extension keeps', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/password"}\n`);
    const { results, held } = api.inspect();
    let changes = 0;
    let running = 0;
    const subscriptions = [results.onDidChange(() => changes++), results.onDidChangeRunning(() => running++)];
    try {
      const [lens] = await lenses(document);
      await vscode.commands.executeCommand(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
      assert.deepStrictEqual({ changes, running }, { changes: 1, running: 1 });
    } finally {
      for (const s of subscriptions) s.dispose();
    }
    await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 25));
    assert.strictEqual(await vscode.commands.executeCommand('encryptedProperties.copySecretValue', document.uri, 'jdbc.password', undefined, 60_000), true);
    assert.strictEqual(await vscode.env.clipboard.readText(), CANARY);
    await vscode.env.clipboard.writeText('');
    const strings = reachableStrings(held);
    assert.ok(strings.length > 100, `the walk reached the extension's state (${strings.length} strings)`);
    assert.ok(
      strings.some((t) => t.includes('it/kv')),
      'the walk reaches the stored outcome',
    );
    assert.ok(!strings.some((t) => t.includes(CANARY)), 'no string reachable from the result store, the analysis cache or the status bar holds the value');
  });

  it('copy value asks first, copies, and clears the clipboard afterwards', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/kv","secretPointer":"/password"}\n`);
    await vscode.env.clipboard.writeText('before');
    // The clearing delay is long enough that reading the clipboard right after the copy cannot miss it on a loaded
    // machine; the wait for the clear is on the clipboard's state, with room to spare.
    const copied = await vscode.commands.executeCommand('encryptedProperties.copySecretValue', document.uri, 'jdbc.password', undefined, 4000);
    assert.strictEqual(copied, true);
    assert.ok(prompts.some((p) => p.startsWith('Copy the secret value of it/kv')));
    assert.strictEqual(await vscode.env.clipboard.readText(), CANARY);
    await waitFor(async () => ((await vscode.env.clipboard.readText()) === '' ? true : undefined), 'the clipboard to be cleared', 30_000);
  });

  it('an endpointOverride outside AWS asks before sending; declining sends nothing', async () => {
    const url = new URL(SM);
    const declined = `http://localhost:${url.port}`;
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain","endpointOverride":"${declined}"}\n`);
    api.setPrompts({ confirm: (message) => Promise.resolve((prompts.push(message), false)) });
    try {
      const result = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
      assert.strictEqual(result.code, 'endpoint-declined');
      assert.ok(prompts.some((p) => p.includes(`localhost:${url.port}`)));
    } finally {
      api.setPrompts({ confirm: (message) => Promise.resolve((prompts.push(message), true)) });
    }
    const allowed = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
    assert.strictEqual(allowed.code, 'ok');
  });

  it('the canary value appears in no diagnostic, lens or hover', async () => {
    const all = vscode.languages.getDiagnostics().flatMap(([, ds]) => ds.map((d) => d.message));
    assert.ok(all.length > 0);
    assert.ok(!all.some((m) => m.includes(CANARY)));
    for (const document of vscode.workspace.textDocuments) {
      for (const title of await lensTitles(document)) assert.ok(!title.includes(CANARY));
    }
  });
  // Last of this suite: the profile's change event reaches the extension after the update resolves.
  it('results got with one profile go when the profile changes (verify again to see)', async () => {
    const document = await open(`${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain"}\n`);
    const [lens] = await lenses(document);
    await vscode.commands.executeCommand(lens.command!.command, ...((lens.command!.arguments ?? []) as unknown[]));
    await waitFor(async () => ((await lensTitles(document))[0]?.startsWith('$(pass)') ? true : undefined), 'the result lens');
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    await config.update('aws.profile', 'another-profile', vscode.ConfigurationTarget.Global);
    try {
      await waitFor(async () => ((await lensTitles(document))[0] === '$(shield) Verify secret' ? true : undefined), 'the stale result to go');
    } finally {
      await config.update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});

describe('AWS profile selection', function () {
  this.timeout(30_000);

  before(async () => {
    await admin('seed', { secrets: [{ name: 'it/plain', secretString: CANARY }] });
  });

  after(async () => {
    await vscode.workspace.getConfiguration('encryptedProperties').update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
  });

  it('a picked profile is used for the next verify; the status bar names the winning source', async () => {
    const api = (await activateExtension()).exports as TestApi;
    const status = () => api.inspect().status();
    const document = await vscode.workspace.openTextDocument({
      language: 'properties',
      content: `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/plain"}\n`,
    });
    await vscode.window.showTextDocument(document);
    // Visible in a product file (earlier tests have verified with the environment's keys in this window).
    await waitFor(() => (status().visible && status().text.startsWith('$(key) AWS: ') ? true : undefined), 'the credential item');
    const picked = await vscode.commands.executeCommand('encryptedProperties.selectAwsProfile', 'ops');
    assert.strictEqual(picked, 'ops');
    assert.strictEqual(vscode.workspace.getConfiguration('encryptedProperties').get('aws.profile'), 'ops');
    await waitFor(() => (status().text === '$(key) AWS: profile ops' ? true : undefined), 'the item to follow the profile change');
    const result = await vscode.commands.executeCommand<{
      code: string;
      message: string;
    }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
    // The ops profile (from the test's ~/.aws/config) has no keys: the chain fails, and says which profile it tried.
    assert.strictEqual(result.code, 'no-credentials');
    assert.match(result.message, /profile ops/);
    // Missing credentials say nothing against the line: a warning (could not check), not an error.
    const noCredentials = await diagnosticWithCode(document.uri, 'verify-no-credentials');
    assert.strictEqual(noCredentials.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepStrictEqual(status(), { text: '$(warning) AWS: no credentials (profile ops)', visible: true, warning: true });
    // `aws configure --profile ops` writes keys to the shared credentials file: the warning and the problem go by
    // themselves, and the next verify uses them.
    const credentialsFile = process.env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(os.homedir(), '.aws', 'credentials');
    fs.writeFileSync(
      credentialsFile,
      `[ops]\naws_access_key_id = ${process.env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${process.env.AWS_SECRET_ACCESS_KEY}\n`,
    );
    try {
      await waitFor(
        () => (status().text === '$(key) AWS: profile ops' && !status().warning ? true : undefined),
        'the item to reset after the credentials file changed',
      );
      await waitFor(
        () => (vscode.languages.getDiagnostics(document.uri).some((d) => codeOf(d) === 'verify-no-credentials') ? undefined : true),
        'the missing-credentials problem to go',
      );
      const withKeys = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
      assert.strictEqual(withKeys.code, 'ok');
      assert.strictEqual(status().text, '$(key) AWS: profile ops');
    } finally {
      fs.rmSync(credentialsFile, { force: true });
    }
    await vscode.commands.executeCommand('encryptedProperties.selectAwsProfile', '');
    await waitFor(() => (status().text === '$(key) AWS: default chain' && !status().warning ? true : undefined), 'the item to reset after the change');
    const again = await vscode.commands.executeCommand<{ code: string }>('encryptedProperties.verifySecret', document.uri, 'jdbc.password');
    assert.strictEqual(again.code, 'ok');
    assert.deepStrictEqual(status(), { text: '$(key) AWS: environment', visible: true, warning: false });
  });
});

describe('verify all secrets in the workspace', function () {
  this.timeout(60_000);

  it('covers properties and product XML files, asks before non-AWS endpoints, and reports every result', async () => {
    const api = (await activateExtension()).exports as TestApi & { setPrompts(p: unknown): void };
    await admin('seed', { secrets: [{ name: 'jira/db', secretString: JSON.stringify({ password: 'jira-pass' }) }] });
    const asked: string[] = [];
    api.setPrompts({ confirm: (m: string) => Promise.resolve((asked.push(m), false)), secret: () => Promise.resolve(undefined) });
    try {
      type Outcome = { code: string } & ({ store: 'aws'; secretId: string } | { store: 'vault'; mount: string; path: string });
      const results = await vscode.commands.executeCommand<Outcome[]>('encryptedProperties.verifyAllInWorkspace');
      // Each store's outcome has its own fields: an AWS secret id, a Vault mount and path.
      const byId = Object.fromEntries(results.map((r) => [r.store === 'aws' ? r.secretId : `${r.mount}/${r.path}`, r.code]));
      assert.strictEqual(byId['jira/db'], 'ok', JSON.stringify(byId));
      assert.strictEqual(byId['bitbucket/prod/db'], 'not-found');
      assert.strictEqual(byId['secret/confluence/db'] ?? byId['secret/data/confluence/db'], 'endpoint-declined');
      assert.ok(asked.some((m) => m.includes('vault.example.com:8200')));
    } finally {
      api.setPrompts(undefined);
    }
  });
});
