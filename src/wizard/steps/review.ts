/** Step 5: the check that the reference resolves, and the review of the edit before it is applied. */
import * as path from 'path';
import * as vscode from 'vscode';
import { planForFile } from '../../core/edits/plan';
import { reviewRows } from '../../core/edits/review';
import { AwsSecretTarget } from '../../core/edits/awsSecretPlan';
import { pointerForKey } from '../../core/stores/jsonPointer';
import { CREDENTIAL_PROBLEMS, UNREACHABLE } from '../../core/verify/outcome';
import { log } from '../../util/log';
import { BACK, Choice } from '../wizardUi';
import { walkthroughDone } from '../../walkthrough/progress';
import { WizardContext, State, Session, StepResult, answered, reviewStep } from '../state';
import { apply } from '../apply';
import { credentials } from '../credentialsPage';

/**
 * Before anything is written: would the product resolve this reference? (GetSecretValue through the same rules as
 * Verify, without keeping the value.) When not, the user goes back, takes a fitting fix (plaintext instead of a
 * pointer, another key), or writes it anyway knowing why; Enter goes back, never writes.
 */
export async function checkResolves(
  w: WizardContext,
  state: State & Required<Pick<State, 'region' | 'secretId'>>,
  session: Session,
): Promise<'ok' | typeof BACK | undefined> {
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
    const picked = await w.ui.pick(
      reviewStep(state),
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
      if (!(await credentials(w, state, session, state.region))) return undefined;
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

export async function review(w: WizardContext, unsure: State, session: Session): Promise<StepResult> {
  const state = answered(unsure, 'resolved', 'region', 'secretId');
  const { file, kind, analysis } = state.resolved;
  // A new secret is created from the file's password just before writing: there is nothing to check yet.
  if (!state.newSecret) {
    const checked = await checkResolves(w, state, session);
    if (checked !== 'ok') return checked;
  }
  for (;;) {
    const target: AwsSecretTarget = { region: state.region, secretId: state.secretId, ...(state.pointer ? { secretPointer: state.pointer } : {}) };
    let plan = planForFile(kind, analysis.text, target, { service: state.service });
    if (plan.kind === 'error') {
      w.ui.error(`Cannot update ${path.basename(file.fsPath)}: ${plan.message}.`);
      return undefined;
    }
    let replaceClass = false;
    if (plan.kind === 'needs-confirmation') {
      replaceClass = await w.ui.confirm(
        `${path.basename(file.fsPath)} uses ${plan.currentClass} for ${plan.dependentKeys.join(', ')}. Replace the class with the AWS store anyway?`,
        'Those values would then be read from AWS Secrets Manager and would break unless you move them too.',
        'Replace Class',
      );
      if (!replaceClass) return undefined;
      plan = planForFile(kind, analysis.text, target, { replaceClass: true, service: state.service });
    }
    if (plan.kind !== 'edits') return undefined;
    if (plan.changed) await w.ui.preview(file, plan.newText);
    const choices: Choice<'apply' | 'line'>[] = [
      {
        label: plan.changed ? '$(check) Apply' : '$(check) Nothing to change: the file already says this',
        description: plan.changed ? `backup first, then one undoable edit of ${vscode.workspace.asRelativePath(file)}` : undefined,
        detail: state.newSecret ? `Creates secret ${state.newSecret.name} in ${state.region} from the current plaintext password.` : undefined,
        value: 'apply',
      },
      // Each setting as a row of its own, then its value's rows (a separator's name would share a row and cut it).
      ...reviewRows(plan.lines).flatMap((row, i, rows) => [
        ...(i === 0 || rows[i - 1].group !== row.group ? [{ label: `$(symbol-property) ${row.group}`, value: 'line' as const, group: 'Lines to write' }] : []),
        { label: `$(blank) ${row.label}`, value: 'line' as const, group: 'Lines to write' },
      ]),
    ];
    const picked = await w.ui.pick(reviewStep(state), choices, {
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
    const applied = await apply(w, state, target, replaceClass, session.verifier);
    if (applied === 'secret-exists') return { next: 'secret' };
    if (applied !== 'credentials') return { done: applied };
    // Creating the secret met a credential problem: the credentials page, then this review again (answers kept).
    if (!(await credentials(w, state, session, state.region))) return undefined;
  }
}
