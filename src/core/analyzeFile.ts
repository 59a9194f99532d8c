/** The analysis of any file: its kind decided once (resolveFileKind), then the reader and rules of its format. Pure. */
import { FileKind, resolveFileKind } from './model/fileKind';
import { PRODUCTS } from './model/products';
import { Analysis } from './rules/analysis';
import { Fix } from './diagnostics';
import { analyzeProperties } from './properties/analyze';
import { analyzeXml } from './xml/analyze';
import { containers } from './containers/load';
import { maskTemplate } from './templates/template';

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

/** The analysis of a file no product reads: nothing to report. */
export function notRelevant(text: string): Analysis {
  return { kind: { profile: PRODUCTS.bitbucket, format: 'properties', source: 'format' }, text, settings: [], references: [], findings: [], relevant: false };
}

/**
 * The analysis of any file. A reader that throws anyway (the fuzz suite finds none) gives one finding that says the
 * file could not be checked, never a JavaScript message, and never an exception to the editor or the CLI.
 */
export function analyzeFile(text: string, options: AnalyzeFileOptions = {}): Analysis {
  try {
    return analyzeUnsafe(text, options);
  } catch {
    const kind = options.kind ?? notRelevant(text).kind;
    const message = `${kind.profile.name}'s rules could not be applied to this file (an internal error of the checker): nothing in it was checked. Report it with the file's structure, not its secrets.`;
    return { kind, text, settings: [], references: [], findings: [{ code: 'analysis-failed', severity: 'error', start: 0, end: 0, message }], relevant: true };
  }
}

/**
 * An XML template's expressions before the root element or after it (`{{ ansible_managed | comment('xml') }}` between
 * the declaration and the root) render comments or nothing, never an element: they are read as white space there, not
 * as text outside the root. Same length, same lines.
 */
function blankOutsideRoot(masked: string, placeholder: string): string {
  const root = /<[A-Za-z_]/.exec(masked)?.index ?? masked.length;
  const last = masked.lastIndexOf('>') + 1;
  const blank = (part: string) => part.replaceAll(placeholder, ' ');
  if (!masked.slice(0, root).includes(placeholder) && !masked.slice(last).includes(placeholder)) return masked;
  return blank(masked.slice(0, root)) + masked.slice(root, Math.max(root, last)) + blank(masked.slice(Math.max(root, last)));
}

function analyzeUnsafe(text: string, options: AnalyzeFileOptions): Analysis {
  // The whole text: a container file may show what it is anywhere (core/model/fileKind reads XML roots near the start).
  const kind = options.kind ?? resolveFileKind({ fileName: options.fileName ?? '', head: text, associations: options.associations });
  if (kind === undefined) return notRelevant(text);
  if (kind.format === 'container') {
    // A Compose file or values kept as a template (docker-compose.yml.tpl): read masked, as the other templates are.
    if (!kind.template) return containers().analyzeContainers(text, kind);
    const masked = maskTemplate(text, kind.template);
    return { ...containers().analyzeContainers(masked.text, kind, masked.placeholder), text };
  }
  const dialect = kind.template;
  // A template is read in its masked form (same length, same lines): expressions become placeholders, tags spaces.
  const template = dialect ? maskTemplate(text, dialect) : undefined;
  const read = template && kind.format === 'xml' ? blankOutsideRoot(template.text, template.placeholder) : (template?.text ?? text);
  const common = { kind, fileExists: options.fileExists, encoding: options.encoding, template };
  const analysis = kind.format === 'xml' ? analyzeXml(read, common) : analyzeProperties(read, { ...common, bom: options.bom });
  if (!template) return analysis;
  // Fixes that would edit template syntax are dropped: they would break the template.
  const touches = (fix: Fix) => fix.edits.some((e) => template.touchesTag(e.start, e.end));
  const findings = analysis.findings.map((f) => {
    const fixes = f.fixes;
    return fixes === undefined || !fixes.some(touches) ? f : { ...f, fixes: fixes.filter((fix) => !touches(fix)) };
  });
  return { ...analysis, text, findings };
}
