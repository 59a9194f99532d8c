/**
 * What the rules produce for one file, whatever its format, and what they share while running: the file's kind, its
 * format's own rules (how a value is written back, what an escape does) and the findings so far. Pure.
 */
import { Finding, Span } from '../diagnostics';
import { FileKind } from '../model/fileKind';
import { StoreType } from '../model/cipherClasses';
import { Setting } from '../model/setting';
import { detectEol } from '../text/propertiesEscape';
import { LineIndex } from '../text/lineIndex';
import { AwsReference } from '../stores/aws';
import { VaultReference } from '../stores/vault';
import { AlgorithmReference } from '../stores/algorithm';

export interface CipherSetting {
  readonly entry: Setting;
  readonly className: string;
  readonly type: StoreType;
  readonly legacy: boolean;
}

interface ReferenceBase {
  readonly key: string;
  readonly entry: Setting;
  /** True when the value carries the `{ENC}` marker. */
  readonly marked: boolean;
  /** The text the secret store receives (after `{ENC}`), as the product sees it after unescaping. */
  readonly payload: string;
  /** Index in `entry.value` where the payload starts. */
  readonly payloadOffset: number;
  /** Document range of the whole reference value. */
  readonly span: Span;
  /** True when no error was found in this reference. */
  readonly valid: boolean;
  /** True when a template fills in part of the value (core/templates): it can be checked, not resolved. */
  readonly templated: boolean;
  /** For a templated reference: the character its expressions became in the payload. */
  readonly placeholder?: string;
}

/** A value the product hands to its secret store, with what the store's rules parsed from it (when they could). */
export type SecretReference = ReferenceBase &
  (
    | { readonly store: 'aws'; readonly aws?: AwsReference }
    | { readonly store: 'vault'; readonly vault?: VaultReference }
    | { readonly store: 'algorithm' | 'aes-only'; readonly algorithm?: AlgorithmReference }
    | { readonly store: 'base64' | 'custom' | 'none' }
  );

/** The AWS coordinates of a reference, when it is one for the AWS store and they parsed. */
export function awsOf(reference: SecretReference): AwsReference | undefined {
  return reference.store === 'aws' ? reference.aws : undefined;
}

/** The errors inside a reference's entry: what stops it from being verified (the editor's lens and the CLI name them). */
export function errorsOf(analysis: Pick<Analysis, 'findings'>, reference: SecretReference): Finding[] {
  return analysis.findings.filter((f) => f.severity === 'error' && f.start >= reference.entry.start && f.end <= reference.entry.end);
}

export interface Analysis {
  readonly kind: FileKind;
  readonly text: string;
  /** The settings the rules looked at (every properties entry; the product's elements in XML). */
  readonly settings: readonly Setting[];
  readonly cipher?: CipherSetting;
  readonly references: readonly SecretReference[];
  readonly findings: readonly Finding[];
  /** True when the file is Bitbucket's or uses the secrets mechanism at all (otherwise findings are empty). */
  readonly relevant: boolean;
}

/** What differs between formats when a store rule reports or fixes a value. */
export interface FormatRules {
  readonly name: 'properties' | 'xml';
  /** The value as it must be written in the document (properties escapes, XML entities). */
  readonly escapeValue: (value: string) => string;
  /** A new line setting the class (properties only: XML has no place for a line the rules could add). */
  readonly classLine?: (className: string, eol: string) => string;
  /** Format-specific checks of a reference value: properties escapes that change what the store parses. */
  readonly checkValue?: (entry: Setting, payloadOffset: number, ctx: Context) => void;
}

export class Context {
  private lines?: LineIndex;
  readonly findings: Finding[] = [];
  readonly eol: string;

  constructor(
    readonly text: string,
    readonly kind: FileKind,
    readonly format: FormatRules,
    readonly fileExists?: (path: string) => boolean,
    /** What a masked expression became in this text (a template's placeholder, or a deployment's interpolation's). */
    readonly placeholder?: string,
  ) {
    this.eol = detectEol(text);
  }

  get lineIndex(): LineIndex {
    return (this.lines ??= new LineIndex(this.text));
  }

  /** The whole physical lines of an entry, including the final line break: for deleting or replacing it. */
  entryLines(entry: Setting): Span {
    return this.lineIndex.linesOf(entry.start, entry.end, true);
  }

  lineStartOf(entry: Setting): number {
    return this.lineIndex.lineStart(this.lineIndex.positionAt(entry.start).line);
  }
}

export function keySpan(entry: Setting): Span {
  return entry.keyEnd > entry.keyStart ? { start: entry.keyStart, end: entry.keyEnd } : { start: entry.start, end: entry.start + 1 };
}

export function valueSpan(entry: Setting): Span {
  return entry.valueEnd > entry.valueStart
    ? { start: entry.valueStart, end: entry.valueEnd }
    : { start: entry.keyStart, end: Math.max(entry.keyEnd, entry.keyStart + 1) };
}
