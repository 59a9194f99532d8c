import * as vscode from 'vscode';
import * as path from 'path';
import { chosenFileKind, FileIdentity, FileKind, resolveFileKind } from '../core/model/fileKind';
import { PRODUCT_FILE_NAMES } from '../core/model/products';
import { CONTAINER_FILE_FORMS, CONTAINER_YAML_LANGUAGES } from '../core/model/containers';
import { TEMPLATE_SUFFIXES } from '../core/templates/template';

/**
 * What the language features register for: properties files (either language id), the products' own files by name,
 * and XML. Whether a document is analysed is resolveFileKind's decision (fileKindOf), not the selector's.
 */
export const PROPERTIES_SELECTOR: vscode.DocumentSelector = [
  { language: 'properties' },
  { language: 'java-properties' },
  { pattern: `**/{${PRODUCT_FILE_NAMES.join(',')}}` },
  { language: 'xml' },
  // Container deployments: Compose, Kubernetes and Helm YAML by language, env files by name (the model's forms).
  ...[...CONTAINER_YAML_LANGUAGES].map((language) => ({ language })),
  // and the names of the other forms, whatever language they open in (a `docker-compose` without an extension).
  ...CONTAINER_FILE_FORMS.filter((f) => f.form !== 'kubernetes').map((f) => ({ pattern: `**/{${f.globs.join(',')}}` })),
  // Templates open in whatever mode their extension gives them (plain text, Jinja, ERB, Go template…).
  {
    pattern: `**/*.{${Object.keys(TEMPLATE_SUFFIXES)
      .map((s) => s.slice(1))
      .join(',')}}`,
  },
];

export function associations(scope?: vscode.ConfigurationScope): Record<string, string> {
  return vscode.workspace.getConfiguration('encryptedProperties', scope).get<Record<string, string>>('files.associations', {});
}

function identityOf(document: vscode.TextDocument): FileIdentity {
  return {
    fileName: path.posix.basename(document.uri.path),
    languageId: document.languageId,
    // The whole text, as the CLI and the analysis give it: a container file may show what it is anywhere (a chart's
    // product key on line 500); resolved once per document version (fileKindOf).
    head: document.getText(),
    associations: associations(document.uri),
  };
}

/** Bumped when the settings change (an association may make a file another product's): every kind is resolved again. */
let generation = 0;
const kinds = new WeakMap<vscode.TextDocument, { readonly version: number; readonly generation: number; readonly kind: FileKind | undefined }>();

/** Forgets every resolved kind (the settings changed). */
export function forgetFileKinds(): void {
  generation++;
}

/**
 * What the document is (resolveFileKind), or undefined when no product reads it: resolved once per document version
 * (diagnostics, the analysis cache, lenses and commands all ask), and again after a settings change.
 */
export function fileKindOf(document: vscode.TextDocument): FileKind | undefined {
  const cached = kinds.get(document);
  if (cached && cached.version === document.version && cached.generation === generation) return cached.kind;
  const kind = resolveFileKind(identityOf(document));
  kinds.set(document, { version: document.version, generation, kind });
  return kind;
}

/** What a document the user picked for a product is (a properties file is then Bitbucket's own). */
export function chosenFileKindOf(document: vscode.TextDocument): FileKind | undefined {
  return chosenFileKind(identityOf(document));
}

/** Documents we analyse: those some product reads. */
export function isPropertiesDocument(document: vscode.TextDocument): boolean {
  return fileKindOf(document) !== undefined;
}
