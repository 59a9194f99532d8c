/** The AWS secret edit planner for any supported file: the file's kind picks the format's planner. */
import { FileKind } from '../model/fileKind';
import { AES_ONLY_STORE } from '../model/cipherClasses';
import { storeAccepted } from '../model/products';
import { AwsSecretTarget, Plan, PlanOptions, planAwsSecret } from './awsSecretPlan';
import { planXmlAwsSecret } from './xmlAwsSecretPlan';
import { planContainerAwsSecret } from './containerPlan';

export function planForFile(kind: FileKind, text: string, target: AwsSecretTarget, options: PlanOptions = {}): Plan | { kind: 'error'; message: string } {
  const profile = kind.profile;
  if (kind.format === 'container') return planContainerAwsSecret(text, kind, target, options.service);
  if (!storeAccepted(profile, 'aws')) {
    return {
      kind: 'error',
      message: `${profile.name} accepts only the AES-only store (${profile.acceptedClasses?.[0] ?? AES_ONLY_STORE}), so an AWS Secrets Manager reference would stop it; encrypt the password with Atlassian's CipherTool instead`,
    };
  }
  return kind.format === 'xml' ? planXmlAwsSecret(text, target, profile) : planAwsSecret(text, target, options);
}
