/**
 * The product rules on the password setting, once for every format (properties, XML, containers): a plaintext
 * password, a templated one, the store class and the password that go together, the AES-only advice, whether the
 * password can move to AWS Secrets Manager, and how a change is applied (restart every node, or redeploy). Each
 * format's reader locates the settings; the words and severities are decided here. Pure.
 */
import { Finding, Span } from '../diagnostics';
import { FileKind } from '../model/fileKind';
import { AES_ONLY_STORE } from '../model/cipherClasses';
import { ContainerForm } from '../model/containers';
import { ENC_PREFIX, ProductProfile, storeAccepted } from '../model/products';

/** Where the password lives, as the messages name it. */
export interface PasswordSite {
  readonly profile: ProductProfile;
  /** The setting as the user sees it: "jdbc.password", "The database password", "ATL_JDBC_PASSWORD". */
  readonly label: string;
  /** A container's class and password variables: the advice names them (and Kubernetes Secrets). */
  readonly container?: { readonly classVar: string; readonly passwordVar: string };
}

/** What to do instead of a plaintext password, for this product and place. */
function advice(site: PasswordSite, templated: boolean): string {
  const { profile } = site;
  if (!storeAccepted(profile, 'aws'))
    return templated
      ? `${profile.name} accepts only the AES-only store (${AES_ONLY_STORE}): template its decryption JSON here instead.`
      : `${profile.name} accepts only the AES-only store (${AES_ONLY_STORE}): encrypt the password with Atlassian's CipherTool and put the decryption JSON here.`;
  if (site.container)
    return `Put it in a secret store (${site.container.classVar} and the store's JSON in ${site.container.passwordVar}) or in a Kubernetes Secret (valueFrom.secretKeyRef).`;
  const reference = profile.format === 'properties' ? `an ${ENC_PREFIX} reference` : 'the reference';
  return templated
    ? `Store it in AWS Secrets Manager (or another secret store) and template ${reference} here instead.`
    : `Store it in AWS Secrets Manager (or another secret store) and put ${reference} here.`;
}

/** A password written in plaintext: readable by anyone who can read the file or its backups. */
export function plaintextPassword(site: PasswordSite, span: Span): Finding {
  return {
    code: 'plaintext-password',
    severity: 'warning',
    ...span,
    message: `${site.label} holds the database password in plaintext, readable by anyone who can read this file or its backups. ${advice(site, false)}`,
  };
}

/** A password a template (or a deployment's interpolation) fills in: said, not warned; the rendered value is what counts. */
export function templatedPassword(site: PasswordSite, span: Span, from: string, when: 'render' | 'deploy'): Finding {
  const message =
    when === 'deploy'
      ? `${site.label} is filled in from \`${from}\` when the container is deployed (interpolation): verify the rendered value. If it is the password itself, ${lowerFirst(advice(site, true))}`
      : `This template writes the database password in plaintext from \`${from}\`, readable by anyone who can read the rendered file or its backups. ${advice(site, true)}`;
  return { code: 'templated-password', severity: 'info', ...span, message };
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Whether a finding's password can move to AWS Secrets Manager (the lens, the quick fix and the wizard ask this). */
export function canMoveToAws(kind: FileKind, finding: Pick<Finding, 'code'>): boolean {
  // Crowd accepts only the AES-only store: moving its password to AWS would stop it.
  return finding.code === 'plaintext-password' && storeAccepted(kind.profile, 'aws');
}

/** How each container form is redeployed with the new environment. */
const REDEPLOY: Readonly<Record<ContainerForm, string>> = {
  compose: 'docker compose up -d (the service is recreated with the new environment)',
  env: 'recreate the containers that read this env file (docker compose up -d, or docker run again)',
  kubernetes: 'kubectl apply, then kubectl rollout restart for the workload',
  helm: 'helm upgrade with these values',
};

/**
 * How a change to the file takes effect, in one sentence: restart every node (Bitbucket's file is in the shared home;
 * the others keep theirs in each node's home), or redeploy the container with the form's own command.
 */
export function howToApply(kind: FileKind, fileName: string): string {
  const name = kind.profile.name;
  if (kind.format === 'container') return `Redeploy ${name}: ${REDEPLOY[kind.container]}.`;
  const nodes = kind.profile.product === 'bitbucket' ? 'every node of a cluster (the file is in the shared home)' : `every node, each with its own ${fileName}`;
  return `Restart ${name} on ${nodes}.`;
}

/** The same in a few words, for the line after "set" (the CLI) and the wizard's finish. */
export function applySummary(kind: FileKind | undefined): string {
  if (kind === undefined) return 'Restart the product (every node) to apply.';
  const name = kind.profile.name;
  return kind.format === 'container' ? `Redeploy ${name} to apply: ${REDEPLOY[kind.container].split(' (')[0]}.` : `Restart ${name} (every node) to apply.`;
}
