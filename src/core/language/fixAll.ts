/** "Fix all" for every front end (VS Code's source.fixAll, the language server's): one rule for which fixes go in. Pure. */
import { Finding, TextEdit } from '../diagnostics';

const RANK: Readonly<Record<Finding['severity'], number>> = { error: 0, warning: 1, info: 2, hint: 3 };

/**
 * The edits of every finding's preferred fix, errors first (an error's fix wins over a warning's on the same text:
 * straightening a pasted quote beats escaping it), then in finding order, leaving out a fix whose edits overlap one
 * already taken (or replace the same empty range): applying them all at once can never garble the text.
 */
export function fixAllEdits(findings: readonly Finding[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  const ordered = findings.map((f, i) => ({ f, i })).sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i);
  for (const { f: finding } of ordered) {
    const fix = finding.fixes?.find((f) => f.isPreferred);
    if (!fix) continue;
    const overlaps = fix.edits.some((e) => chosen.some((c) => (e.start < c.end && c.start < e.end) || (e.start === c.start && e.end === c.end)));
    if (!overlaps) chosen.push(...fix.edits);
  }
  return chosen;
}

/** The title of the fix-all action, the same in every editor. */
export const FIX_ALL_TITLE = 'Fix all secret reference problems';
