import * as vscode from 'vscode';
import { effectiveProfileName, onPath, readAwsProfiles } from '../files/awsConfig';
import { getSettings } from '../util/settings';

/** The profile `aws sso login` can refresh here: the chain's profile when it is an SSO one and an aws CLI is on PATH. */
export function ssoLoginProfile(): string | undefined {
  const name = effectiveProfileName(getSettings().awsProfile);
  const profile = readAwsProfiles().find((p) => p.name === name);
  return profile?.kind === 'sso' && onPath('aws') ? name : undefined;
}

/** Runs `aws sso login` for the profile in a terminal the user sees (the browser sign-in happens there). */
export function runSsoLogin(profile: string): void {
  const terminal = vscode.window.createTerminal({ name: 'AWS SSO login' });
  terminal.show();
  terminal.sendText(`aws sso login --profile ${profile}`);
}

const SSO_LOGIN = 'Run aws sso login';
const PICK_PROFILE = 'Pick AWS Profile';

/**
 * The actions a message about missing or expired credentials offers (aws sso login only where it can work), and what
 * each does when picked. `run` returns whether the choice was one of them.
 */
export function credentialActions(): { readonly labels: readonly string[]; run(choice: string | undefined): Promise<boolean> } {
  const sso = ssoLoginProfile();
  return {
    labels: [...(sso ? [SSO_LOGIN] : []), PICK_PROFILE],
    async run(choice) {
      if (choice === SSO_LOGIN && sso) runSsoLogin(sso);
      else if (choice === PICK_PROFILE) await vscode.commands.executeCommand('encryptedProperties.selectAwsProfile');
      else return false;
      return true;
    },
  };
}
