/** The analysis of any file: its kind decided once (resolveFileKind), then the reader and rules of its format. Pure. */
import { FileKind, resolveFileKind } from './model/fileKind';
import { PRODUCTS } from './model/products';
import { Analysis } from './rules/analysis';
import { analyzeProperties } from './properties/analyze';
import { analyzeXml } from './xml/analyze';

export interface AnalyzeFileOptions {
  /** What the file is; without it, resolved from fileName, associations and the text. */
  readonly kind?: FileKind;
  readonly fileName?: string;
  /** encryptedProperties.files.associations: base name → product. */
  readonly associations?: Readonly<Record<string, string>>;
  readonly fileExists?: (path: string) => boolean;
  /** How the text was decoded (see AnalyzeOptions.encoding), and whether the file has a BOM the text lacks. */
  readonly encoding?: 'utf-8' | 'iso-8859-1' | 'other';
  readonly bom?: boolean;
}

/** How much of the text the kind resolver looks at for an XML root element. */
const HEAD = 4096;

/** The analysis of a file no product reads: nothing to report. */
export function notRelevant(text: string): Analysis {
  return { kind: { profile: PRODUCTS.bitbucket, format: 'properties', source: 'format' }, text, settings: [], references: [], findings: [], relevant: false };
}

export function analyzeFile(text: string, options: AnalyzeFileOptions = {}): Analysis {
  const kind = options.kind ?? resolveFileKind({ fileName: options.fileName ?? '', head: text.slice(0, HEAD), associations: options.associations });
  if (kind === undefined) return notRelevant(text);
  if (kind.format === 'xml') return analyzeXml(text, { kind, fileExists: options.fileExists, encoding: options.encoding });
  return analyzeProperties(text, { kind, fileExists: options.fileExists, encoding: options.encoding, bom: options.bom });
}

/** The start of a text, enough for resolveFileKind to find an XML root element. */
export function headOf(text: string): string {
  return text.slice(0, HEAD);
}
