/** The `encprops check` report: a stable JSON contract (version 1), plain text, and SARIF 2.1.0. */
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { createHash } from 'crypto';
import { codeInfo } from '../core/codes';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Analysis, awsOf } from '../core/rules/analysis';
import { LineIndex } from '../core/text/lineIndex';
import { escapeControls, withoutUserinfo } from '../core/text/terminal';

export interface ReportDiagnostic {
  code: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** Other places that explain it (optional; e.g. where the XML parser noticed the problem). */
  related?: Array<{ line: number; column: number; message: string }>;
}

export interface ReportReference {
  key: string;
  line: number;
  store: string;
  region?: string;
  secretId?: string;
  secretPointer?: string;
  endpointOverride?: string;
}

export interface ReportFile {
  path: string;
  product: string;
  diagnostics: ReportDiagnostic[];
  references: ReportReference[];
}

export interface Report {
  version: 1;
  files: ReportFile[];
}

export function toReportFile(path: string, text: string, analysis: Analysis): ReportFile {
  const lines = new LineIndex(text);
  const pos = (offset: number) => {
    const p = lines.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  };
  return {
    path,
    product: analysis.kind.profile.product,
    diagnostics: analysis.findings.map((f) => {
      const s = pos(f.start);
      const e = pos(f.end);
      const related = f.related?.map((r) => ({ ...pos(r.start), message: r.message }));
      return {
        code: f.code,
        severity: f.severity,
        line: s.line,
        column: s.column,
        endLine: e.line,
        endColumn: e.column,
        message: f.message,
        ...(related?.length ? { related } : {}),
      };
    }),
    // Only references to a secret store: never the payload of a non-JSON store (a Base64 value is the password).
    references: analysis.references.map((r) => {
      const aws = awsOf(r);
      return {
        key: r.key,
        line: pos(r.entry.start).line,
        store: r.store,
        ...(aws?.region !== undefined ? { region: aws.region } : {}),
        ...(aws?.secretId !== undefined ? { secretId: aws.secretId } : {}),
        ...(aws?.secretPointer !== undefined ? { secretPointer: aws.secretPointer } : {}),
        ...(aws?.endpointOverride !== undefined ? { endpointOverride: withoutUserinfo(aws.endpointOverride) } : {}),
      };
    }),
  };
}

export function formatText(report: Report): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of report.files) {
    for (const d of file.diagnostics) {
      if (d.severity === 'error') errors++;
      if (d.severity === 'warning') warnings++;
      // Paths and messages quote the file (keys, class names, secret ids): no control character reaches the terminal.
      out.push(`${escapeControls(file.path)}:${d.line}:${d.column}: ${d.severity} [${d.code}] ${escapeControls(d.message)}`);
      for (const r of d.related ?? []) out.push(`  ${escapeControls(file.path)}:${r.line}:${r.column}: note: ${escapeControls(r.message)}`);
    }
  }
  out.push(`${report.files.length} file(s) checked: ${errors} error(s), ${warnings} warning(s)`);
  return out.join('\n') + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/** GitLab Code Quality (the report its merge request widget reads): one issue per diagnostic, paths from the project root. */
export function formatGitlab(report: Report, root: string): string {
  const severity = { error: 'critical', warning: 'major', info: 'info', hint: 'info' } as const;
  const issues = report.files.flatMap((file) => {
    const relative = path.relative(root, path.resolve(file.path));
    const shown = relative.startsWith('..') ? file.path : relative.split(path.sep).join('/');
    return file.diagnostics.map((d) => ({
      description: d.message,
      check_name: d.code,
      fingerprint: createHash('sha256').update(`${shown}\u0000${d.code}\u0000${d.line}\u0000${d.column}\u0000${d.message}`).digest('hex'),
      severity: severity[d.severity],
      location: { path: shown, lines: { begin: d.line, end: d.endLine } },
    }));
  });
  return JSON.stringify(issues, null, 2) + '\n';
}

/** Markdown as plain text: code spans unquoted. */
const plain = (markdown: string) => markdown.replace(/`([^`]*)`/g, '$1');

/** A rule of the SARIF report: its name, what it means (the codes table), and where the README explains them all. */
/** The project's page, whose README has a row (an anchor) for every code. */
const PROJECT_URI = 'https://example.invalid/encrypted-properties';

function sarifRule(code: string): ReportingDescriptor {
  const info = codeInfo(code);
  const name = code.replace(/-/g, ' ');
  if (!info) return { id: code, name, shortDescription: { text: name } };
  const help = `${info.when} (severity: ${info.severity}). Every code is explained in the README's "Diagnostic codes" table of Encrypted Properties.`;
  return {
    id: code,
    name,
    shortDescription: { text: name },
    fullDescription: { text: plain(info.when), markdown: info.when },
    help: { text: plain(help), markdown: help },
    helpUri: `${PROJECT_URI}#${code}`,
    properties: { tags: ['security', 'configuration'] },
  };
}

/** A path as a SARIF artifact URI reference: forward slashes, each segment percent-encoded (spaces, #, ?, %, non-ASCII). */
export function sarifUri(path: string): string {
  return path
    .split('\\')
    .join('/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/**
 * SARIF for code scanning: locations relative to %SRCROOT% (`root`: the folder checked, or the Git working tree holding
 * the files), named in `originalUriBaseIds`, so that code scanning places them in the repository; a file outside the
 * root keeps an absolute URI.
 */
export function formatSarif(report: Report, toolVersion: string, root?: string): string {
  const rules = new Map<string, ReportingDescriptor>();
  const location = (file: string) => {
    const relative = root === undefined ? undefined : path.relative(root, path.resolve(file));
    return relative !== undefined && !relative.startsWith('..') && !path.isAbsolute(relative)
      ? { uri: sarifUri(relative), uriBaseId: 'SRCROOT' }
      : { uri: path.isAbsolute(file) ? pathToFileURL(file).href : sarifUri(file) };
  };
  const results: Result[] = report.files.flatMap((file) =>
    file.diagnostics.map((d): Result => {
      if (!rules.has(d.code)) rules.set(d.code, sarifRule(d.code));
      return {
        ruleId: d.code,
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: location(file.path),
              region: { startLine: d.line, startColumn: d.column, endLine: d.endLine, endColumn: d.endColumn },
            },
          },
        ],
        ...(d.related?.length
          ? {
              relatedLocations: d.related.map((r, i) => ({
                id: i,
                message: { text: r.message },
                physicalLocation: { artifactLocation: location(file.path), region: { startLine: r.line, startColumn: r.column } },
              })),
            }
          : {}),
      };
    }),
  );
  // Typed against the SARIF 2.1.0 object model (@types/sarif), the format GitHub code scanning loads.
  const sarif: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'encprops', informationUri: PROJECT_URI, version: toolVersion, rules: [...rules.values()] },
        },
        ...(root !== undefined ? { originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(path.resolve(root) + path.sep).href } } } : {}),
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
