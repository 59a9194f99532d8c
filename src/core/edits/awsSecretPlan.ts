/**
 * The edit planner shared by the wizard and `encprops set-aws-secret`: sets
 * `encrypted-property.cipher.classname` to the AWS store and `jdbc.password` to an {ENC} reference, touching nothing
 * else. Pure: text in, edits out. Every line that does not belong to these two entries (or to the legacy class
 * property they replace) stays byte for byte; applying the plan twice equals applying it once.
 */
import { CIPHER_PROPERTY, ENC_PREFIX, LEGACY_CIPHER_PROPERTY, PASSWORD_PROPERTY } from '../model/products';
import { TextEdit } from '../diagnostics';
import { applyEdits } from './applyEdits';
import { AWS_STORE } from '../model/cipherClasses';
import { detectEol, escapePropertiesValue, unicodeEscapes } from '../text/propertiesEscape';
import { PropertyEntry, readProperties } from '../properties/reader';
import { LineIndex } from '../text/lineIndex';
import { normalizePointer } from '../stores/jsonPointer';
import { inForce } from '../templates/inForce';
import type { MaskedTemplate } from '../templates/template';

export interface AwsSecretTarget {
  readonly region: string;
  readonly secretId: string;
  /** A JSON pointer into a key/value secret; omit for a plaintext secret. */
  readonly secretPointer?: string;
}

export interface PlanOptions {
  /** Replace a different cipher class even though other {ENC} values depend on it. */
  readonly replaceClass?: boolean;
  /**
   * The file is a template (core/templates): it is read masked, a setting in exclusive branches is written in every
   * branch, and no edit touches a tag.
   */
  readonly template?: MaskedTemplate;
  /** A container deployment: the service or container to write (when the file runs several product containers). */
  readonly service?: string;
}

export type Plan =
  | {
      readonly kind: 'edits';
      readonly edits: readonly TextEdit[];
      readonly newText: string;
      readonly changed: boolean;
      /** The two lines as written. */
      readonly lines: readonly [string, string];
      /** The class that was there before, when it was another one. */
      readonly replacedClass?: string;
    }
  | {
      readonly kind: 'needs-confirmation';
      readonly currentClass: string;
      /** Other properties whose {ENC} values the current class resolves. */
      readonly dependentKeys: readonly string[];
    };

/** Escapes for a properties value, and non-ASCII as \uXXXX (Properties.load(InputStream) reads ISO-8859-1). */
function propertiesValue(value: string): string {
  return escapePropertiesValue(value, { leading: true }).replace(/[^\x20-\x7e]/g, (c) => unicodeEscapes(c));
}

/** The reference JSON exactly as the wizard writes it. */
export function referenceJson(target: AwsSecretTarget): string {
  const json: Record<string, string> = { region: target.region, secretId: target.secretId };
  if (target.secretPointer !== undefined && target.secretPointer !== '') json.secretPointer = normalizePointer(target.secretPointer);
  return JSON.stringify(json);
}

export function passwordLine(target: AwsSecretTarget): string {
  return `${PASSWORD_PROPERTY}=${propertiesValue(ENC_PREFIX + referenceJson(target))}`;
}

export const CLASS_LINE = `${CIPHER_PROPERTY}=${AWS_STORE}`;

/** Whether a line appended after `text` would be read as the continuation of its last entry. */
function endsInContinuation(text: string, eol: string): boolean {
  if (text === '') return false;
  const probe = 'encprops.append.probe';
  const separator = text.endsWith('\n') || text.endsWith('\r') ? '' : eol;
  return !readProperties(`${text}${separator}${probe}=1`).entries.some((e) => e.key === probe);
}

export function planAwsSecret(text: string, target: AwsSecretTarget, options: PlanOptions = {}): Plan {
  const template = options.template;
  const doc = readProperties(template?.text ?? text);
  const lines = new LineIndex(text);
  const eol = detectEol(text);
  const byKey = (key: string) => doc.entries.filter((e) => e.key === key);
  /**
   * The entry's physical lines without the final line break (for rewriting), and with it (for removal). In a template
   * a rewrite stops where a tag starts (`jdbc.password=plain{% if x %}` keeps its tag).
   */
  const contentSpan = (e: PropertyEntry) => {
    const span = lines.linesOf(e.start, e.end, false);
    if (!template) return span;
    // Expressions in the value are the value (replaced); a control tag or comment after it stays.
    const firstTag = template.tags.find((t) => t.kind !== 'expression' && t.start >= e.start && t.start < span.end);
    return firstTag && firstTag.start > e.start ? { start: span.start, end: firstTag.start } : span;
  };
  const wholeSpan = (e: PropertyEntry) => lines.linesOf(e.start, e.end, true);
  const singleLine = (e: PropertyEntry) => lines.positionAt(e.start).line === lines.positionAt(e.end).line;

  const classEntries = byKey(CIPHER_PROPERTY);
  const legacyEntries = byKey(LEGACY_CIPHER_PROPERTY);
  const passwordEntries = byKey(PASSWORD_PROPERTY);
  const currentClass = classEntries.at(-1)?.value.trim();
  let replacedClass: string | undefined;
  if (currentClass !== undefined && currentClass !== AWS_STORE) {
    const dependentKeys = [...new Map(doc.entries.map((e) => [e.key, e])).values()]
      .filter((e) => e.key !== PASSWORD_PROPERTY && e.valueStartsWith(ENC_PREFIX))
      .map((e) => e.key);
    if (dependentKeys.length > 0 && !options.replaceClass) return { kind: 'needs-confirmation', currentClass, dependentKeys };
    if (currentClass !== '') replacedClass = currentClass;
  }

  const pwLine = passwordLine(target);
  const edits: TextEdit[] = [];
  let classWritten = false;

  // An entry is in force in some rendering when no later entry of its key can come in the same rendering (in a plain
  // file: the last one; in a template: the last of each exclusive branch). Entries in force are rewritten, the others go
  // (Java ignores them anyway).

  // The class property: keep it when it already names the AWS store; otherwise rewrite its lines. The legacy property
  // is replaced by the current one, or removed.
  if (classEntries.length > 0) {
    const kept = inForce(classEntries, template?.exclusive);
    for (const e of kept) if (e.value !== AWS_STORE || !singleLine(e)) edits.push({ ...contentSpan(e), newText: CLASS_LINE });
    for (const e of classEntries) if (!kept.includes(e)) edits.push({ ...wholeSpan(e), newText: '' });
    classWritten = true;
  }
  legacyEntries.forEach((e, i) => {
    if (!classWritten && i === legacyEntries.length - 1) {
      edits.push({ ...contentSpan(e), newText: CLASS_LINE });
      classWritten = true;
    } else {
      edits.push({ ...wholeSpan(e), newText: '' });
    }
  });

  // The password: each entry in force is rewritten in place (all its physical lines); the others go. The class, when
  // there is none, goes before the first: in a template, before the outermost block holding it (for every branch).
  if (passwordEntries.length > 0) {
    const kept = inForce(passwordEntries, template?.exclusive);
    const first = kept[0];
    const classAt = template ? lines.lineStart(lines.positionAt(template.outerBlockStart(first.start)).line) : undefined;
    const classOwnLine = !classWritten && classAt !== undefined && classAt < lines.linesOf(first.start, first.end, false).start;
    if (classOwnLine) edits.push({ start: classAt, end: classAt, newText: `${CLASS_LINE}${eol}` });
    for (const e of kept) {
      const span = contentSpan(e);
      const current = text.slice(span.start, span.end);
      const newText = classWritten || classOwnLine || e !== first ? pwLine : `${CLASS_LINE}${eol}${pwLine}`;
      if (current !== newText) edits.push({ ...span, newText });
    }
    classWritten = true;
    for (const e of passwordEntries) if (!kept.includes(e)) edits.push({ ...wholeSpan(e), newText: '' });
  } else {
    const block = (classWritten ? [pwLine] : [CLASS_LINE, pwLine]).join(eol);
    classWritten = true;
    const endsWithEol = text === '' || text.endsWith('\n') || text.endsWith('\r');
    // A last line ending in a continuation backslash would swallow the first appended line into its value; an
    // empty line ends it first (the loader ends a continued line at an empty line) without changing its value.
    const lead = (endsWithEol ? '' : eol) + (endsInContinuation(text, eol) ? eol : '');
    edits.push({ start: text.length, end: text.length, newText: `${lead}${block}${endsWithEol ? eol : ''}` });
  }

  // Edits never overlap: each touches the lines of a different entry, or the end of the file (or inserts before a block).
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const newText = applyEdits(text, edits);
  return { kind: 'edits', edits: newText === text ? [] : edits, newText, changed: newText !== text, lines: [CLASS_LINE, pwLine], replacedClass };
}
