import * as vscode from 'vscode';

/** The walkthrough's steps, in Atlassian's order (package.json contributes.walkthroughs uses these ids). */
export type WalkthroughStep = 'createSecret' | 'permissions' | 'authenticate' | 'confirm' | 'addToFile' | 'restart';

export const WALKTHROUGH_ID = 'awsSecretsManager';

/** The steps done in this session (from the walkthrough or anywhere else), kept on the process: the lazily loaded wizard bundle ticks the same steps. */
const DONE = Symbol.for('encryptedProperties.walkthroughDone');
const done = ((globalThis as { [DONE]?: Set<WalkthroughStep> })[DONE] ??= new Set<WalkthroughStep>());

function key(step: WalkthroughStep): string {
  return `encryptedProperties.walkthrough.${step}`;
}

/**
 * The workbench ticks a step on a change of its context key to true, and only once it has registered the walkthrough;
 * a key that is already true when it registers is taken as seen and never ticks. So each success is a pulse (true,
 * then false again), and the pulses of the session are replayed when the walkthrough opens.
 */
async function pulse(step: WalkthroughStep): Promise<void> {
  await vscode.commands.executeCommand('setContext', key(step), true);
  await vscode.commands.executeCommand('setContext', key(step), false);
}

/** Marks a step done: called on success only (not on running the command), from the walkthrough or anywhere else. */
export function walkthroughDone(step: WalkthroughStep): void {
  done.add(step);
  void pulse(step);
}

/**
 * Says again what was done before the walkthrough was shown: now, and again shortly after, since the workbench
 * registers the walkthrough while its page opens. A step already ticked stays ticked; a repeat changes nothing.
 */
export async function replayWalkthroughProgress(): Promise<void> {
  const replay = async () => {
    for (const step of done) await pulse(step);
  };
  await replay();
  for (const ms of [500, 2000]) setTimeout(() => void replay(), ms);
}
