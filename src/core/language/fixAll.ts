/** "Fix all" for every front end (VS Code's source.fixAll, the language server's): one rule for which fixes go in. Pure. */
import { Finding, TextEdit } from '../diagnostics';

/**
 * The edits of every finding's preferred fix, in finding order, leaving out a fix whose edits overlap one already
 * taken (or replace the same empty range): applying them all at once can never garble the text.
 */
export function fixAllEdits(findings: readonly Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  for (const finding of findings) {
    const fix = finding.fixes?.find((f) => f.isPreferred);
    if (!fix) continue;
    const overlaps = fix.edits.some((e) => chosen.some((c) => (e.start < c.end && c.start < e.end) || (e.start === c.start && e.end === c.end)));
    if (!overlaps) chosen.push(...fix.edits);
  }
  return chosen;
}

/** The title of the fix-all action, the same in every editor. */
export const FIX_ALL_TITLE = 'Fix all secret reference problems';
