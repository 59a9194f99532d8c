/** The wizard's answers, the step table's types and the helpers every step shares. */
import * as vscode from 'vscode';
import { FileKind } from '../core/model/fileKind';
import { ENC_PREFIX } from '../core/model/products';
import { Analysis, awsOf } from '../core/rules/analysis';
import { ATL_SECURED } from '../core/xml/analyze';
import { containerVariable, passwordKeyOf } from '../core/edits/containerPlan';
import { effectiveProfileName, readAwsProfiles } from '../files/awsConfig';
import { AwsSecretTarget } from '../core/edits/awsSecretPlan';
import { parseSecretArn } from '../core/stores/aws';
import { getSettings } from '../util/settings';
import { VerifyController } from '../verify/verifyController';
import { BACK, Step, WizardUi } from './wizardUi';
import type { SecretsVerifier } from '../aws';

export const TITLE = 'Configure AWS Secrets Manager password';
export const TOTAL = 5;
/** A step's title names who the wizard checks as (from the preflight), so that it is seen on every question. */
/** The steps when a new secret is created: its name, shape, KMS key and description are steps of their own. */
export const TOTAL_CREATING = 8;

export const step = (n: number, state: State, total = state.newSecret ? TOTAL_CREATING : TOTAL): Step => ({
  title: state.who ? `${TITLE} · ${state.who}` : TITLE,
  step: n,
  totalSteps: total,
});

/** The review: the last step, whichever path led there. */
export const reviewStep = (state: State): Step => step(state.newSecret ? TOTAL_CREATING : TOTAL, state);

/** The file to write; `service`: the container already chosen (the lens or quick fix on one service's password). */
export type Target = { kind: 'file'; uri: vscode.Uri; service?: string } | { kind: 'create'; folder: vscode.Uri };

export interface NewSecret {
  readonly name: string;
  readonly keyValue: boolean;
  readonly kmsKeyId?: string;
  readonly description?: string;
}

/** The target file, read and analysed once when it is picked. */
export interface Resolved {
  readonly file: vscode.Uri;
  readonly kind: FileKind;
  readonly analysis: Analysis;
}

export interface State {
  /** A container deployment with several product containers: the one to write. */
  service?: string;
  /** Who the checks run as ("as user ops in 123456789012 (environment)"), or that nothing is checked. */
  who?: string;
  /** The user went on without credentials: nothing that needs AWS (creating a secret) is offered. */
  unchecked?: boolean;
  target?: Target;
  resolved?: Resolved;
  region?: string;
  secretId?: string;
  newSecret?: NewSecret;
  shape?: 'plaintext' | 'key/value';
  pointer?: string;
}

/** The answers a step stands on: the step table reaches a step only after the steps that give them. */
export function answered<K extends keyof State>(state: State, ...keys: K[]): State & Required<Pick<State, K>> {
  for (const key of keys) if (state[key] === undefined) throw new Error(`The wizard reached a step before answering ${key}.`);
  return state as State & Required<Pick<State, K>>;
}

/** The region step's hint item: picking it asks again. */
export const NO_REGION = '';

export type StepId = 'target' | 'region' | 'secret' | 'shape' | 'review';

/** The run's AWS verifier; renewed when the credentials page changes the profile. */
export interface Session {
  verifier: SecretsVerifier;
}
export type StepResult = { readonly next: StepId } | { readonly done: AwsSecretTarget | undefined } | typeof BACK | undefined;

export const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The current plaintext password (no {ENC}, no cipher class for the XML products, not {ATL_SECURED}); in a container file, the chosen container's. */
export function plaintextPassword(analysis: Analysis, service?: string): string | undefined {
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
export function existingReference(analysis: Analysis | undefined): { region?: string; secretId?: string; secretPointer?: string } | undefined {
  const reference = analysis?.references.find((r) => r.key === passwordKeyOf(analysis.kind));
  return reference && awsOf(reference);
}

export function profileRegion(): string | undefined {
  const name = effectiveProfileName(getSettings().awsProfile);
  return readAwsProfiles().find((p) => p.name === name)?.region;
}

/** The finish message's answers; undefined when it is closed. */
export type FinishChoice = 'Move Backup…' | 'Open Backup' | 'Copy Checklist' | undefined;

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

/** What every step uses: the questions (WizardUi) and verification (the AWS verifier, verify after writing). */
export interface WizardContext {
  readonly ui: WizardUi;
  readonly verify: VerifyController;
}
