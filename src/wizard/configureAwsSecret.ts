/**
 * "Configure AWS Secrets Manager password…": Atlassian's five steps as one guided flow. Target file → region →
 * secret (pick, type, or create from the current plaintext password) → shape and pointer → review → backup and one
 * undoable edit → "Verify now". The questions go through WizardUi; the file edit through the pure planner.
 */
import * as vscode from 'vscode';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { VerifyController } from '../verify/verifyController';
import { BACK, WizardUi } from './wizardUi';
import { State, Session, StepId, StepResult, WizardContext, existingReference } from './state';
import { credentials } from './credentialsPage';
import { pickTarget, resolve } from './steps/target';
import { pickRegion } from './steps/region';
import { pickSecret } from './steps/secret';
import { pickShape } from './steps/shape';
import { review } from './steps/review';

export class ConfigureAwsSecretWizard implements WizardContext {
  constructor(
    readonly ui: WizardUi,
    readonly verify: VerifyController,
  ) {}

  /**
   * The steps, in order; each returns the step to go to, `done` with the result, BACK or undefined (cancelled).
   * Going back returns to the step the user came from (the history), with every answer kept in the state.
   */
  private readonly steps: Readonly<Record<StepId, (state: State, session: Session) => Promise<StepResult>>> = {
    target: (state) => pickTarget(this, state),
    region: (state) => pickRegion(this, state),
    secret: (state, session) => pickSecret(this, state, session.verifier),
    shape: (state, session) => pickShape(this, state, session.verifier),
    review: (state, session) => review(this, state, session),
  };

  /** Runs the flow; returns the written reference, or undefined when cancelled or nothing was written. */
  async run(initial?: vscode.Uri, service?: string): Promise<AwsSecretTarget | undefined> {
    if (!vscode.workspace.isTrusted) {
      this.ui.error('The wizard talks to AWS with your credentials, so it needs a trusted workspace.');
      return undefined;
    }
    const state: State = {};
    if (initial && !(await resolve(this, state, { kind: 'file', uri: initial, ...(service ? { service } : {}) }))) return undefined;
    const session: Session = { verifier: this.verify.newVerifier() };
    try {
      // Preflight: who will the checks run as? Without credentials, the page that says what to do, before any question.
      if (!(await credentials(this, state, session, existingReference(state.resolved?.analysis)?.region))) return undefined;
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
}
