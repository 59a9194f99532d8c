/** One analysis per open document version, as the editor's AnalysisCache: shared by diagnostics, hover, fixes, lenses. */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFile } from '../core/analyzeFile';
import { Analysis } from '../core/rules/analysis';
import { LineIndex } from '../core/text/lineIndex';

export interface Analyzed {
  readonly analysis: Analysis;
  readonly lines: LineIndex;
}

interface Entry extends Analyzed {
  readonly version: number;
  readonly associations: Readonly<Record<string, string>>;
}

/** The local path of a file: URI, else undefined (an untitled buffer, a remote scheme). */
export function localPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The file name the model's tables decide a kind by: the URI's last path segment, decoded. */
export function fileNameOf(uri: string): string {
  const local = localPath(uri);
  if (local) return path.basename(local);
  const last =
    uri
      .replace(/[?#].*$/, '')
      .split('/')
      .pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * The analyses of the documents used last, up to KEPT: an editor with a hundred files open keeps each one's text, not
 * each one's analysis (a file analyses again in milliseconds when it is used again; its diagnostics are published).
 */
const KEPT = 4;

export class AnalysisStore {
  /** In order of use, the most recent last. */
  private readonly entries = new Map<string, Entry>();

  get(document: TextDocument, associations: Readonly<Record<string, string>>): Analyzed {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version && cached.associations === associations) {
      this.entries.delete(document.uri);
      this.entries.set(document.uri, cached);
      return cached;
    }
    const text = document.getText();
    const local = localPath(document.uri);
    const analysis = analyzeFile(text, {
      fileName: fileNameOf(document.uri),
      associations,
      // Key files of the algorithm stores are checked where the server runs.
      fileExists: local ? (p) => fs.existsSync(p) : undefined,
    });
    const entry: Entry = { analysis, lines: new LineIndex(text), version: document.version, associations };
    this.entries.delete(document.uri);
    this.entries.set(document.uri, entry);
    if (this.entries.size > KEPT) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}
