/**
 * What a verify result says on the line it verified, for every front end (VS Code's Problems panel, the language
 * server's diagnostics): a `verify-<code>` finding for a failure, one finding per note. Never the value. Pure.
 */
import { Severity } from '../diagnostics';
import { COULD_NOT_CHECK, VerifyOutcome } from './outcome';

/** One thing a verify result says, to be shown on the verified reference's value. */
export interface OutcomeProblem {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
}

/** `verifiedAt`: how the caller shows the time of the check (the editor's locale), appended to the failure's message. */
export function outcomeProblems(outcome: VerifyOutcome, verifiedAt: string): OutcomeProblem[] {
  const findings: OutcomeProblem[] = [];
  if (outcome.code !== 'ok' && outcome.code !== 'cancelled') {
    findings.push({
      code: `verify-${outcome.code}`,
      // Whether this machine could check is not a fault of the line: missing credentials or network are warnings.
      severity: COULD_NOT_CHECK.has(outcome.code) ? 'warning' : 'error',
      message: `${outcome.message} (verified ${verifiedAt})`,
    });
  }
  for (const note of outcome.notes ?? []) findings.push({ code: note.code, severity: note.severity, message: note.message });
  return findings;
}
