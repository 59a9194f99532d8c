import * as vscode from 'vscode';
import * as fs from 'fs';
import { Analysis } from '../core/rules/analysis';
import { analyzeFile, notRelevant } from '../core/analyzeFile';
import { LineIndex } from '../core/text/lineIndex';
import { fileKindOf } from './selector';
import { FileKind } from '../core/model/fileKind';

interface Entry {
  /** The document object: a closed untitled document's URI (untitled:Untitled-1) is reused by the next one, also at version 1. */
  readonly document: vscode.TextDocument;
  readonly version: number;
  /** The kind it was analysed as (fileKindOf's, resolved once per version): a settings change may give another. */
  readonly kind: FileKind | undefined;
  readonly analysis: Analysis;
  readonly lines: LineIndex;
}

/** One analysis per document version, shared by diagnostics, quick fixes, hovers and lenses. */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  get(document: vscode.TextDocument): { analysis: Analysis; lines: LineIndex } {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    const kind = fileKindOf(document);
    if (cached && cached.document === document && cached.version === document.version && cached.kind === kind) return cached;
    const text = document.getText();
    const analysis = kind
      ? analyzeFile(text, {
          kind,
          ...encodingOf(document),
          // Key files of the algorithm stores are checked where the extension runs (the server, over Remote-SSH).
          fileExists: document.uri.scheme === 'file' ? (p) => fs.existsSync(p) : undefined,
        })
      : notRelevant(text);
    const entry = { document, version: document.version, kind, analysis, lines: new LineIndex(text) };
    this.entries.set(key, entry);
    return entry;
  }

  delete(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }
}

/** Whether each document's file started with a UTF-8 byte-order mark when last read from disk. */
const bomOnDisk = new WeakMap<vscode.TextDocument, boolean>();

/** The first three bytes of a file are a UTF-8 byte-order mark. */
function startsWithBom(fsPath: string): boolean {
  try {
    const fd = fs.openSync(fsPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const head = Buffer.alloc(3);
      return fs.readSync(fd, head, 0, 3, 0) === 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * How the editor decoded the document: from the files.encoding setting (VS Code 1.90 has no API for the document's
 * own encoding), and whether the file on disk starts with a UTF-8 byte-order mark (the editor hides it from the text).
 * The disk is read only while the document matches it (not dirty): edits do not change the file, so typing costs no I/O.
 */
function encodingOf(document: vscode.TextDocument): { encoding: 'utf-8' | 'iso-8859-1' | 'other'; bom: boolean } {
  const setting = vscode.workspace.getConfiguration('files', document.uri).get<string>('encoding', 'utf8');
  const encoding = setting === 'utf8' || setting === 'utf8bom' ? 'utf-8' : setting === 'iso88591' ? 'iso-8859-1' : 'other';
  if (document.uri.scheme !== 'file') return { encoding, bom: false };
  let bom = bomOnDisk.get(document);
  if (bom === undefined || !document.isDirty) {
    bom = startsWithBom(document.uri.fsPath);
    bomOnDisk.set(document, bom);
  }
  return { encoding, bom };
}

export function toRange(lines: LineIndex, start: number, end: number): vscode.Range {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return new vscode.Range(s.line, s.character, e.line, e.character);
}
