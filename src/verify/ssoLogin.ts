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
