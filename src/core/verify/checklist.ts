/**
 * What to do after the file is written, per product: the steps Atlassian's procedure ends with (reference §4.6: move
 * the backup away from the instance [DOC], restart every node [DOC]/[INFER], look for the store's log message [CODE]).
 * Pure text: the wizard's finish, the walkthrough's last step and the CLI print it.
 */
import { ProductProfile } from '../model/products';
import type { ContainerForm } from '../containers/containers';

export interface ChecklistInput {
  readonly profile: ProductProfile;
  readonly fileName: string;
  /** The backup the write made, if any (it holds the plaintext password). */
  readonly backup?: string;
  /** The AWS CLI check to run as the service user on the server, when the reference is known. */
  readonly cliCheck?: string;
  /** A container deployment: the container is redeployed instead of the product restarted on a host. */
  readonly container?: ContainerForm;
}

const REDEPLOY: Readonly<Record<ContainerForm, string>> = {
  compose: 'docker compose up -d (the service is recreated with the new environment)',
  env: 'recreate the containers that read this env file (docker compose up -d, or docker run again)',
  kubernetes: 'kubectl apply, then kubectl rollout restart for the workload',
  helm: 'helm upgrade with these values',
};

export function restartChecklist(input: ChecklistInput): string[] {
  const { profile } = input;
  // Bitbucket's file is in the shared home (one edit for every node); the others keep theirs in each node's home.
  const nodes =
    profile.product === 'bitbucket' ? 'every node of a cluster (the file is in the shared home)' : `every node, each with its own ${input.fileName}`;
  const steps: string[] = [];
  if (input.cliCheck)
    steps.push(
      input.container
        ? `Where the container runs, with the role it runs as (task, pod or instance role), check the secret resolves: ${input.cliCheck}`
        : `On the server, as the user ${profile.name} runs as, check the secret resolves there: ${input.cliCheck}`,
    );
  if (input.backup) steps.push(`Move the backup ${input.backup} off the instance: it holds the plaintext password.`);
  if (input.container) {
    steps.push(`Redeploy ${profile.name}: ${REDEPLOY[input.container]}.`);
    if (profile.product === 'jira') steps.push('An existing Jira rewrites dbconfig.xml from the variables only with ATL_FORCE_CFG_UPDATE=true.');
  } else steps.push(`Restart ${profile.name} on ${nodes}.`);
  steps.push(`In the log, "Problem when getting the secret value" means the product could not read the secret: start from the verify result.`);
  return steps.map((s, i) => `${i + 1}. ${s}`);
}
