/** The AWS secret edit planner for any supported file: the file's kind picks the format's planner. */
import { FileKind } from '../model/fileKind';
import { AES_ONLY_STORE } from '../model/cipherClasses';
import { storeAccepted } from '../model/products';
import { AwsSecretTarget, Plan, PlanOptions, planAwsSecret } from './awsSecretPlan';
import { planXmlAwsSecret } from './xmlAwsSecretPlan';
import { planContainerAwsSecret } from './containerPlan';
import { proveWrite } from './prove';
import { maskTemplate } from '../templates/template';

/**
 * The plan for any file, proved before it is offered (core/edits/prove): a plan whose result would not be what the
 * product reads, or would change anything else, is an error with its reason, and the callers write nothing.
 */
export function planForFile(kind: FileKind, text: string, target: AwsSecretTarget, options: PlanOptions = {}): Plan | { kind: 'error'; message: string } {
  let plan: Plan | { kind: 'error'; message: string };
  try {
    plan = planUnproved(kind, text, target, options);
  } catch {
    // A planner that cannot handle the file's shape (an internal error) refuses; it never writes half a plan.
    return {
      kind: 'error',
      message: `the file's structure is one this writer cannot edit safely; write the two settings by hand (see ${kind.format === 'container' ? 'the image documentation' : 'the README'})`,
    };
  }
  if (plan.kind !== 'edits' || !plan.changed) return plan;
  const reason = proveWrite(kind, text, plan.newText, target, plan.replacedClass !== undefined);
  return reason ? { kind: 'error', message: `not written: ${reason}` } : plan;
}

function planUnproved(kind: FileKind, text: string, target: AwsSecretTarget, options: PlanOptions): Plan | { kind: 'error'; message: string } {
  const profile = kind.profile;
  if (kind.format === 'container') return planContainerAwsSecret(text, kind, target, options.service);
  if (!storeAccepted(profile, 'aws')) {
    return {
      kind: 'error',
      message: `${profile.name} accepts only the AES-only store (${profile.acceptedClasses?.[0] ?? AES_ONLY_STORE}), so an AWS Secrets Manager reference would stop it; encrypt the password with Atlassian's CipherTool instead`,
    };
  }
  const template = kind.template ? maskTemplate(text, kind.template) : undefined;
  return kind.format === 'xml' ? planXmlAwsSecret(text, target, profile, template) : planAwsSecret(text, target, { ...options, template });
}
