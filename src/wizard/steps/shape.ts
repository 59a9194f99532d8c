/** Step 4: the secret's shape (plaintext or key/value) and the pointer to the password. */
import { pointerForKey } from '../../core/stores/jsonPointer';
import { BACK } from '../wizardUi';
import type { SecretsVerifier } from '../../aws';
import { WizardContext, State, StepResult, answered, step, existingReference } from '../state';

export async function pickShape(w: WizardContext, unsure: State, verifier: SecretsVerifier): Promise<StepResult> {
  const state = answered(unsure, 'region', 'secretId');
  const existing = existingReference(state.resolved?.analysis);
  const shape = await w.ui.pick(
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
    void w.ui.notify(`Could not read the secret's keys (${(error as Error).name}); type the pointer instead.`);
  }
  if (keys && keys.length > 0) {
    const preferred = keys.find((k) => /^pass(word)?$/i.test(k)) ?? keys[0];
    const picked = await w.ui.pick(
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
  if (keys && keys.length === 0) void w.ui.notify('The secret is not a JSON object; choose Plaintext, or type a pointer.');
  const typed = await w.ui.input(step(4, state), {
    prompt: 'JSON pointer to the password, e.g. /password',
    value: state.pointer ?? '/password',
    validate: (v) => (v.startsWith('/') && !/~(?![01])/.test(v) ? undefined : 'A JSON pointer starts with / and writes ~ as ~0 and / inside a key as ~1'),
  });
  if (typed === undefined) return undefined;
  if (typed === BACK) return { next: 'shape' };
  state.pointer = typed;
  return { next: 'review' };
}
