import * as vscode from 'vscode';
import * as fs from 'fs';
import { Analysis } from '../core/bitbucket/analyze';
import { analyzeFile } from '../core/analyzeFile';
import { LineIndex } from '../core/text/lineIndex';
import { associations, baseName, isPropertiesDocument } from './selector';

interface Entry {
  readonly version: number;
  readonly analysis: Analysis;
  readonly lines: LineIndex;
}

/** One analysis per document version, shared by diagnostics, quick fixes, hovers and lenses. */
export class AnalysisCache {
  private readonly entries = new Map<string, Entry>();

  get(document: vscode.TextDocument): { analysis: Analysis; lines: LineIndex } {
    const key = document.uri.toString();
    const cached = this.entries.get(key);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const analysis = isPropertiesDocument(document)
      ? analyzeFile(text, {
          fileName: baseName(document),
          associations: associations(),
          // Key files of the algorithm stores are checked where the extension runs (the server, over Remote-SSH).
          fileExists: document.uri.scheme === 'file' ? (p) => fs.existsSync(p) : undefined,
        })
      : analyzeFile('', { fileName: 'none.properties' });
    const entry = { version: document.version, analysis, lines: new LineIndex(text) };
    this.entries.set(key, entry);
    return entry;
  }

  delete(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
  }
}

export function toRange(lines: LineIndex, start: number, end: number): vscode.Range {
  const s = lines.positionAt(start);
  const e = lines.positionAt(end);
  return new vscode.Range(s.line, s.character, e.line, e.character);
}
