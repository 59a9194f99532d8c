import * as vscode from 'vscode';
import * as path from 'path';

/** Properties files, under either language id, and any file named bitbucket.properties. */
export const PROPERTIES_SELECTOR: vscode.DocumentSelector = [
  { language: 'properties' },
  { language: 'java-properties' },
  { pattern: '**/bitbucket.properties' },
];

export function isPropertiesDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(PROPERTIES_SELECTOR, document) > 0;
}

export function baseName(document: vscode.TextDocument): string {
  return path.posix.basename(document.uri.path);
}
