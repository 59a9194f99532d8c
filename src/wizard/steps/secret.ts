/** Step 3: the secret: picked from the region, typed, or created from the current plaintext password. */
import { BACK, Choice } from '../wizardUi';
import type { SecretsVerifier } from '../../aws';
import { SECRET_NAME, WizardContext, State, StepResult, answered, step, plaintextPassword, validateSecretId } from '../state';

export async function pickSecret(w: WizardContext, unsure: State, verifier: SecretsVerifier): Promise<StepResult> {
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
  if (listError) void w.ui.notify(`Listing secrets in ${state.region} failed (${listError}); type the name or ARN instead.`);
  for (;;) {
    const more: Choice<Pick>[] = nextToken ? [{ label: '$(ellipsis) Load more secrets…', value: { kind: 'more' } }] : [];
    const active = state.secretId ? listed.find((c) => c.value.kind === 'secret' && c.value.name === state.secretId)?.value : undefined;
    const picked = await w.ui.pick(step(3, state), [...base, ...listed, ...more], {
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
    const created = await askNewSecret(w, state);
    if (created === undefined) return undefined;
    if (created === BACK) continue;
    return { next: 'review' };
  }
}

export async function askNewSecret(w: WizardContext, state: State): Promise<true | undefined | typeof BACK> {
  const name = await w.ui.input(step(3, state), {
    prompt: 'Name of the new secret',
    value: state.newSecret?.name ?? 'bitbucket/database',
    validate: (v) => (SECRET_NAME.test(v) ? undefined : 'Use 1–512 letters, digits and / _ + = . @ -'),
  });
  if (name === undefined || name === BACK) return name;
  const shape = await w.ui.pick(
    step(4, state),
    [
      { label: 'Key/value', description: '{"password": "…"} with the pointer /password (recommended)', value: true },
      { label: 'Plaintext', description: 'the secret string is the password', value: false },
    ],
    { placeholder: 'How to store the password', active: state.newSecret?.keyValue ?? true },
  );
  if (shape === undefined || shape === BACK) return shape;
  const kms = await w.ui.input(step(4, state), {
    prompt: 'KMS key ID, ARN or alias (optional; empty for aws/secretsmanager)',
    value: state.newSecret?.kmsKeyId ?? '',
  });
  if (kms === undefined || kms === BACK) return kms;
  const description = await w.ui.input(step(4, state), {
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
