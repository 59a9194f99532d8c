/**
 * "Configure AWS Secrets Manager password…": Atlassian's five steps as one guided flow. Target file → region →
 * secret (pick, type, or create from the current plaintext password) → shape and pointer → review → backup and one
 * undoable edit → "Verify now". The questions go through WizardUi; the file edit through the pure planner.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { analyzeFile } from '../core/analyzeFile';
import { FileKind } from '../core/model/fileKind';
import { ENC_PREFIX, PRODUCTS } from '../core/model/products';
import { Analysis, awsOf } from '../core/rules/analysis';
import { ATL_SECURED } from '../core/xml/analyze';
import { planForFile } from '../core/edits/plan';
import { reviewRows } from '../core/edits/review';
import { containerVariable, passwordKeyOf, productContainers } from '../core/edits/containerPlan';
import { effectiveProfileName, readAwsProfiles } from '../files/awsConfig';
import { runSsoLogin, ssoLoginProfile } from '../verify/ssoLogin';
import { PRODUCT_CREDENTIAL_CHAIN, whoLabel } from '../core/verify/identity';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { readRegularFile } from '../files/read';
import { writeBackup } from '../files/safeWrite';
import { moveBackup } from '../files/moveBackup';
import { restartChecklist } from '../core/verify/checklist';
import { applySummary } from '../core/product/password';
import { awsCliCheckCommand } from '../core/verify/awsCommands';
import * as os from 'os';
import { allRegions, regionInfo } from '../core/regions/regions';
import { parseSecretArn } from '../core/stores/aws';
import { pointerForKey } from '../core/stores/jsonPointer';
import { toRange } from '../documents/analysisCache';
import { LineIndex } from '../core/text/lineIndex';
import { chosenFileKindOf, fileKindOf } from '../documents/selector';
import { findProductFiles } from '../documents/productFiles';
import { CREDENTIAL_PROBLEMS, UNREACHABLE } from '../core/verify/outcome';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { VerifyController } from '../verify/verifyController';
import { BACK, Choice, Step, WizardUi } from './wizardUi';
import { walkthroughDone } from '../walkthrough/progress';
import type { SecretsVerifier } from '../aws';

const TITLE = 'Configure AWS Secrets Manager password';
const TOTAL = 5;
/** A step's title names who the wizard checks as (from the preflight), so that it is seen on every question. */
const step = (n: number, state: State): Step => ({ title: state.who ? `${TITLE} · ${state.who}` : TITLE, step: n, totalSteps: TOTAL });

type Target = { kind: 'file'; uri: vscode.Uri } | { kind: 'create'; folder: vscode.Uri };

interface NewSecret {
  readonly name: string;
  readonly keyValue: boolean;
  readonly kmsKeyId?: string;
  readonly description?: string;
}

/** The target file, read and analysed once when it is picked. */
interface Resolved {
  readonly file: vscode.Uri;
  readonly kind: FileKind;
  readonly analysis: Analysis;
}

interface State {
  /** A container deployment with several product containers: the one to write. */
  service?: string;
  /** Who the checks run as ("as user ops in 123456789012 (environment)"), or that nothing is checked. */
  who?: string;
  target?: Target;
  resolved?: Resolved;
  region?: string;
  secretId?: string;
  newSecret?: NewSecret;
  shape?: 'plaintext' | 'key/value';
  pointer?: string;
}

/** The answers a step stands on: the step table reaches a step only after the steps that give them. */
function answered<K extends keyof State>(state: State, ...keys: K[]): State & Required<Pick<State, K>> {
  for (const key of keys) if (state[key] === undefined) throw new Error(`The wizard reached a step before answering ${key}.`);
  return state as State & Required<Pick<State, K>>;
}

/** The region step's hint item: picking it asks again. */
const NO_REGION = '';

type StepId = 'target' | 'region' | 'secret' | 'shape' | 'review';

/** The run's AWS verifier; renewed when the credentials page changes the profile. */
interface Session {
  verifier: SecretsVerifier;
}
type StepResult = { readonly next: StepId } | { readonly done: AwsSecretTarget | undefined } | typeof BACK | undefined;

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The current plaintext password (no {ENC}, no cipher class for the XML products, not {ATL_SECURED}); in a container file, the chosen container's. */
function plaintextPassword(analysis: Analysis, service?: string): string | undefined {
  if (analysis.kind.format === 'xml' && analysis.cipher) return undefined;
  const password = passwordKeyOf(analysis.kind);
  const kind = analysis.kind;
  const value =
    kind.format === 'container'
      ? analysis.references.some((r) => r.key === password)
        ? undefined
        : containerVariable(analysis.text, kind, password, service)?.value
      : analysis.settings.filter((e) => e.key === password).at(-1)?.value;
  if (value === undefined || value.trim() === '' || value.startsWith(ENC_PREFIX) || value.trim() === ATL_SECURED || value.trimStart().startsWith('{'))
    return undefined;
  return value;
}

/** The AWS reference the password setting holds now, to preselect its region, secret and pointer. */
function existingReference(analysis: Analysis | undefined): { region?: string; secretId?: string; secretPointer?: string } | undefined {
  const reference = analysis?.references.find((r) => r.key === passwordKeyOf(analysis.kind));
  return reference && awsOf(reference);
}

function profileRegion(): string | undefined {
  const name = effectiveProfileName(getSettings().awsProfile);
  return readAwsProfiles().find((p) => p.name === name)?.region;
}

export class ConfigureAwsSecretWizard {
  constructor(
    private readonly ui: WizardUi,
    private readonly verify: VerifyController,
  ) {}

  /**
   * The steps, in order; each returns the step to go to, `done` with the result, BACK or undefined (cancelled).
   * Going back returns to the step the user came from (the history), with every answer kept in the state.
   */
  private readonly steps: Readonly<Record<StepId, (state: State, session: Session) => Promise<StepResult>>> = {
    target: (state) => this.pickTarget(state),
    region: (state) => this.pickRegion(state),
    secret: (state, session) => this.pickSecret(state, session.verifier),
    shape: (state, session) => this.pickShape(state, session.verifier),
    review: (state, session) => this.review(state, session),
  };

  /** Runs the flow; returns the written reference, or undefined when cancelled or nothing was written. */
  async run(initial?: vscode.Uri): Promise<AwsSecretTarget | undefined> {
    if (!vscode.workspace.isTrusted) {
      this.ui.error('The wizard talks to AWS with your credentials, so it needs a trusted workspace.');
      return undefined;
    }
    const state: State = {};
    if (initial && !(await this.resolve(state, { kind: 'file', uri: initial }))) return undefined;
    const session: Session = { verifier: this.verify.newVerifier() };
    try {
      // Preflight: who will the checks run as? Without credentials, the page that says what to do, before any question.
      if (!(await this.credentials(state, session, existingReference(state.resolved?.analysis)?.region))) return undefined;
      const history: StepId[] = initial ? ['target'] : [];
      let current: StepId = initial ? 'region' : 'target';
      for (;;) {
        const result: StepResult = await this.steps[current](state, session);
        if (result === undefined) return undefined;
        if (result === BACK) {
          const previous = history.pop();
          if (previous !== undefined) current = previous;
          continue;
        }
        if ('done' in result) return result.done;
        if (result.next !== current) history.push(current);
        current = result.next;
      }
    } finally {
      session.verifier.dispose();
      await this.ui.closePreview();
    }
  }

  /**
   * The preflight, and the credentials page when it fails: the chain the product uses, what each provider said, and only
   * the actions that can work here. True to go on (with credentials, or knowingly unchecked); false when cancelled.
   * The answers given so far stay in `state`.
   */
  private async credentials(state: State, session: Session, region: string | undefined): Promise<boolean> {
    for (;;) {
      const found = await this.ui.progress('Encrypted Properties: checking AWS credentials…', () =>
        this.verify.preflight(session.verifier, region ?? state.region),
      );
      if (found.ok) {
        state.who = found.identity
          ? `as ${whoLabel(found.source, found.identity)}`
          : `as ${found.source} (identity unknown: ${found.identityProblem ?? 'no answer'})`;
        return true;
      }
      log().warn(`wizard: no usable AWS credentials: ${found.message}`);
      const profiles = readAwsProfiles();
      const sso = ssoLoginProfile();
      type Action = 'retry' | 'sso' | 'profile' | 'learn' | 'log' | 'continue' | 'info';
      const choices: Choice<Action>[] = [
        { label: '$(refresh) Check again', description: 'after fixing the credentials; your answers are kept', value: 'retry' },
      ];
      if (sso) choices.push({ label: `$(terminal) Run aws sso login --profile ${sso}`, description: 'in a terminal, then check again', value: 'sso' });
      if (profiles.length > 0)
        choices.push({ label: '$(account) Use another AWS profile…', description: `${profiles.length} in the shared AWS files`, value: 'profile' });
      choices.push(
        { label: '$(book) How the product finds credentials on the server', description: 'instance role, container, web identity', value: 'learn' },
        { label: '$(output) Show the log', value: 'log' },
        ...found.found.map((line) => ({ label: `$(circle-slash) ${line}`, value: 'info' as const, group: 'What the credential chain found here' })),
        ...PRODUCT_CREDENTIAL_CHAIN.map((link, i) => ({
          label: `${i + 1}. ${link.name}`,
          description: link.detail,
          value: 'info' as const,
          group: 'The chain the product uses, in order',
        })),
        {
          label: '$(debug-step-over) Continue without credentials',
          description: 'nothing can be checked before writing',
          value: 'continue',
          group: 'Not recommended',
        },
      );
      const chain = getSettings().awsProfile ? `profile ${getSettings().awsProfile}` : 'default chain';
      const picked = await this.ui.pick({ title: `${TITLE}: AWS credentials`, step: 0, totalSteps: TOTAL }, choices, {
        placeholder: `No usable AWS credentials (${chain}): needed to check the secret before writing`,
        active: 'retry',
      });
      if (picked === undefined || picked === BACK) return false;
      if (picked === 'retry') {
        // A profile or the shared files may have changed outside: a new verifier reads them afresh.
        session.verifier.dispose();
        session.verifier = this.verify.newVerifier();
      }
      if (picked === 'continue') {
        state.who = 'unchecked: no AWS credentials';
        log().warn('wizard: continuing without credentials; nothing is checked before writing');
        return true;
      }
      if (picked === 'sso' && sso) runSsoLogin(sso);
      if (picked === 'profile') {
        const chosen = await vscode.commands.executeCommand<string | undefined>('encryptedProperties.selectAwsProfile');
        if (chosen !== undefined) {
          session.verifier.dispose();
          session.verifier = this.verify.newVerifier();
        }
      }
      if (picked === 'learn') await vscode.commands.executeCommand('encryptedProperties.openWalkthrough', 'authenticate');
      if (picked === 'log') log().show(true);
    }
  }

  /** Reads and analyses the picked file once, with its kind (the associations setting applies); false when it is no product's. */
  private async resolve(state: State, target: Target): Promise<boolean> {
    if (target.kind === 'create') {
      const file = vscode.Uri.joinPath(target.folder, 'shared', 'bitbucket.properties');
      const kind: FileKind = { profile: PRODUCTS.bitbucket, format: 'properties', source: 'chosen' };
      state.target = target;
      state.resolved = { file, kind, analysis: analyzeFile('', { kind }) };
      return true;
    }
    const document = await vscode.workspace.openTextDocument(target.uri);
    const kind = chosenFileKindOf(document);
    if (kind === undefined) {
      this.ui.error(
        `${path.posix.basename(target.uri.path)} is neither a properties file nor the configuration file of Jira, Confluence, Bamboo or Crowd. ` +
          'Map its name to a product in the encryptedProperties.files.associations setting.',
      );
      return false;
    }
    state.target = target;
    state.resolved = { file: target.uri, kind, analysis: analyzeFile(document.getText(), { kind }) };
    state.service = undefined;
    if (kind.format === 'container') {
      // A Compose file or manifest may run several products: the reference goes to one container, which the user picks.
      const containers = productContainers(document.getText(), kind);
      if (containers.length === 0) {
        this.ui.error(`${path.posix.basename(target.uri.path)} runs no Jira, Confluence or Bitbucket container.`);
        return false;
      }
      let chosen = containers[0];
      if (containers.length > 1) {
        const picked = await this.ui.pick(
          step(1, state),
          containers.map((c) => ({ label: c.name, description: PRODUCTS[c.product].name, value: c.name })),
          { placeholder: 'Which container gets the secret reference?' },
        );
        if (picked === undefined || picked === BACK) return false;
        state.service = picked;
        chosen = containers.find((c) => c.name === picked) ?? chosen;
      }
      // The container's product decides the variables, the messages and the checklist.
      const containerKind: FileKind = { ...kind, profile: PRODUCTS[chosen.product] };
      state.resolved = { file: target.uri, kind: containerKind, analysis: analyzeFile(document.getText(), { kind: containerKind }) };
    }
    return true;
  }

  private async pickTarget(state: State): Promise<StepResult> {
    const choices: Choice<Target>[] = [];
    const active = vscode.window.activeTextEditor?.document;
    if (active && !active.isUntitled && fileKindOf(active) !== undefined) {
      choices.push({
        label: `$(file) ${path.basename(active.uri.fsPath)}`,
        description: vscode.workspace.asRelativePath(active.uri),
        detail: 'The active editor',
        value: { kind: 'file', uri: active.uri },
      });
    }
    const found = await findProductFiles();
    for (const uri of found) {
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
    const picked = await this.ui.pick(step(1, state), choices, {
      placeholder: 'Which file holds the database password?',
      active: state.target ? choices.find((c) => JSON.stringify(c.value) === JSON.stringify(state.target))?.value : undefined,
    });
    if (picked === undefined || picked === BACK) return picked;
    return (await this.resolve(state, picked)) ? { next: 'region' } : { next: 'target' };
  }

  private async pickRegion(state: State): Promise<StepResult> {
    const existing = existingReference(state.resolved?.analysis)?.region;
    const preselect = state.region ?? existing ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? profileRegion();
    const regions = allRegions();
    const choices: Choice<string>[] = regions.map((r) => ({
      label: r.id,
      description: r.name,
      value: r.id,
      group: r.partition === 'aws' ? 'AWS' : `Partition ${r.partition}`,
    }));
    // Only a region with a reason is preselected (the file, AWS_REGION, the profile). Otherwise the first item says so,
    // so that Enter does not silently pick the first region of the list.
    const known = regions.some((r) => r.id === preselect);
    const hint: Choice<string>[] = known
      ? []
      : [{ label: '$(info) No region preselected', description: 'type the region ID or name of the secret, then pick it', value: NO_REGION }];
    const picked = await this.ui.pick(step(2, state), [...hint, ...choices], {
      placeholder: known ? 'Region of the secret (type to filter by ID or name)' : 'Region of the secret: none is preselected (type to filter by ID or name)',
      active: known ? preselect : NO_REGION,
    });
    if (picked === undefined || picked === BACK) return picked;
    if (picked === NO_REGION) return { next: 'region' };
    state.region = picked;
    return { next: 'secret' };
  }

  private async pickSecret(unsure: State, verifier: SecretsVerifier): Promise<StepResult> {
    const state = answered(unsure, 'resolved', 'region');
    const plaintext = plaintextPassword(state.resolved.analysis, state.service);
    type Pick = { kind: 'type' } | { kind: 'create' } | { kind: 'more' } | { kind: 'secret'; name: string };
    const base: Choice<Pick>[] = [];
    if (plaintext !== undefined) base.push({ label: '$(add) Create a new secret from the current plaintext password', value: { kind: 'create' } });
    base.push({ label: '$(edit) Type a secret name or ARN…', value: { kind: 'type' } });
    const listed: Choice<Pick>[] = [];
    let nextToken: string | undefined;
    let listError: string | undefined;
    const loadPage = async () => {
      try {
        const page = await verifier.listSecrets(state.region, { nextToken });
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
      const picked = await this.ui.pick(step(3, state), [...base, ...listed, ...more], {
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
        return { next: 'shape' };
      }
      if (picked.kind === 'type') {
        const typed = await this.ui.input(step(3, state), {
          prompt: 'Secret name or full ARN',
          value: state.newSecret ? '' : state.secretId,
          validate: (v) => validateSecretId(v.trim(), state.region),
        });
        if (typed === undefined) return undefined;
        if (typed === BACK) continue;
        state.secretId = typed.trim();
        state.newSecret = undefined;
        return { next: 'shape' };
      }
      const created = await this.askNewSecret(state);
      if (created === undefined) return undefined;
      if (created === BACK) continue;
      return { next: 'review' };
    }
  }

  private async askNewSecret(state: State): Promise<true | undefined | typeof BACK> {
    const name = await this.ui.input(step(3, state), {
      prompt: 'Name of the new secret',
      value: state.newSecret?.name ?? 'bitbucket/database',
      validate: (v) => (SECRET_NAME.test(v) ? undefined : 'Use 1–512 letters, digits and / _ + = . @ -'),
    });
    if (name === undefined || name === BACK) return name;
    const shape = await this.ui.pick(
      step(4, state),
      [
        { label: 'Key/value', description: '{"password": "…"} with the pointer /password (recommended)', value: true },
        { label: 'Plaintext', description: 'the secret string is the password', value: false },
      ],
      { placeholder: 'How to store the password', active: state.newSecret?.keyValue ?? true },
    );
    if (shape === undefined || shape === BACK) return shape;
    const kms = await this.ui.input(step(4, state), {
      prompt: 'KMS key ID, ARN or alias (optional; empty for aws/secretsmanager)',
      value: state.newSecret?.kmsKeyId ?? '',
    });
    if (kms === undefined || kms === BACK) return kms;
    const description = await this.ui.input(step(4, state), {
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

  private async pickShape(unsure: State, verifier: SecretsVerifier): Promise<StepResult> {
    const state = answered(unsure, 'region', 'secretId');
    const existing = existingReference(state.resolved?.analysis);
    const shape = await this.ui.pick(
      step(4, state),
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
      return { next: 'review' };
    }
    let keys: string[] | undefined;
    try {
      keys = await verifier.secretKeys(state.region, state.secretId);
    } catch (error) {
      void this.ui.notify(`Could not read the secret's keys (${(error as Error).name}); type the pointer instead.`);
    }
    if (keys && keys.length > 0) {
      const preferred = keys.find((k) => /^pass(word)?$/i.test(k)) ?? keys[0];
      const picked = await this.ui.pick(
        step(4, state),
        keys.map((k) => ({ label: k, description: pointerForKey(k), value: pointerForKey(k) })),
        {
          placeholder: 'Which key holds the password? (keys only; values are never shown)',
          active: state.pointer ?? existing?.secretPointer ?? pointerForKey(preferred),
        },
      );
      if (picked === undefined) return undefined;
      if (picked === BACK) return { next: 'shape' };
      state.pointer = picked;
      return { next: 'review' };
    }
    if (keys && keys.length === 0) void this.ui.notify('The secret is not a JSON object; choose Plaintext, or type a pointer.');
    const typed = await this.ui.input(step(4, state), {
      prompt: 'JSON pointer to the password, e.g. /password',
      value: state.pointer ?? '/password',
      validate: (v) => (v.startsWith('/') && !/~(?![01])/.test(v) ? undefined : 'A JSON pointer starts with / and writes ~ as ~0 and / inside a key as ~1'),
    });
    if (typed === undefined) return undefined;
    if (typed === BACK) return { next: 'shape' };
    state.pointer = typed;
    return { next: 'review' };
  }

  /**
   * Before anything is written: would the product resolve this reference? (GetSecretValue through the same rules as
   * Verify, without keeping the value.) When not, the user goes back, takes a fitting fix (plaintext instead of a
   * pointer, another key), or writes it anyway knowing why; Enter goes back, never writes.
   */
  private async checkResolves(state: State & Required<Pick<State, 'region' | 'secretId'>>, session: Session): Promise<'ok' | typeof BACK | undefined> {
    for (;;) {
      const verifier = session.verifier;
      const outcome = await verifier.verify({ region: state.region, secretId: state.secretId, secretPointer: state.pointer, describe: false });
      if (outcome.code === 'ok') {
        walkthroughDone('createSecret');
        return 'ok';
      }
      type Fix = { kind: 'back' } | { kind: 'anyway' } | { kind: 'plaintext' } | { kind: 'key'; pointer: string } | { kind: 'credentials' };
      const fixes: Choice<Fix>[] = [];
      if (CREDENTIAL_PROBLEMS.has(outcome.code)) {
        fixes.push({ label: '$(account) Fix the AWS credentials, then check again', description: 'your answers are kept', value: { kind: 'credentials' } });
      }
      if (outcome.code === 'not-json' && state.pointer) {
        fixes.push({
          label: '$(symbol-string) Use the whole secret (plaintext, no pointer)',
          description: 'the secret is not key/value JSON',
          value: { kind: 'plaintext' },
        });
      }
      if (outcome.code === 'pointer-missing') {
        const keys = (await verifier.secretKeys(state.region, state.secretId).catch(() => undefined)) ?? [];
        for (const k of keys)
          fixes.push({
            label: `$(key) Use key "${k}"`,
            description: pointerForKey(k),
            value: { kind: 'key', pointer: pointerForKey(k) },
            group: 'Keys of the secret',
          });
      }
      const couldNotCheck = UNREACHABLE.has(outcome.code);
      log().info(`wizard check of ${state.secretId} (${state.region}): ${outcome.code}`);
      const picked = await this.ui.pick(
        step(5, state),
        [
          { label: '$(arrow-left) Go back and change it', value: { kind: 'back' } },
          ...fixes,
          {
            label: '$(warning) Write it anyway',
            description: couldNotCheck ? 'unchecked' : 'the product will not start with it',
            detail: outcome.message,
            value: { kind: 'anyway' },
            group: 'Not recommended',
          },
        ],
        {
          placeholder: couldNotCheck ? `Could not check the reference: ${outcome.message}` : `The product would not resolve this reference: ${outcome.message}`,
          active: { kind: 'back' },
        },
      );
      if (picked === undefined) return undefined;
      if (picked === BACK || picked.kind === 'back') return BACK;
      if (picked.kind === 'anyway') return 'ok';
      if (picked.kind === 'credentials') {
        if (!(await this.credentials(state, session, state.region))) return undefined;
        continue;
      }
      if (picked.kind === 'plaintext') {
        state.shape = 'plaintext';
        state.pointer = undefined;
      } else {
        state.shape = 'key/value';
        state.pointer = picked.pointer;
      }
    }
  }

  private async review(unsure: State, session: Session): Promise<StepResult> {
    const state = answered(unsure, 'resolved', 'region', 'secretId');
    const { file, kind, analysis } = state.resolved;
    // A new secret is created from the file's password just before writing: there is nothing to check yet.
    if (!state.newSecret) {
      const checked = await this.checkResolves(state, session);
      if (checked !== 'ok') return checked;
    }
    for (;;) {
      const target: AwsSecretTarget = { region: state.region, secretId: state.secretId, ...(state.pointer ? { secretPointer: state.pointer } : {}) };
      let plan = planForFile(kind, analysis.text, target, { service: state.service });
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
        plan = planForFile(kind, analysis.text, target, { replaceClass: true, service: state.service });
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
        // Each setting as a row of its own, then its value's rows (a separator's name would share a row and cut it).
        ...reviewRows(plan.lines).flatMap((row, i, rows) => [
          ...(i === 0 || rows[i - 1].group !== row.group
            ? [{ label: `$(symbol-property) ${row.group}`, value: 'line' as const, group: 'Lines to write' }]
            : []),
          { label: `$(blank) ${row.label}`, value: 'line' as const, group: 'Lines to write' },
        ]),
      ];
      const picked = await this.ui.pick(step(5, state), choices, {
        placeholder: 'Review the exact lines (the diff beside shows the whole file), then apply',
        active: 'apply',
      });
      if (picked === undefined) return undefined;
      if (picked === BACK) return BACK;
      if (picked === 'line') continue;
      if (!plan.changed) {
        walkthroughDone('addToFile');
        return { done: target };
      }
      return { done: await this.apply(state, target, replaceClass, session.verifier) };
    }
  }

  private async apply(
    state: State & Required<Pick<State, 'resolved' | 'region'>>,
    target: AwsSecretTarget,
    replaceClass: boolean,
    verifier: SecretsVerifier,
  ): Promise<AwsSecretTarget | undefined> {
    const { file, kind } = state.resolved;
    // 1. Create the secret first: if AWS refuses, the file stays as it was. The password is read from the file now.
    if (state.newSecret) {
      const document = await vscode.workspace.openTextDocument(file);
      const password = plaintextPassword(analyzeFile(document.getText(), { kind }), state.service);
      if (password === undefined) {
        this.ui.error('The plaintext password is gone from the file; nothing was created.');
        return undefined;
      }
      try {
        const arn = await verifier.createSecret(state.region, {
          name: state.newSecret.name,
          secretString: state.newSecret.keyValue ? JSON.stringify({ password }) : password,
          description: state.newSecret.description,
          kmsKeyId: state.newSecret.kmsKeyId,
        });
        log().info(`created secret ${state.newSecret.name} (${arn ?? 'no ARN'}) in ${state.region}`);
        walkthroughDone('createSecret');
      } catch (error) {
        this.ui.error(`Creating the secret failed: ${(error as Error).name}: ${(error as Error).message.split('\n')[0]}. The file is unchanged.`);
        return undefined;
      }
    }
    // 2. Back up the file on disk beside it, then one undoable edit, then save.
    let backup: string | undefined;
    if (state.target?.kind === 'create' && !fs.existsSync(file.fsPath)) {
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
    const plan = planForFile(kind, document.getText(), target, { replaceClass, service: state.service });
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
    walkthroughDone('addToFile');
    await this.ui.closePreview();
    await this.finish(document, kind, plan.edits, target, backup, state.service);
    return target;
  }

  /**
   * After writing: the file opens at the edited lines, the reference is verified there (the result shows in the lens),
   * and a message that stays says what is left: the checklist, and the backup that holds the plaintext password, which
   * can be moved out of the workspace (a save dialog) or opened. A backup left in place is said, not kept silently.
   */
  private async finish(
    document: vscode.TextDocument,
    kind: FileKind,
    edits: readonly { start: number; end: number; newText: string }[],
    target: AwsSecretTarget,
    backup: string | undefined,
    service: string | undefined,
  ): Promise<void> {
    const first = Math.min(...edits.map((e) => e.start));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const line = document.positionAt(first).line;
    editor.selection = new vscode.Selection(line, 0, line, 0);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    // In a container file, the chosen container's variable (another service may set the same one).
    const at =
      kind.format === 'container'
        ? containerVariable(document.getText(), kind, passwordKeyOf(kind), service)?.start
        : undefined;
    const outcome = await this.verify.verifyReference(document, passwordKeyOf(kind), at);
    const fileName = path.basename(document.uri.fsPath);
    const checklist = restartChecklist({
      kind,
      fileName,
      backup: backup && path.basename(backup),
      cliCheck: awsCliCheckCommand(target, process.platform === 'win32' ? 'powershell' : 'posix'),
    });
    const verified = outcome ? `Verify: ${outcome.message}` : 'Not verified here.';
    const message =
      `The database password now reads ${target.secretId} (${regionInfo(target.region)?.name ?? target.region}). ` +
      applySummary(kind) +
      (backup ? ` The backup ${path.basename(backup)} holds the old file, with the plaintext password.` : '');
    for (;;) {
      const actions = backup && fs.existsSync(backup) ? ['Move Backup…', 'Open Backup'] : [];
      const choice = (await this.ui.finish(message, [verified, '', ...checklist].join('\n'), ...actions, 'Copy Checklist')) as FinishChoice;
      if (choice === 'Copy Checklist') {
        await vscode.env.clipboard.writeText([`${kind.profile.name} (${fileName}):`, ...checklist].join('\n'));
        walkthroughDone('restart');
        continue;
      }
      if (choice === 'Open Backup' && backup) {
        await vscode.window.showTextDocument(vscode.Uri.file(backup), { preview: true });
        return;
      }
      if (choice === 'Move Backup…' && backup) {
        const moved = await this.moveBackup(backup);
        if (moved) return;
        continue;
      }
      if (backup && fs.existsSync(backup))
        log().warn(`the backup ${backup} was left beside the file; it holds the plaintext password: move it off the instance`);
      return;
    }
  }

  /** Asks where to move the backup (outside the workspace), moves it, and says where it is. */
  private async moveBackup(backup: string): Promise<boolean> {
    const to = await this.ui.saveAs('Move the backup (it holds the plaintext password) out of the workspace', path.join(os.homedir(), path.basename(backup)));
    if (to === undefined) return false;
    const inside = vscode.workspace.workspaceFolders?.find(
      (f) => f.uri.scheme === 'file' && !path.relative(f.uri.fsPath, to).startsWith('..') && !path.isAbsolute(path.relative(f.uri.fsPath, to)),
    );
    if (inside) {
      this.ui.error(`${to} is inside the workspace folder ${inside.name}: pick a place outside it (the backup holds the plaintext password).`);
      return false;
    }
    try {
      await moveBackup(backup, to);
    } catch (error) {
      this.ui.error(`The backup could not be moved (${error instanceof Error ? error.message : String(error)}); it is still at ${backup}.`);
      return false;
    }
    log().info(`moved the backup ${backup} to ${to}`);
    void this.ui.notify(`Backup moved to ${to} (owner-only). Delete it once ${path.basename(backup).split('.bak-')[0]} works with the secret.`);
    return true;
  }
}

/** The finish message's answers; undefined when it is closed. */
type FinishChoice = 'Move Backup…' | 'Open Backup' | 'Copy Checklist' | undefined;

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
