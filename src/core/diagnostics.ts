/** The validator's output, in document offsets; adapters translate it into editor or CLI terms. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
  /** The single obvious fix for this finding (shown first, applied by "fix all"). */
  readonly isPreferred?: boolean;
}

export interface Finding {
  readonly code: string;
  readonly severity: Severity;
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly fixes?: readonly Fix[];
  readonly unnecessary?: boolean;
  /** Other places that explain this finding (e.g. where a parser noticed the problem). */
  readonly related?: readonly { readonly start: number; readonly end: number; readonly message: string }[];
}

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** Maps a range of a decoded string (e.g. the JSON inside a property value) back to document offsets. */
export type SpanMapper = (from: number, to: number) => Span;

/** Orders findings by place; a list already in order (the usual case: rules run in document order) is left as it is. */
export function sortFindings(findings: Finding[]): void {
  for (let i = 1; i < findings.length; i++) {
    const a = findings[i - 1];
    const b = findings[i];
    if (a.start > b.start || (a.start === b.start && a.end > b.end)) {
      findings.sort((x, y) => x.start - y.start || x.end - y.end);
      return;
    }
  }
}
