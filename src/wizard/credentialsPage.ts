/** The preflight and the credentials page: who the checks run as, and what to do without credentials. */
import * as vscode from 'vscode';
import { onPath, readAwsProfiles } from '../files/awsConfig';
import { runSsoLogin, ssoLoginProfile } from '../verify/ssoLogin';
import { PRODUCT_CREDENTIAL_CHAIN, whoLabel } from '../core/verify/identity';
import { log } from '../util/log';
import { getSettings } from '../util/settings';
import { BACK, Choice } from './wizardUi';
import { WizardContext, State, Session, TITLE, TOTAL } from './state';

type Action = 'retry' | 'sso' | 'profile' | 'learn' | 'log' | 'continue' | 'info' | 'configure' | 'configure-sso' | 'settings' | 'details';

/** How to get credentials on this machine, in words (the aws CLI's commands where it is), and the chain's details folded. */
function gettingCredentials(found: number, chain: string): Choice<Action>[] {
  const group = 'Get credentials on this machine';
  return [
    ...(onPath('aws')
      ? [
          {
            label: '$(terminal) Run aws configure sso',
            description: 'sign in with IAM Identity Center (SSO), in a terminal',
            value: 'configure-sso' as const,
            group,
          },
          { label: '$(terminal) Run aws configure', description: 'an access key of an IAM user, in a terminal', value: 'configure' as const, group },
        ]
      : []),
    {
      label: '$(symbol-variable) Environment variables',
      description: 'AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, where VS Code (or its server) starts',
      value: 'info',
      group,
    },
    { label: '$(settings-gear) The profile setting', description: 'encryptedProperties.aws.profile', value: 'settings', group },
    { label: '$(book) How the product finds credentials on the server', description: 'instance role, container, web identity', value: 'learn' },
    { label: '$(output) Show the log', value: 'log' },
    ...(found > 0
      ? [{ label: `$(list-unordered) What the credential chain tried here (${found})…`, description: `the ${chain}`, value: 'details' as const }]
      : []),
  ];
}

/**
 * The preflight, and the credentials page when it fails: the chain the product uses, what each provider said, and only
 * the actions that can work here. True to go on (with credentials, or knowingly unchecked); false when cancelled.
 * The answers given so far stay in `state`.
 */
export async function credentials(w: WizardContext, state: State, session: Session, region: string | undefined): Promise<boolean> {
  for (;;) {
    const found = await w.ui.progress('Encrypted Properties: checking AWS credentials…', () => w.verify.preflight(session.verifier, region ?? state.region));
    if (found.ok) {
      state.unchecked = false;
      state.who = found.identity
        ? `as ${whoLabel(found.source, found.identity)}`
        : `as ${found.source} (identity unknown: ${found.identityProblem ?? 'no answer'})`;
      return true;
    }
    log().warn(`wizard: no usable AWS credentials: ${found.message}`);
    const profiles = readAwsProfiles();
    const chain = getSettings().awsProfile ? `profile ${getSettings().awsProfile}` : 'default chain';
    const sso = ssoLoginProfile();
    const choices: Choice<Action>[] = [{ label: '$(refresh) Check again', description: 'after fixing the credentials; your answers are kept', value: 'retry' }];
    if (sso) choices.push({ label: `$(terminal) Run aws sso login --profile ${sso}`, description: 'in a terminal, then check again', value: 'sso' });
    if (profiles.length > 0)
      choices.push({ label: '$(account) Use another AWS profile…', description: `${profiles.length} in the shared AWS files`, value: 'profile' });
    choices.push(...gettingCredentials(found.found.length, chain));
    choices.push(
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
    const picked = await w.ui.pick({ title: `${TITLE}: AWS credentials`, step: 0, totalSteps: TOTAL }, choices, {
      placeholder: `No usable AWS credentials (${chain}): needed to check the secret before writing`,
      active: 'retry',
    });
    if (picked === undefined || picked === BACK) return false;
    if (picked === 'retry') {
      // A profile or the shared files may have changed outside: a new verifier reads them afresh.
      session.verifier.dispose();
      session.verifier = w.verify.newVerifier();
    }
    if (picked === 'continue') {
      state.who = 'unchecked: no AWS credentials';
      state.unchecked = true;
      log().warn('wizard: continuing without credentials; nothing is checked before writing');
      return true;
    }
    if (picked === 'sso' && sso) runSsoLogin(sso);
    if (picked === 'profile') {
      const chosen = await vscode.commands.executeCommand<string | undefined>('encryptedProperties.selectAwsProfile');
      if (chosen !== undefined) {
        session.verifier.dispose();
        session.verifier = w.verify.newVerifier();
      }
    }
    await helpAction(w, picked as Action, found.found, chain);
  }
}

/** The page's actions that help and come back to it: the walkthrough, a terminal, the setting, the details, the log. */
async function helpAction(w: WizardContext, picked: Action, found: readonly string[], chain: string): Promise<void> {
  if (picked === 'learn') await vscode.commands.executeCommand('encryptedProperties.openWalkthrough', 'authenticate');
  if (picked === 'configure' || picked === 'configure-sso') {
    const terminal = vscode.window.createTerminal({ name: 'AWS credentials' });
    terminal.show();
    terminal.sendText(picked === 'configure' ? 'aws configure' : 'aws configure sso');
  }
  if (picked === 'settings') await vscode.commands.executeCommand('workbench.action.openSettings', 'encryptedProperties.aws.profile');
  if (picked === 'details') {
    // The chain's own words, one row each; any choice comes back to the page.
    await w.ui.pick(
      { title: `${TITLE}: what the credential chain tried`, step: 0, totalSteps: TOTAL },
      found.map((line) => ({ label: `$(circle-slash) ${line}`, value: 'back' as const })),
      { placeholder: `The ${chain}, as the AWS SDK reported it (Enter or Escape: back)` },
    );
  }
  if (picked === 'log') log().show(true);
}
