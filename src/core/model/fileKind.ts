/**
 * The one place that decides what a file is: which product reads it and in which format. The editor's selector, the
 * analysis, the edit planners, the wizard, Verify all and the CLI all ask `resolveFileKind`; nothing else looks at
 * file names.
 */
import { FileFormat, isProduct, PRODUCTS, PROFILES, ProductProfile } from './products';

/** How the kind was decided, strongest first. */
export type KindSource =
  /** The encryptedProperties.files.associations setting maps the name to a product. */
  | 'association'
  /** The base name is the product's own file name. */
  | 'name'
  /** The user picked the file for the product (wizard, set-aws-secret, an explicit path to check). */
  | 'chosen'
  /** The root element of an XML file names the product. */
  | 'content'
  /** Only the format is known (a .properties file or the properties language): Bitbucket's rules, if it uses secrets. */
  | 'format';

export interface FileKind {
  readonly profile: ProductProfile;
  readonly format: FileFormat;
  readonly source: KindSource;
  /** Stash's former file name: recognised only to say it is not read for secrets. */
  readonly former?: boolean;
}

export interface FileIdentity {
  /** The base name (no folder). */
  readonly fileName: string;
  /** The editor's language id, when there is one. */
  readonly languageId?: string;
  /** The start of the content (for XML, the root element); a few hundred characters suffice. */
  readonly head?: string;
  /** encryptedProperties.files.associations: base name → product. */
  readonly associations?: Readonly<Record<string, string>>;
}

const PROPERTIES_LANGUAGES = new Set(['properties', 'java-properties']);
const ROOT = /<([A-Za-z_][\w.-]*)[\s/>]/g;

/** The name of the first element of an XML text (after the declaration, comments and a doctype). */
function rootElement(head: string): string | undefined {
  ROOT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ROOT.exec(head)) !== null) {
    const before = head.lastIndexOf('<!--', m.index);
    if (before >= 0 && head.indexOf('-->', before) > m.index) continue; // inside a comment
    return m[1];
  }
  return undefined;
}

/** What the file is, or undefined when no product reads it. */
export function resolveFileKind(file: FileIdentity): FileKind | undefined {
  const base = file.fileName.toLowerCase();
  const mapped = file.associations?.[file.fileName] ?? file.associations?.[base];
  if (mapped !== undefined && isProduct(mapped)) return kindOf(PRODUCTS[mapped], 'association');
  for (const profile of PROFILES) {
    if (profile.fileNames.includes(base)) return kindOf(profile, 'name');
    if (profile.formerFileNames?.includes(base)) return { ...kindOf(profile, 'name'), former: true };
  }
  if (base.endsWith('.xml') || file.languageId === 'xml') {
    const root = file.head === undefined ? undefined : rootElement(file.head);
    const profile = root === undefined ? undefined : PROFILES.find((p) => p.rootElement === root);
    return profile ? kindOf(profile, 'content') : undefined;
  }
  if (base.endsWith('.properties') || PROPERTIES_LANGUAGES.has(file.languageId ?? '')) return kindOf(PRODUCTS.bitbucket, 'format');
  return undefined;
}

/**
 * A file the user picked for a product (the wizard's target, `set-aws-secret FILE`, `check FILE`): a properties file
 * is taken as Bitbucket's own, so its Bitbucket-only rules apply; an XML file must still be recognisable.
 */
export function chosenFileKind(file: FileIdentity): FileKind | undefined {
  const kind = resolveFileKind(file);
  return kind?.source === 'format' ? { ...kind, source: 'chosen' } : kind;
}

/** Whether the file is the product's own (its name, an association or the user's choice), not merely its format. */
export function isOwnFile(kind: FileKind): boolean {
  return kind.source !== 'format' && !kind.former;
}

function kindOf(profile: ProductProfile, source: KindSource): FileKind {
  return { profile, format: profile.format, source };
}
