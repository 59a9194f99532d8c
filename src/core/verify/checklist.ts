/**
 * What to do after the file is written, per product: the steps Atlassian's procedure ends with (reference §4.6: move
 * the backup away from the instance [DOC], restart every node [DOC]/[INFER], look for the store's log message [CODE]).
 * Pure text: the wizard's finish, the walkthrough's last step and the CLI print it.
 */
import { FileKind } from '../model/fileKind';
import { CONTAINER_VARIABLES } from '../model/containers';
import { howToApply } from '../product/password';

export interface ChecklistInput {
  readonly kind: FileKind;
  readonly fileName: string;
  /** The backup the write made, if any (it holds the plaintext password). */
  readonly backup?: string;
  /** The AWS CLI check to run as the service user on the server, when the reference is known. */
  readonly cliCheck?: string;
}

export function restartChecklist(input: ChecklistInput): string[] {
  const { kind } = input;
  const profile = kind.profile;
  const steps: string[] = [];
  if (input.cliCheck)
    steps.push(
      kind.format === 'container'
        ? `Where the container runs, with the role it runs as (task, pod or instance role), check the secret resolves: ${input.cliCheck}`
        : `On the server, as the user ${profile.name} runs as, check the secret resolves there: ${input.cliCheck}`,
    );
  if (input.backup) steps.push(`Move the backup ${input.backup} off the instance: it holds the plaintext password.`);
  steps.push(howToApply(kind, input.fileName));
  if (kind.format === 'container' && profile.product === 'jira')
    steps.push(`An existing Jira rewrites dbconfig.xml from the variables only with ${CONTAINER_VARIABLES.forceCfgUpdate}=true.`);
  steps.push(`In the log, "Problem when getting the secret value" means the product could not read the secret: start from the verify result.`);
  return steps.map((s, i) => `${i + 1}. ${s}`);
}
