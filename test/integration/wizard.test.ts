import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, diagnosticsFor, workspaceFile } from './helpers';

const SM = process.env.ENCPROPS_TEST_SM!;
const BACK = 'BACK';

type Call =
  | { kind: 'pick'; step: number; title: string; labels: string[]; values: unknown[]; active: unknown; placeholder: string }
  | { kind: 'input'; step: number; prompt: string; value?: string }
  | { kind: 'confirm' | 'notify'; message: string; actions?: string[] }
  | { kind: 'save'; title: string; defaultPath: string };
type Answer = (call: Call) => unknown;

/** A scripted WizardUi: each question takes the next answer; every question is recorded. */
class ScriptedUi {
  readonly calls: Call[] = [];
  private readonly back = Symbol.for('encryptedProperties.wizard.back');
  constructor(private readonly answers: Answer[]) {}
  private next(call: Call): unknown {
    this.calls.push(call);
    const answer = this.answers.shift();
    assert.ok(answer, `no scripted answer for ${JSON.stringify(call).slice(0, 200)}`);
    const value = answer(call);
    return value === BACK ? this.back : value;
  }
  pick(step: { step: number; title: string }, choices: Array<{ label: string; value: unknown }>, options: { active?: unknown; placeholder: string }) {
    return Promise.resolve(
      this.next({
        kind: 'pick',
        step: step.step,
        title: step.title,
        labels: choices.map((c) => c.label),
        values: choices.map((c) => c.value),
        active: options.active,
        placeholder: options.placeholder,
      }),
    );
  }
  input(step: { step: number }, options: { prompt: string; value?: string; validate?: (v: string) => string | undefined }) {
    const answer = this.next({ kind: 'input', step: step.step, prompt: options.prompt, value: options.value });
    if (typeof answer === 'string' && options.validate) assert.strictEqual(options.validate(answer), undefined, `"${answer}" passes validation`);
    return Promise.resolve(answer);
  }
  confirm(message: string) {
    return Promise.resolve(this.next({ kind: 'confirm', message }) as boolean);
  }
  notify(message: string) {
    return Promise.resolve(this.next({ kind: 'notify', message }) as string | undefined);
  }
  error(message: string) {
    throw new Error(`wizard error: ${message}`);
  }
  finish(message: string, detail: string, ...actions: string[]) {
    this.finished.push(`${message}\n${detail}`);
    return Promise.resolve(this.next({ kind: 'notify', message: `${message}\n${detail}`, actions }) as string | undefined);
  }
  saveAs(title: string, defaultPath: string) {
    return Promise.resolve(this.next({ kind: 'save', title, defaultPath }) as string | undefined);
  }
  progress<T>(_message: string, work: () => Promise<T>) {
    return work();
  }
  closePreview() {
    return Promise.resolve();
  }
  readonly finished: string[] = [];
  readonly previews: string[] = [];
  preview(_file: unknown, newText: string) {
    this.previews.push(newText);
    return Promise.resolve();
  }
}

function valueWith(call: Call, label: RegExp): unknown {
  assert.strictEqual(call.kind, 'pick');
  const c = call;
  const i = c.labels.findIndex((l) => label.test(l));
  assert.ok(i >= 0, `no choice ${label} in ${c.labels.slice(0, 8).join(' | ')}`);
  return c.values[i];
}

/** The check before writing found that the product would not resolve the reference: write it anyway (the test's secret does not exist). */
function writeAnyway(reason: RegExp): Answer {
  return (c) => {
    const pick = c as Extract<Call, { kind: 'pick' }>;
    assert.match(pick.placeholder, reason);
    assert.deepStrictEqual(pick.active, { kind: 'back' }, 'Enter goes back, never writes');
    return valueWith(c, /Write it anyway/);
  };
}

async function admin(p: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${SM}/__admin/${p}`, { method: 'POST', body: JSON.stringify(body) });
  return response.json();
}

describe('the wizard in the extension host (scripted prompts, local Secrets Manager)', function () {
  this.timeout(60_000);
  let api: { setWizardUi(ui: unknown): void };
  const file = () => workspaceFile('wizard', 'shared', 'bitbucket.properties');

  before(async () => {
    api = (await activateExtension()).exports as typeof api;
    await admin('seed', {
      secrets: [
        { name: 'it/wizard-kv', secretString: JSON.stringify({ user: 'bitbucket', 'pass/word': 'x' }) },
        { name: 'it/wizard-plain', secretString: 'plain-password-text' },
      ],
    });
  });

  after(() => api.setWizardUi(undefined));

  it('creates a new secret from the plaintext password, backs the file up, writes the two lines, verifies them and moves the backup', async () => {
    const original = fs.readFileSync(file().fsPath, 'utf8');
    const moved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-backup-')), 'bitbucket.properties.backup');
    const ui = new ScriptedUi([
      (c) => valueWith(c, /bitbucket\.properties/) && (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('wizard/shared')),
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /Create a new secret/),
      (c) => {
        // The name and the description are the product's (the service's, in a container file).
        assert.strictEqual((c as { value?: string }).value, 'bitbucket/database');
        return 'it/wizard-db';
      },
      (c) => valueWith(c, /^Key\/value$/),
      () => '',
      (c) => {
        assert.strictEqual((c as { value?: string }).value, 'Bitbucket database password');
        return 'Bitbucket database (wizard test)';
      },
      (c) => valueWith(c, /Apply/),
      (c) => {
        const message = (c as { message: string }).message;
        assert.match(message, /The backup bitbucket\.properties\.bak-\d{8}-\d{6} holds the old file, with the plaintext password/);
        assert.match(message, /Verify: Resolved · key\/value/, 'the written reference is verified before the message');
        assert.match(message, /Restart Bitbucket on every node of a cluster/);
        return 'Move Backup…';
      },
      (c) => {
        assert.strictEqual(c.kind, 'save');
        assert.ok(!(c as { defaultPath: string }).defaultPath.startsWith(path.dirname(file().fsPath)), 'offered outside the workspace');
        return moved;
      },
      (c) => {
        assert.match((c as { message: string }).message, /^Backup moved to /);
        return undefined;
      },
      (c) => {
        // The finish comes back with the checklist, without the backup's buttons once it is gone.
        const call = c as { message: string; actions?: string[] };
        assert.match(call.message, /Restart Bitbucket on every node of a cluster/);
        assert.deepStrictEqual(call.actions, ['Copy Checklist']);
        return undefined;
      },
    ]);
    api.setWizardUi(ui);
    const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'it/wizard-db', secretPointer: '/password' });
    assert.strictEqual(ui.previews.length, 1, 'the review shows the whole file as it will be');
    const titled = ui.calls.filter((c) => c.kind === 'pick' || c.kind === 'input').map((c) => (c as { step: number }).step);
    // Creating a secret adds its own steps (name, shape, KMS key, description): the count says so, never 4/5 three times.
    assert.deepStrictEqual(titled, [1, 2, 3, 4, 5, 6, 7, 8]);
    const written = fs.readFileSync(file().fsPath, 'utf8');
    assert.strictEqual(
      written,
      original.replace(
        'jdbc.password=WizardPlain!42\n',
        'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n' +
          'jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"it/wizard-db","secretPointer":"/password"}\n',
      ),
    );
    // The backup was moved where the user chose (outside the workspace): none is left beside the file.
    const dir = path.dirname(file().fsPath);
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((f) => f.startsWith('bitbucket.properties.bak-')),
      [],
    );
    assert.strictEqual(fs.readFileSync(moved, 'utf8'), original);
    assert.strictEqual(fs.statSync(moved).mode & 0o777, 0o600);
    // The file is open at the edited lines, and the verify after writing shows in the lens.
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), file().toString());
    assert.match(
      vscode.window.activeTextEditor.document.lineAt(vscode.window.activeTextEditor.selection.active.line).text,
      /^encrypted-property\.cipher\.classname=/,
    );
    const [lens] = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file(), 10);
    assert.match(lens.command?.title ?? '', /^\$\(pass\) Resolved · key\/value · \/password · \d\d:\d\d$/);
    // One undoable edit.
    const editor = await vscode.window.showTextDocument(file());
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(editor.document.getText(), original);
    await vscode.commands.executeCommand('redo');
    await editor.document.save();
  });

  it('picks an existing key/value secret and its key; going back keeps the answers; a second run changes nothing', async () => {
    const answers = (withBack: boolean): Answer[] => [
      (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('wizard/shared')),
      (c) => {
        // A re-run on the configured file preselects its region, its secret and its key.
        if (!withBack) assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).active, 'ap-southeast-2');
        return valueWith(c, /^ap-southeast-2$/);
      },
      (c) => {
        if (!withBack) assert.deepStrictEqual((c as Extract<Call, { kind: 'pick' }>).active, { kind: 'secret', name: 'it/wizard-kv' });
        return valueWith(c, /^it\/wizard-kv$/);
      },
      (c) => valueWith(c, /^Key\/value$/),
      (c) => {
        if (!withBack) assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).active, '/pass~1word');
        assert.deepStrictEqual((c as Extract<Call, { kind: 'pick' }>).labels, ['user', 'pass/word'], 'keys only, never values');
        return valueWith(c, /^pass\/word$/);
      },
      ...(withBack
        ? [
            () => BACK,
            (c: Call) => {
              assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).active, 'key/value', 'the shape is kept when going back');
              return valueWith(c, /^Key\/value$/);
            },
            (c: Call) => {
              assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).active, '/pass~1word', 'the key is kept when going back');
              return '/pass~1word';
            },
          ]
        : []),
      (c) => valueWith(c, withBack ? /Apply/ : /Nothing to change/),
      ...(withBack ? [() => undefined] : []),
    ];
    api.setWizardUi(new ScriptedUi(answers(true)));
    const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'it/wizard-kv', secretPointer: '/pass~1word' });
    const text = fs.readFileSync(file().fsPath, 'utf8');
    assert.match(text, /^jdbc\.password=\{ENC\}\{"region":"ap-southeast-2","secretId":"it\/wizard-kv","secretPointer":"\/pass~1word"\}$/m);
    const before = fs.readdirSync(path.dirname(file().fsPath)).length;
    api.setWizardUi(new ScriptedUi(answers(false)));
    await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    assert.strictEqual(fs.readFileSync(file().fsPath, 'utf8'), text, 'a second run with the same answers changes nothing');
    assert.strictEqual(fs.readdirSync(path.dirname(file().fsPath)).length, before, 'and makes no backup');
  });

  it('checks before writing: a key/value reference to a plaintext secret is offered the fitting shape; a missing secret goes back', async () => {
    const original = fs.readFileSync(file().fsPath, 'utf8');
    // A missing secret: Enter (the active choice) goes back to the shape step, with the answer kept; nothing is written.
    const back = new ScriptedUi([
      (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('wizard/shared')),
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /Type a secret name or ARN/),
      () => 'it/missing',
      (c) => valueWith(c, /^Plaintext$/),
      (c) => {
        const pick = c as Extract<Call, { kind: 'pick' }>;
        assert.match(pick.placeholder, /would not resolve this reference: No secret "it\/missing" in ap-southeast-2/);
        return pick.active;
      },
      (c) => {
        assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).active, 'plaintext', 'back at the shape step, the answer kept');
        return undefined;
      },
    ]);
    api.setWizardUi(back);
    assert.strictEqual(await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret'), undefined);
    assert.strictEqual(fs.readFileSync(file().fsPath, 'utf8'), original, 'nothing written');

    // A pointer into a plaintext secret: the check offers the whole secret instead, and that is what gets written.
    const fix = new ScriptedUi([
      (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('wizard/shared')),
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /^it\/wizard-plain$/),
      (c) => valueWith(c, /^Key\/value$/),
      (c) => {
        assert.strictEqual(c.kind, 'input', 'no keys to pick: the secret is not JSON');
        return '/password';
      },
      (c) => {
        assert.match((c as Extract<Call, { kind: 'pick' }>).placeholder, /not key\/value JSON/);
        return valueWith(c, /Use the whole secret/);
      },
      (c) => valueWith(c, /Apply/),
      () => undefined,
    ]);
    api.setWizardUi(fix);
    const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'it/wizard-plain' });
    assert.match(fs.readFileSync(file().fsPath, 'utf8'), /^jdbc\.password=\{ENC\}\{"region":"ap-southeast-2","secretId":"it\/wizard-plain"\}$/m);
  });

  it('without credentials: the credentials page comes first, says what was found, and checking again goes on in place', async () => {
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    const inspected = (api as unknown as { inspect(): { status: () => { text: string; warning: boolean } } }).inspect();
    const status = () => inspected.status();
    await config.update('aws.profile', 'nobody-here', vscode.ConfigurationTarget.Global);
    try {
      const ui = new ScriptedUi([
        (c) => {
          const pick = c as Extract<Call, { kind: 'pick' }>;
          assert.strictEqual(pick.step, 0, 'before the numbered steps');
          assert.match(pick.placeholder, /No usable AWS credentials \(profile nobody-here\)/);
          assert.strictEqual(pick.active, 'retry', 'Enter checks again');
          assert.ok(pick.labels.some((l) => /^\$\(refresh\) Check again/.test(l)));
          assert.ok(!pick.labels.some((l) => /sso login/.test(l)), 'no SSO login for a profile that is not an SSO profile');
          assert.deepStrictEqual(
            pick.labels.filter((l) => /^\d\. /.test(l)),
            [
              '1. Java system properties',
              '2. Environment variables',
              '3. Web identity token',
              '4. Shared files',
              '5. Container credentials',
              '6. EC2 instance profile',
            ],
          );
          // How to get credentials here comes in words; the chain's own wording is one row, opened on demand.
          assert.ok(pick.labels.some((l) => /Environment variables$/.test(l)));
          assert.ok(pick.labels.some((l) => /The profile setting$/.test(l)));
          assert.ok(!pick.labels.some((l) => /Skipping|CredentialsProviderError/.test(l)), pick.labels.join(' | '));
          assert.ok(pick.labels.some((l) => /Continue without credentials/.test(l)));
          assert.ok(status().warning, 'the status bar item warns');
          return valueWith(c, /What the credential chain tried here \(\d+\)/);
        },
        async (c) => {
          const pick = c as Extract<Call, { kind: 'pick' }>;
          assert.match(pick.title, /what the credential chain tried/);
          assert.ok(
            pick.labels.some((l) => /nobody-here/.test(l)),
            `what the chain found: ${pick.labels.join(' | ')}`,
          );
          // The admin fixes the credentials outside (here: back to the default chain), then checks again.
          await config.update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
          return undefined;
        },
        (c) => valueWith(c, /Check again/),
        (c) => {
          const pick = c as Extract<Call, { kind: 'pick' }>;
          assert.strictEqual(pick.step, 1);
          assert.match(pick.title, / · as user encprops-test in 123456789012 \(environment\)$/, 'every step names who the checks run as');
          return undefined;
        },
      ]);
      api.setWizardUi(ui);
      assert.strictEqual(await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret'), undefined);
      assert.strictEqual(ui.calls.length, 4);
      assert.ok(!status().warning);
      assert.match(status().text, /AWS: user encprops-test \(environment\)/);
    } finally {
      await config.update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('offers aws sso login only for an SSO profile, and only where an aws CLI is on PATH', async () => {
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-sso-'));
    const saved = { PATH: process.env.PATH, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };
    fs.writeFileSync(
      path.join(dir, 'config'),
      '[profile sso-dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n',
    );
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin', 'aws'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    await config.update('aws.profile', 'sso-dev', vscode.ConfigurationTarget.Global);
    const labelsOfPage = async (): Promise<string[]> => {
      let labels: string[] = [];
      api.setWizardUi(
        new ScriptedUi([
          (c) => {
            assert.strictEqual((c as Extract<Call, { kind: 'pick' }>).step, 0, 'the credentials page');
            labels = (c as Extract<Call, { kind: 'pick' }>).labels;
            return undefined;
          },
        ]),
      );
      await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
      return labels;
    };
    try {
      process.env.PATH = `${path.join(dir, 'bin')}${path.delimiter}${saved.PATH ?? ''}`;
      assert.ok((await labelsOfPage()).some((l) => l.includes('Run aws sso login --profile sso-dev')));
      process.env.PATH = path.join(dir, 'no-aws-here'); // this machine may have an aws CLI of its own
      assert.ok(!(await labelsOfPage()).some((l) => l.includes('Run aws sso login')), 'no aws CLI: no button that would fail');
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.AWS_CONFIG_FILE === undefined) delete process.env.AWS_CONFIG_FILE;
      else process.env.AWS_CONFIG_FILE = saved.AWS_CONFIG_FILE;
      await config.update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a Compose file: asks which container, then writes its variables in the file's own style (a list entry), read back exactly", async () => {
    const compose = workspaceFile('containers', 'wizard-compose.yml');
    const ui = new ScriptedUi([
      (c) => {
        const pick = c as Extract<Call, { kind: 'pick' }>;
        assert.match(pick.placeholder, /Which container/);
        assert.deepStrictEqual(pick.labels, ['jira', 'confluence']);
        return 'confluence';
      },
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => {
        const labels = (c as Extract<Call, { kind: 'pick' }>).labels;
        assert.ok(
          labels.some((l) => /Create a new secret/.test(l)),
          "confluence's own plaintext password can become a secret",
        );
        return valueWith(c, /^it\/wizard-kv$/);
      },
      (c) => valueWith(c, /^Key\/value$/),
      (c) => valueWith(c, /^pass\/word$/),
      (c) => valueWith(c, /Apply/),
      (c) => {
        assert.match((c as { message: string }).message, /Redeploy Confluence to apply[\s\S]*docker compose up -d/);
        return undefined;
      },
    ]);
    api.setWizardUi(ui);
    const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret', compose);
    assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'it/wizard-kv', secretPointer: '/pass~1word' });
    assert.strictEqual(
      fs.readFileSync(compose.fsPath, 'utf8'),
      'services:\n  jira:\n    image: atlassian/jira-software:9.12.4\n    environment:\n      ATL_JDBC_URL: jdbc:postgresql://db:5432/jira\n' +
        '  confluence:\n    image: atlassian/confluence:8.9.0\n    environment:\n      - ATL_JDBC_URL=jdbc:postgresql://db:5432/confluence\n' +
        '      - \'ATL_JDBC_PASSWORD={"region":"ap-southeast-2","secretId":"it/wizard-kv","secretPointer":"/pass~1word"}\'\n' +
        "      - 'ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.aws.AwsSecretsManagerStore'\n",
    );
    // The editor then sees a clean file whose reference resolves (the finish verified it).
    const document = await vscode.workspace.openTextDocument(compose);
    await diagnosticsFor(document.uri, (d) => !d.some((x) => codeOf(x) === 'plaintext-password'));
  });

  it("the Move to AWS lens on one service's password opens the wizard for that container, without asking which", async () => {
    const uri = workspaceFile('containers', 'lens-compose.yml');
    const document = await vscode.workspace.openTextDocument(uri);
    await diagnosticsFor(uri, (d) => d.filter((x) => codeOf(x) === 'plaintext-password').length === 2);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
    const moves = lenses.filter((l) => l.command?.command === 'encryptedProperties.configureAwsSecret');
    assert.deepStrictEqual(
      moves.map((l) => (l.command!.arguments as unknown[] | undefined)?.[1]),
      ['jira', 'confluence'],
    );
    let first: Call | undefined;
    api.setWizardUi(
      new ScriptedUi([
        (c) => {
          first = c;
          return undefined;
        },
      ]),
    );
    await vscode.commands.executeCommand(moves[1].command!.command, ...((moves[1].command!.arguments as unknown[] | undefined) ?? []));
    const asked = first;
    assert.ok(asked?.kind === 'pick' && !/Which container/.test(asked.placeholder), JSON.stringify(asked));
    assert.strictEqual(asked.step, 2, 'the region step comes first');
    assert.ok(document.getText().includes('not-a-real-password-2'), 'nothing written');
  });

  it('keeps the backup out of a Git working tree: an owner-only folder in the home, named in the finish', async () => {
    const root = workspaceFile('wizard-git').fsPath;
    fs.mkdirSync(path.join(root, '.git'), { recursive: true });
    fs.mkdirSync(path.join(root, 'shared'), { recursive: true });
    const target = path.join(root, 'shared', 'bitbucket.properties');
    fs.writeFileSync(target, 'jdbc.user=bitbucket\njdbc.password=GitPlain!7\n');
    let finishMessage = '';
    const ui = new ScriptedUi([
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /^it\/wizard-kv$/),
      (c) => valueWith(c, /^Key\/value$/),
      (c) => valueWith(c, /^pass\/word$/),
      (c) => valueWith(c, /Apply/),
      (c) => {
        finishMessage = (c as { message: string }).message;
        return undefined;
      },
    ]);
    api.setWizardUi(ui);
    try {
      await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret', vscode.Uri.file(target));
      assert.ok(!fs.readdirSync(path.dirname(target)).some((f) => f.includes('.bak-')), 'no backup beside the file, in the repository');
      const folder = path.join(os.homedir(), '.encprops', 'backups');
      const backups = fs.readdirSync(folder).filter((f) => f.includes('bitbucket.properties.bak-'));
      assert.ok(backups.length > 0, 'the backup is in the home');
      assert.strictEqual(fs.statSync(folder).mode & 0o777, 0o700);
      assert.ok(backups.some((b) => fs.readFileSync(path.join(folder, b), 'utf8').includes('GitPlain!7')));
      assert.ok(finishMessage.includes(folder), `the finish names where it is: ${finishMessage}`);
      for (const b of backups) fs.rmSync(path.join(folder, b));
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('a Jira Compose file: the default name is jira/database, a taken name is refused, ATL_FORCE_CFG_UPDATE is offered; without credentials no create path', async () => {
    const uri = workspaceFile('containers', 'jira-compose.yml');
    // Without credentials (a profile that does not exist): the secret step offers no "Create a new secret".
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    await config.update('aws.profile', 'nobody-here', vscode.ConfigurationTarget.Global);
    let labels: string[] = [];
    try {
      api.setWizardUi(
        new ScriptedUi([
          (c) => valueWith(c, /Continue without credentials/),
          (c) => valueWith(c, /^ap-southeast-2$/),
          (c) => {
            assert.match((c as { message: string }).message, /Listing secrets in ap-southeast-2 failed/);
            return undefined;
          },
          (c) => {
            labels = (c as Extract<Call, { kind: 'pick' }>).labels;
            return undefined;
          },
        ]),
      );
      await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret', uri, 'jira');
    } finally {
      await config.update('aws.profile', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.ok(labels.length > 0 && !labels.some((l) => /Create a new secret/.test(l)), labels.join(' | '));
    // With credentials: the product's default name; the name step refuses one the region already has.
    let actions: string[] = [];
    const ui = new ScriptedUi([
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /Create a new secret/),
      (c) => {
        assert.strictEqual((c as { value?: string }).value, 'jira/database');
        return 'it/jira-db';
      },
      (c) => valueWith(c, /^Key\/value$/),
      () => '',
      (c) => {
        assert.strictEqual((c as { value?: string }).value, 'Jira database password (jira)');
        return '';
      },
      (c) => valueWith(c, /Apply/),
      (c) => {
        actions = (c as { actions?: string[] }).actions ?? [];
        assert.match((c as { message: string }).message, /Redeploy Jira to apply[\s\S]*docker compose up -d/);
        return 'Set ATL_FORCE_CFG_UPDATE=true';
      },
      () => undefined,
    ]);
    api.setWizardUi(ui);
    const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret', uri, 'jira');
    assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'it/jira-db', secretPointer: '/password' });
    assert.ok(actions.includes('Set ATL_FORCE_CFG_UPDATE=true'), actions.join(' | '));
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    assert.match(text, /ATL_JDBC_PASSWORD: '\{"region":"ap-southeast-2","secretId":"it\/jira-db","secretPointer":"\/password"\}'/);
    assert.match(text, /ATL_FORCE_CFG_UPDATE: 'true'/);
    assert.match(text, /POSTGRES_PASSWORD: postgres-only/, 'the other service is untouched');
    assert.ok(!text.includes('JiraPlain!9'));
  });

  it('offers the active editor only when it is a product file (not a text file beside it)', async () => {
    const notes = await vscode.workspace.openTextDocument(workspaceFile('wizard', 'notes.txt'));
    await vscode.window.showTextDocument(notes);
    let labels: string[] = [];
    api.setWizardUi(
      new ScriptedUi([
        (c) => {
          labels = (c as Extract<Call, { kind: 'pick' }>).labels;
          return undefined;
        },
      ]),
    );
    assert.strictEqual(await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret'), undefined);
    assert.ok(labels.length > 0 && !labels.some((l) => l.includes('notes.txt')), labels.join(' | '));
    // Container deployments with a plaintext password are offered too, Helm values under any name among them.
    assert.ok(
      labels.some((l) => l.endsWith('jira-values.yaml')),
      labels.join(' | '),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('when listing is denied, says so and falls back to typing the name', async () => {
    await admin('faults', { denyList: true });
    try {
      const ui = new ScriptedUi([
        (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('wizard/shared')),
        (c) => valueWith(c, /^eu-west-1$/),
        (c) => {
          const labels = (c as Extract<Call, { kind: 'pick' }>).labels;
          assert.ok(!labels.some((l) => l.startsWith('it/')), 'no listed secrets');
          return valueWith(c, /Type a secret name or ARN/);
        },
        (c) => {
          assert.strictEqual(c.kind, 'input');
          return 'typed/secret';
        },
        (c) => valueWith(c, /^Plaintext$/),
        writeAnyway(/The product would not resolve this reference: No secret "typed\/secret" in eu-west-1/),
        (c) => valueWith(c, /Apply/),
        () => undefined,
      ]);
      // The notice about the denied listing comes before the secret step.
      const notices: string[] = [];
      const original = ui.notify.bind(ui);
      ui.notify = async (message: string) => {
        if (message.startsWith('Listing secrets')) {
          notices.push(message);
          return undefined;
        }
        return original(message);
      };
      api.setWizardUi(ui);
      const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
      assert.deepStrictEqual(result, { region: 'eu-west-1', secretId: 'typed/secret' });
      assert.match(notices[0] ?? '', /Listing secrets in eu-west-1 failed: these credentials may not list secrets \(IAM denies secretsmanager:ListSecrets\)/);
      assert.match(fs.readFileSync(file().fsPath, 'utf8'), /^jdbc\.password=\{ENC\}\{"region":"eu-west-1","secretId":"typed\/secret"\}$/m);
    } finally {
      await admin('faults', {});
    }
  });

  it("writes the product's own XML elements (Bamboo) and keeps the rest of the file", async () => {
    const bamboo = workspaceFile('bamboo', 'bamboo.cfg.xml');
    const original = fs.readFileSync(bamboo.fsPath, 'utf8');
    const ui = new ScriptedUi([
      (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('bamboo.cfg.xml')),
      (c) => valueWith(c, /^ap-southeast-2$/),
      (c) => valueWith(c, /Type a secret name or ARN/),
      () => 'bamboo/db',
      (c) => valueWith(c, /^Plaintext$/),
      writeAnyway(/No secret "bamboo\/db"/),
      (c) => valueWith(c, /Apply/),
      (c) => {
        assert.match((c as { message: string }).message, /Restart Bamboo/);
        return undefined;
      },
    ]);
    api.setWizardUi(ui);
    await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
    assert.strictEqual(
      fs.readFileSync(bamboo.fsPath, 'utf8'),
      original.replace(
        '    <property name="hibernate.connection.password">bamboo-plain</property>',
        '    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.aws.AwsSecretsManagerStore</property>\n' +
          '    <property name="hibernate.connection.password">{"region":"ap-southeast-2","secretId":"bamboo/db"}</property>',
      ),
    );
  });

  it('honours encryptedProperties.files.associations: a Bamboo file under another name is validated and written as Bamboo', async () => {
    const mapped = workspaceFile('bamboo', 'bamboo-prod.xml');
    const original = fs.readFileSync(mapped.fsPath, 'utf8');
    const config = vscode.workspace.getConfiguration('encryptedProperties');
    await config.update('files.associations', { 'bamboo-prod.xml': 'bamboo' }, vscode.ConfigurationTarget.Workspace);
    try {
      // The editor validates it as Bamboo's file (a plaintext password)...
      const document = await vscode.workspace.openTextDocument(mapped);
      await diagnosticsFor(document.uri, (d) => d.some((x) => codeOf(x) === 'plaintext-password'));
      // ...and the wizard, from the file picker, writes Bamboo's own elements into it.
      const ui = new ScriptedUi([
        (c) => (c as Extract<Call, { kind: 'pick' }>).values.find((v) => JSON.stringify(v).includes('bamboo-prod.xml')),
        (c) => valueWith(c, /^ap-southeast-2$/),
        (c) => valueWith(c, /Type a secret name or ARN/),
        () => 'bamboo/prod',
        (c) => valueWith(c, /^Plaintext$/),
        writeAnyway(/No secret "bamboo\/prod"/),
        (c) => valueWith(c, /Apply/),
        (c) => {
          assert.match((c as { message: string }).message, /Restart Bamboo/);
          return undefined;
        },
      ]);
      api.setWizardUi(ui);
      const result = await vscode.commands.executeCommand('encryptedProperties.configureAwsSecret');
      assert.deepStrictEqual(result, { region: 'ap-southeast-2', secretId: 'bamboo/prod' });
      assert.strictEqual(
        fs.readFileSync(mapped.fsPath, 'utf8'),
        original.replace(
          '    <property name="hibernate.connection.password">bamboo-plain</property>',
          '    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.aws.AwsSecretsManagerStore</property>\n' +
            '    <property name="hibernate.connection.password">{"region":"ap-southeast-2","secretId":"bamboo/prod"}</property>',
        ),
      );
    } finally {
      await config.update('files.associations', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
