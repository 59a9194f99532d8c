/**
 * "Configure AWS Secrets Manager password…": Atlassian's five steps as one guided flow. Target file → region →
 * secret (pick, type, or create from the current plaintext password) → shape and pointer → review → backup and one
 * undoable edit → "Verify now". The questions go through WizardUi; the file edit through the pure planner.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { PASSWORD_PROPERTY, ENC_PREFIX } from '../core/bitbucket/analyze';
import { analyzeFile } from '../core/analyzeFile';
import { planForFile } from '../core/edits/plan';
import { parseProfiles } from '../core/awsConfig/profiles';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { readRegularFile } from '../files/read';
import { writeBackup } from '../files/safeWrite';
import { allRegions, regionInfo } from '../core/regions/regions';
import { parseSecretArn } from '../core/stores/aws';
import { pointerForKey } from '../core/verify/jsonPointer';
import { toRange } from '../documents/analysisCache';
import { LineIndex } from '../core/text/lineIndex';
import { PRODUCT_NAMES } from '../core/products/xmlAnalyze';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { VerifyController } from '../verify/verifyController';
import { BACK, Choice, Step, WizardUi } from './wizardUi';
import type { SecretsVerifier } from '../aws';
import * as os from 'os';

const TITLE = 'Configure AWS Secrets Manager password';
const TOTAL = 5;
const step = (n: number): Step => ({ title: TITLE, step: n, totalSteps: TOTAL });

type Target = { kind: 'file'; uri: vscode.Uri } | { kind: 'create'; folder: vscode.Uri };

interface NewSecret {
  readonly name: string;
  readonly keyValue: boolean;
  readonly kmsKeyId?: string;
  readonly description?: string;
}

interface State {
  target?: Target;
  region?: string;
  secretId?: string;
  newSecret?: NewSecret;
  shape?: 'plaintext' | 'key/value';
  pointer?: string;
}

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

const PASSWORD_KEYS = [PASSWORD_PROPERTY, 'password', 'hibernate.connection.password'];

function analysisOf(text: string, fileName: string) {
  return analyzeFile(text, { fileName: fileName.toLowerCase().endsWith('.xml') ? fileName : 'bitbucket.properties' });
}

/** The current plaintext password (no {ENC}, no cipher class for the XML products, not {ATL_SECURED}). */
function plaintextPassword(text: string, fileName: string): string | undefined {
  const analysis = analysisOf(text, fileName);
  if (analysis.product !== 'bitbucket' && analysis.cipher) return undefined;
  const entry = analysis.document.entries.filter((e) => PASSWORD_KEYS.includes(e.key)).at(-1);
  if (!entry || entry.value.trim() === '' || entry.valueStartsWith(ENC_PREFIX) || entry.value.trim() === '{ATL_SECURED}') return undefined;
  return entry.value;
}

function existingReference(text: string, fileName: string): { region?: string; secretId?: string; secretPointer?: string } | undefined {
  return analysisOf(text, fileName).references.find((r) => PASSWORD_KEYS.includes(r.key))?.aws;
}

function profileRegion(): string | undefined {
  try {
    const file = process.env.AWS_CONFIG_FILE ?? path.join(os.homedir(), '.aws', 'config');
    const profiles = parseProfiles(fs.readFileSync(file, 'utf8'), '');
    const name = getSettings().awsProfile ?? process.env.AWS_PROFILE ?? 'default';
    return profiles.find((p) => p.name === name)?.region;
  } catch {
    return undefined;
  }
}

export class ConfigureAwsSecretWizard {
  constructor(
    private readonly ui: WizardUi,
    private readonly verify: VerifyController,
  ) {}

  /** Runs the flow; returns the written reference, or undefined when cancelled or nothing was written. */
  async run(initial?: vscode.Uri): Promise<AwsSecretTarget | undefined> {
    if (!vscode.workspace.isTrusted) {
      this.ui.error('The wizard talks to AWS with your credentials, so it needs a trusted workspace.');
      return undefined;
    }
    const state: State = {};
    const verifier = this.verify.newVerifier();
    try {
      let n = initial ? 2 : 1;
      if (initial) state.target = { kind: 'file', uri: initial };
      for (;;) {
        let next: number | undefined | typeof BACK;
        if (n === 1) next = await this.pickTarget(state);
        else if (n === 2) next = await this.pickRegion(state);
        else if (n === 3) next = await this.pickSecret(state, verifier);
        else if (n === 4) next = await this.pickShape(state, verifier);
        else if (n === 5) {
          const written = await this.review(state, verifier);
          if (written !== BACK) return written;
          n = state.newSecret ? 3 : 4;
          continue;
        }
        if (next === undefined) return undefined;
        if (next === BACK) {
          n = Math.max(1, n - 1);
          if (n === 4 && state.newSecret) n = 3; // the shape was chosen with the new secret
        } else n = next;
      }
    } finally {
      verifier.dispose();
    }
  }

  private async currentText(state: State): Promise<string> {
    if (state.target?.kind !== 'file') return '';
    return (await vscode.workspace.openTextDocument(state.target.uri)).getText();
  }

  private fileName(state: State): string {
    return state.target?.kind === 'file' ? path.posix.basename(state.target.uri.path) : 'bitbucket.properties';
  }

  private async pickTarget(state: State): Promise<number | undefined | typeof BACK> {
    const choices: Choice<Target>[] = [];
    const active = vscode.window.activeTextEditor?.document;
    if (active && !active.isUntitled && /(\.properties|dbconfig\.xml|\.cfg\.xml)$/.test(active.uri.path)) {
      choices.push({
        label: `$(file) ${path.basename(active.uri.fsPath)}`,
        description: vscode.workspace.asRelativePath(active.uri),
        detail: 'The active editor',
        value: { kind: 'file', uri: active.uri },
      });
    }
    const found = await vscode.workspace.findFiles(
      '**/{bitbucket.properties,dbconfig.xml,confluence.cfg.xml,bamboo.cfg.xml,crowd.cfg.xml}',
      '{**/node_modules/**,**/.git/**}',
      200,
    );
    for (const uri of found.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      if (choices.some((c) => c.value.kind === 'file' && c.value.uri.toString() === uri.toString())) continue;
      choices.push({
        label: `$(file) ${path.posix.basename(uri.path)}`,
        description: vscode.workspace.asRelativePath(uri),
        value: { kind: 'file', uri },
        group: 'In the workspace',
      });
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    if (folder && !found.some((u) => u.path.endsWith('/shared/bitbucket.properties') && u.path.startsWith(folder.path))) {
      choices.push({
        label: '$(new-file) Create shared/bitbucket.properties',
        description: vscode.workspace.asRelativePath(folder),
        value: { kind: 'create', folder },
        group: 'New',
      });
    }
    if (choices.length === 0) {
      this.ui.error('Open a folder or a bitbucket.properties file first.');
      return undefined;
    }
    const picked = await this.ui.pick(step(1), choices, {
      placeholder: 'Which file holds the database password?',
      active: state.target ? choices.find((c) => JSON.stringify(c.value) === JSON.stringify(state.target))?.value : undefined,
    });
    if (picked === undefined || picked === BACK) return picked;
    state.target = picked;
    return 2;
  }

  private async pickRegion(state: State): Promise<number | undefined | typeof BACK> {
    const existing = existingReference(await this.currentText(state), this.fileName(state))?.region;
    const preselect = state.region ?? existing ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? profileRegion();
    const regions = allRegions();
    const choices: Choice<string>[] = regions.map((r) => ({
      label: r.id,
      description: r.name,
      value: r.id,
      group: r.partition === 'aws' ? 'AWS' : `Partition ${r.partition}`,
    }));
    const picked = await this.ui.pick(step(2), choices, {
      placeholder: 'Region of the secret (type to filter by ID or name)',
      active: regions.some((r) => r.id === preselect) ? preselect : undefined,
    });
    if (picked === undefined || picked === BACK) return picked;
    state.region = picked;
    return 3;
  }

  private async pickSecret(state: State, verifier: SecretsVerifier): Promise<number | undefined | typeof BACK> {
    const text = await this.currentText(state);
    const plaintext = plaintextPassword(text, this.fileName(state));
    type Pick = { kind: 'type' } | { kind: 'create' } | { kind: 'more' } | { kind: 'secret'; name: string };
    const base: Choice<Pick>[] = [];
    if (plaintext !== undefined) base.push({ label: '$(add) Create a new secret from the current plaintext password', value: { kind: 'create' } });
    base.push({ label: '$(edit) Type a secret name or ARN…', value: { kind: 'type' } });
    const listed: Choice<Pick>[] = [];
    let nextToken: string | undefined;
    let listError: string | undefined;
    const loadPage = async () => {
      try {
        const page = await verifier.listSecrets(state.region!, { nextToken });
        for (const s of page.secrets) {
          listed.push({
            label: s.name,
            description: s.description,
            detail: s.lastChangedDate ? `last changed ${new Date(s.lastChangedDate).toLocaleString()}` : undefined,
            value: { kind: 'secret', name: s.name },
            group: `Secrets in ${state.region}`,
          });
        }
        nextToken = page.nextToken;
      } catch (error) {
        listError = `${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`;
        nextToken = undefined;
      }
    };
    await loadPage();
    if (listError) void this.ui.notify(`Listing secrets in ${state.region} failed (${listError}); type the name or ARN instead.`);
    for (;;) {
      const more: Choice<Pick>[] = nextToken ? [{ label: '$(ellipsis) Load more secrets…', value: { kind: 'more' } }] : [];
      const active = state.secretId ? listed.find((c) => c.value.kind === 'secret' && c.value.name === state.secretId)?.value : undefined;
      const picked = await this.ui.pick(step(3), [...base, ...listed, ...more], {
        placeholder: 'Which secret holds the password? (names only; values are never shown)',
        active,
      });
      if (picked === undefined || picked === BACK) return picked;
      if (picked.kind === 'more') {
        await loadPage();
        continue;
      }
      if (picked.kind === 'secret') {
        state.secretId = picked.name;
        state.newSecret = undefined;
        return 4;
      }
      if (picked.kind === 'type') {
        const typed = await this.ui.input(step(3), {
          prompt: 'Secret name or full ARN',
          value: state.newSecret ? '' : state.secretId,
          validate: (v) => validateSecretId(v.trim(), state.region!),
        });
        if (typed === undefined) return undefined;
        if (typed === BACK) continue;
        state.secretId = typed.trim();
        state.newSecret = undefined;
        return 4;
      }
      const created = await this.askNewSecret(state);
      if (created === undefined) return undefined;
      if (created === BACK) continue;
      return 5;
    }
  }

  private async askNewSecret(state: State): Promise<true | undefined | typeof BACK> {
    const name = await this.ui.input(step(3), {
      prompt: 'Name of the new secret',
      value: state.newSecret?.name ?? 'bitbucket/database',
      validate: (v) => (SECRET_NAME.test(v) ? undefined : 'Use 1–512 letters, digits and / _ + = . @ -'),
    });
    if (name === undefined || name === BACK) return name;
    const shape = await this.ui.pick(
      step(4),
      [
        { label: 'Key/value', description: '{"password": "…"} with the pointer /password (recommended)', value: true },
        { label: 'Plaintext', description: 'the secret string is the password', value: false },
      ],
      { placeholder: 'How to store the password', active: state.newSecret?.keyValue ?? true },
    );
    if (shape === undefined || shape === BACK) return shape;
    const kms = await this.ui.input(step(4), {
      prompt: 'KMS key ID, ARN or alias (optional; empty for aws/secretsmanager)',
      value: state.newSecret?.kmsKeyId ?? '',
    });
    if (kms === undefined || kms === BACK) return kms;
    const description = await this.ui.input(step(4), {
      prompt: 'Description (optional)',
      value: state.newSecret?.description ?? 'Bitbucket database password',
    });
    if (description === undefined || description === BACK) return description;
    state.newSecret = { name, keyValue: shape, kmsKeyId: kms.trim() || undefined, description: description.trim() || undefined };
    state.secretId = name;
    state.shape = shape ? 'key/value' : 'plaintext';
    state.pointer = shape ? '/password' : undefined;
    return true;
  }

  private async pickShape(state: State, verifier: SecretsVerifier): Promise<number | undefined | typeof BACK> {
    const existing = existingReference(await this.currentText(state), this.fileName(state));
    const shape = await this.ui.pick(
      step(4),
      [
        { label: 'Key/value', description: 'the secret is JSON; pick the key that holds the password', value: 'key/value' as const },
        { label: 'Plaintext', description: 'the whole secret string is the password', value: 'plaintext' as const },
      ],
      { placeholder: 'What does the secret look like?', active: state.shape ?? (existing?.secretPointer ? 'key/value' : undefined) },
    );
    if (shape === undefined || shape === BACK) return shape;
    state.shape = shape;
    if (shape === 'plaintext') {
      state.pointer = undefined;
      return 5;
    }
    let keys: string[] | undefined;
    try {
      keys = await verifier.secretKeys(state.region!, state.secretId!);
    } catch (error) {
      void this.ui.notify(`Could not read the secret's keys (${(error as Error).name}); type the pointer instead.`);
    }
    if (keys && keys.length > 0) {
      const preferred = keys.find((k) => /^pass(word)?$/i.test(k)) ?? keys[0];
      const picked = await this.ui.pick(
        step(4),
        keys.map((k) => ({ label: k, description: pointerForKey(k), value: pointerForKey(k) })),
        {
          placeholder: 'Which key holds the password? (keys only; values are never shown)',
          active: state.pointer ?? existing?.secretPointer ?? pointerForKey(preferred),
        },
      );
      if (picked === undefined) return undefined;
      if (picked === BACK) return 4;
      state.pointer = picked;
      return 5;
    }
    if (keys && keys.length === 0) void this.ui.notify('The secret is not a JSON object; choose Plaintext, or type a pointer.');
    const typed = await this.ui.input(step(4), {
      prompt: 'JSON pointer to the password, e.g. /password',
      value: state.pointer ?? '/password',
      validate: (v) => (v.startsWith('/') && !/~(?![01])/.test(v) ? undefined : 'A JSON pointer starts with / and writes ~ as ~0 and / inside a key as ~1'),
    });
    if (typed === undefined) return undefined;
    if (typed === BACK) return 4;
    state.pointer = typed;
    return 5;
  }

  private async review(state: State, verifier: SecretsVerifier): Promise<AwsSecretTarget | undefined | typeof BACK> {
    for (;;) {
      const target: AwsSecretTarget = { region: state.region!, secretId: state.secretId!, ...(state.pointer ? { secretPointer: state.pointer } : {}) };
      const text = await this.currentText(state);
      const file = state.target!.kind === 'file' ? state.target!.uri : vscode.Uri.joinPath(state.target!.folder, 'shared', 'bitbucket.properties');
      let plan = planForFile(this.fileName(state), text, target);
      if (plan.kind === 'error') {
        this.ui.error(`Cannot update ${path.basename(file.fsPath)}: ${plan.message}.`);
        return undefined;
      }
      let replaceClass = false;
      if (plan.kind === 'needs-confirmation') {
        replaceClass = await this.ui.confirm(
          `${path.basename(file.fsPath)} uses ${plan.currentClass} for ${plan.dependentKeys.join(', ')}. Replace the class with the AWS store anyway?`,
          'Those values would then be read from AWS Secrets Manager and would break unless you move them too.',
          'Replace Class',
        );
        if (!replaceClass) return undefined;
        plan = planForFile(this.fileName(state), text, target, { replaceClass: true });
      }
      if (plan.kind !== 'edits') return undefined;
      if (plan.changed) await this.ui.preview(file, plan.newText);
      const choices: Choice<'apply' | 'line'>[] = [
        {
          label: plan.changed ? '$(check) Apply' : '$(check) Nothing to change: the file already says this',
          description: plan.changed ? `backup first, then one undoable edit of ${vscode.workspace.asRelativePath(file)}` : undefined,
          detail: state.newSecret ? `Creates secret ${state.newSecret.name} in ${state.region} from the current plaintext password.` : undefined,
          value: 'apply',
        },
        ...plan.lines.map((l) => ({ label: l, value: 'line' as const, group: 'Lines to write' })),
      ];
      const picked = await this.ui.pick(step(5), choices, {
        placeholder: 'Review the exact lines (the diff beside shows the whole file), then apply',
        active: 'apply',
      });
      if (picked === undefined) return undefined;
      if (picked === BACK) return BACK;
      if (picked === 'line') continue;
      if (!plan.changed) return target;
      return this.apply(state, target, file, replaceClass, verifier);
    }
  }

  private async apply(
    state: State,
    target: AwsSecretTarget,
    file: vscode.Uri,
    replaceClass: boolean,
    verifier: SecretsVerifier,
  ): Promise<AwsSecretTarget | undefined> {
    // 1. Create the secret first: if AWS refuses, the file stays as it was.
    if (state.newSecret) {
      const document = await vscode.workspace.openTextDocument(file);
      const password = plaintextPassword(document.getText(), path.posix.basename(file.path));
      if (password === undefined) {
        this.ui.error('The plaintext password is gone from the file; nothing was created.');
        return undefined;
      }
      try {
        const arn = await verifier.createSecret(state.region!, {
          name: state.newSecret.name,
          secretString: state.newSecret.keyValue ? JSON.stringify({ password }) : password,
          description: state.newSecret.description,
          kmsKeyId: state.newSecret.kmsKeyId,
        });
        log().info(`created secret ${state.newSecret.name} (${arn ?? 'no ARN'}) in ${state.region}`);
      } catch (error) {
        this.ui.error(`Creating the secret failed: ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}. The file is unchanged.`);
        return undefined;
      }
    }
    // 2. Back up the file on disk beside it, then one undoable edit, then save.
    let backup: string | undefined;
    if (state.target!.kind === 'create' && !fs.existsSync(file.fsPath)) {
      await vscode.workspace.fs.writeFile(file, new Uint8Array());
    } else if (file.scheme === 'file' && fs.existsSync(file.fsPath)) {
      try {
        // The same backup as the CLI's: exclusive, owner-only, complete or absent (files/safeWrite.ts).
        const { bytes } = await readRegularFile(await fs.promises.realpath(file.fsPath));
        backup = await writeBackup(file.fsPath, bytes);
      } catch (error) {
        this.ui.error(`The backup could not be written (${error instanceof Error ? error.message : String(error)}); the file is unchanged.`);
        return undefined;
      }
    }
    const document = await vscode.workspace.openTextDocument(file);
    const plan = planForFile(path.posix.basename(file.path), document.getText(), target, { replaceClass });
    if (plan.kind !== 'edits') return undefined;
    const edit = new vscode.WorkspaceEdit();
    const lines = new LineIndex(document.getText());
    for (const e of plan.edits) edit.replace(document.uri, toRange(lines, e.start, e.end), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) {
      this.ui.error('The edit could not be applied; the file is unchanged.');
      return undefined;
    }
    await document.save();
    log().info(`wrote the AWS Secrets Manager reference for ${target.secretId} to ${file.fsPath}${backup ? ` (backup ${backup})` : ''}`);
    const written = analysisOf(document.getText(), path.posix.basename(file.path));
    const choice = await this.ui.notify(
      `The database password now reads ${target.secretId} (${regionInfo(target.region)?.name ?? target.region}).` +
        (backup ? ` Backup: ${path.basename(backup)} — Atlassian recommends moving it off the instance.` : '') +
        ` Restart ${PRODUCT_NAMES[written.product]} (every node) to apply.`,
      'Verify Now',
    );
    if (choice === 'Verify Now') {
      const key = written.references.find((r) => PASSWORD_KEYS.includes(r.key))?.key ?? PASSWORD_PROPERTY;
      await this.verify.verifyReference(document, key);
    }
    return target;
  }
}

export function validateSecretId(value: string, region: string): string | undefined {
  if (value === '') return 'Enter a secret name or ARN';
  if (value.startsWith('arn:')) {
    const arn = parseSecretArn(value);
    if (!arn) return 'Not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)';
    if (arn.region !== region) return `The ARN is in ${arn.region}, but you picked ${region}: go back and pick ${arn.region}`;
    return undefined;
  }
  return SECRET_NAME.test(value) ? undefined : 'Names use 1–512 letters, digits and / _ + = . @ -';
}
