/** Step 3: the secret: picked from the region, typed, or created from the current plaintext password. */
import { BACK, Choice } from '../wizardUi';
import { classifyError, SdkErrorLike } from '../../core/verify/awsErrors';
import type { SecretsVerifier } from '../../aws';
import {
  SECRET_NAME,
  TOTAL_CREATING,
  WizardContext,
  State,
  StepResult,
  answered,
  existingReference,
  step,
  plaintextPassword,
  validateSecretId,
} from '../state';

export async function pickSecret(w: WizardContext, unsure: State, verifier: SecretsVerifier): Promise<StepResult> {
  const state = answered(unsure, 'resolved', 'region');
  const plaintext = plaintextPassword(state.resolved.analysis, state.service);
  type Pick = { kind: 'type' } | { kind: 'create' } | { kind: 'more' } | { kind: 'secret'; name: string };
  const base: Choice<Pick>[] = [];
  // Creating a secret needs AWS: without credentials that path cannot work, so it is not offered.
  if (plaintext !== undefined && !state.unchecked)
    base.push({ label: '$(add) Create a new secret from the current plaintext password', value: { kind: 'create' } });
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
      // In words, without the SDK's class names.
      const { code, message } = classifyError(error as SdkErrorLike, { region: state.region, secretId: '' });
      listError = code === 'access-denied' ? 'these credentials may not list secrets (IAM denies secretsmanager:ListSecrets).' : message;
      nextToken = undefined;
    }
  };
  await loadPage();
  if (listError) void w.ui.notify(`Listing secrets in ${state.region} failed: ${listError} Type the name or ARN instead.`);
  // A re-run on a file that already names a secret preselects it (also when the list does not show it).
  const current =
    state.secretId ?? (existingReference(state.resolved.analysis)?.region === state.region ? existingReference(state.resolved.analysis)?.secretId : undefined);
  for (;;) {
    const more: Choice<Pick>[] = nextToken ? [{ label: '$(ellipsis) Load more secrets…', value: { kind: 'more' } }] : [];
    const shown = current ? listed.find((c) => c.value.kind === 'secret' && c.value.name === current) : undefined;
    const kept: Choice<Pick>[] =
      current && !shown && !state.newSecret
        ? [{ label: `$(check) ${current}`, description: 'the secret the file names now', value: { kind: 'secret', name: current } }]
        : [];
    const active = shown?.value ?? kept[0]?.value;
    const picked = await w.ui.pick(step(3, state), [...kept, ...base, ...listed, ...more], {
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
      const typed = await w.ui.input(step(3, state), {
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
    const created = await askNewSecret(w, state, new Set(listed.map((c) => (c.value.kind === 'secret' ? c.value.name : ''))));
    if (created === undefined) return undefined;
    if (created === BACK) continue;
    return { next: 'review' };
  }
}

/**
 * The new secret's name and description, from the product and the service (`jira/database`, `confluence/wiki/database`
 * for the container "wiki"), and a name not taken among the region's secrets (`jira/database-2`).
 */
export function newSecretDefaults(state: State, existing: ReadonlySet<string>): { name: string; description: string } {
  const profile = state.resolved?.kind.profile;
  const product = profile?.product ?? 'bitbucket';
  const service = state.service && state.service !== product ? `/${state.service}` : '';
  const base = `${product}${service}/database`;
  let name = base;
  for (let i = 2; existing.has(name); i++) name = `${base}-${i}`;
  return { name, description: `${profile?.name ?? 'Bitbucket'} database password${state.service ? ` (${state.service})` : ''}` };
}

export async function askNewSecret(w: WizardContext, state: State, existing: ReadonlySet<string> = new Set()): Promise<true | undefined | typeof BACK> {
  const defaults = newSecretDefaults(state, existing);
  const name = await w.ui.input(step(4, state, TOTAL_CREATING), {
    prompt: 'Name of the new secret',
    value: state.newSecret?.name ?? defaults.name,
    validate: (v) =>
      !SECRET_NAME.test(v)
        ? 'Use 1–512 letters, digits and / _ + = . @ -'
        : existing.has(v)
          ? `A secret named ${v} already exists in ${state.region ?? 'this region'}: go back and pick it from the list, or choose another name.`
          : undefined,
  });
  if (name === undefined || name === BACK) return name;
  const shape = await w.ui.pick(
    step(5, state, TOTAL_CREATING),
    [
      { label: 'Key/value', description: '{"password": "…"} with the pointer /password (recommended)', value: true },
      { label: 'Plaintext', description: 'the secret string is the password', value: false },
    ],
    { placeholder: 'How to store the password', active: state.newSecret?.keyValue ?? true },
  );
  if (shape === undefined || shape === BACK) return shape;
  const kms = await w.ui.input(step(6, state, TOTAL_CREATING), {
    prompt: 'KMS key ID, ARN or alias (optional; empty for aws/secretsmanager)',
    value: state.newSecret?.kmsKeyId ?? '',
  });
  if (kms === undefined || kms === BACK) return kms;
  const description = await w.ui.input(step(7, state, TOTAL_CREATING), {
    prompt: 'Description (optional)',
    value: state.newSecret?.description ?? defaults.description,
  });
  if (description === undefined || description === BACK) return description;
  state.newSecret = { name, keyValue: shape, kmsKeyId: kms.trim() || undefined, description: description.trim() || undefined };
  state.secretId = name;
  state.shape = shape ? 'key/value' : 'plaintext';
  state.pointer = shape ? '/password' : undefined;
  return true;
}
