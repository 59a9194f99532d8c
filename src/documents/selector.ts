import * as vscode from 'vscode';
import * as path from 'path';
import { isXmlConfigName } from '../core/analyzeFile';

/** Properties files (either language id), bitbucket.properties, and the XML files of Jira, Confluence, Bamboo, Crowd. */
export const PROPERTIES_SELECTOR: vscode.DocumentSelector = [
  { language: 'properties' },
  { language: 'java-properties' },
  { pattern: '**/bitbucket.properties' },
  { pattern: '**/{dbconfig.xml,confluence.cfg.xml,bamboo.cfg.xml,crowd.cfg.xml}' },
  { language: 'xml' },
];

export function associations(): Record<string, string> {
  return vscode.workspace.getConfiguration('encryptedProperties').get<Record<string, string>>('files.associations', {});
}

export function baseName(document: vscode.TextDocument): string {
  return path.posix.basename(document.uri.path);
}

/** Documents we analyse: properties files, and XML files that are (or are mapped to) a product's configuration. */
export function isPropertiesDocument(document: vscode.TextDocument): boolean {
  if (document.languageId === 'xml' || baseName(document).toLowerCase().endsWith('.xml'))
    return isXmlConfigName(baseName(document), associations()) || looksLikeProductXml(document);
  return vscode.languages.match(PROPERTIES_SELECTOR, document) > 0;
}

function looksLikeProductXml(document: vscode.TextDocument): boolean {
  const head = document.getText(new vscode.Range(0, 0, 20, 0));
  return /<(jira-database-config|confluence-configuration)\b/.test(head);
}
