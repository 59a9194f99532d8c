/**
 * The one place that decides what a file is: which product reads it and in which format. The editor's selector, the
 * analysis, the edit planners, the wizard, Verify all and the CLI all ask `resolveFileKind`; nothing else looks at
 * file names.
 */
import { ConfigFormat, isProduct, Product, PRODUCTS, PROFILES, ProductProfile } from './products';
import { detectDialect, isTemplateDialect, TEMPLATE_SUFFIXES, TemplateDialect } from '../templates/template';
import { CONTAINER_MENTION, CONTAINER_YAML_LANGUAGES, ContainerForm, fileContainerProduct, formByName, mentionsHelmKey, yamlStructure } from './containers';

/** How the kind was decided, strongest first. */
export type KindSource =
  /** The encryptedProperties.files.associations setting maps the name to a product. */
  | 'association'
  /** The base name is the product's own file name. */
  | 'name'
  /** The user picked the file for the product (wizard, set-aws-secret, an explicit path to check). */
  | 'chosen'
  /** The content names the product: an XML root element (and for Bamboo and Crowd, their properties). */
  | 'content'
  /** Only the format is known (a .properties file or the properties language): Bitbucket's rules, if it uses secrets. */
  | 'format';

interface KindBase {
  readonly profile: ProductProfile;
  readonly source: KindSource;
  /** Stash's former file name: recognised only to say it is not read for secrets. */
  readonly former?: boolean;
  /** A template of the file (Jinja2, ERB, EPP, Go, shell): its syntax is masked before reading. */
  readonly template?: TemplateDialect;
}

/** A product's own configuration file: a properties file or the products' XML. */
export interface ConfigFileKind extends KindBase {
  readonly format: ConfigFormat;
  readonly container?: undefined;
}

/** A container deployment: which kind of file holds the containers' environment. */
export interface ContainerFileKind extends KindBase {
  readonly format: 'container';
  readonly container: ContainerForm;
}

/** What a file is: a discriminated union on `format` (a container kind always carries its form). */
export type FileKind = ConfigFileKind | ContainerFileKind;

export interface FileIdentity {
  /** The base name (no folder). */
  readonly fileName: string;
  /** The editor's language id, when there is one. */
  readonly languageId?: string;
  /**
   * The content: the whole text (container files are recognised anywhere in it: a chart's product key may be on line
   * 500, an Atlassian service after ten others); XML and template tests look at its first XML_HEAD characters.
   */
  readonly head?: string;
  /**
   * encryptedProperties.files.associations (and the CLI's --product): base name → a product, optionally with a template
   * dialect ("bamboo", "jira:jinja").
   */
  readonly associations?: Readonly<Record<string, string>>;
  /** The template dialect when the name does not tell (the CLI's --template). */
  readonly template?: TemplateDialect;
}

const PROPERTIES_LANGUAGES = new Set(['properties', 'java-properties']);
/** How much of the text the XML root element and template tests read (the root comes first in an XML file). */
const XML_HEAD = 4096;
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

/** The name without a template suffix, and the dialect the suffix tells (null: a template whose content tells). */
function splitTemplate(base: string): { name: string; dialect: TemplateDialect | null | undefined } {
  const dot = base.lastIndexOf('.');
  if (dot > 0) {
    const suffix = base.slice(dot);
    if (Object.prototype.hasOwnProperty.call(TEMPLATE_SUFFIXES, suffix)) return { name: base.slice(0, dot), dialect: TEMPLATE_SUFFIXES[suffix] ?? null };
  }
  return { name: base, dialect: undefined };
}

/** "bamboo" or "bamboo:jinja" from the associations setting. */
function parseAssociation(value: string | undefined): { product: Product; dialect?: TemplateDialect } | undefined {
  if (value === undefined) return undefined;
  const [product, dialect] = value.split(':');
  if (!isProduct(product)) return undefined;
  return dialect !== undefined && isTemplateDialect(dialect) ? { product, dialect } : { product };
}

/**
 * The product whose file name this is: exactly, with a prefix (`home-confluence.cfg.xml`, `jira.dbconfig.xml`), or
 * with an infix before the extension (`bamboo.cfg.prod.xml`, `bitbucket.prod.properties`).
 */
function productByName(name: string): { profile: ProductProfile; former?: boolean } | undefined {
  for (const profile of PROFILES) {
    for (const own of profile.fileNames) {
      if (name === own) return { profile };
      const ext = own.slice(own.lastIndexOf('.'));
      const stem = own.slice(0, own.lastIndexOf('.'));
      if (/[-_.]$/.test(name.slice(0, name.length - own.length)) && name.endsWith(own)) return { profile };
      if (name.startsWith(`${stem}.`) && name.endsWith(ext) && name.length > own.length + 1) return { profile };
    }
    if (profile.formerFileNames?.includes(name)) return { profile, former: true };
  }
  return undefined;
}

/**
 * Bamboo and Crowd share the root element <application-configuration>; their properties tell them apart (Crowd's
 * start with "crowd.", Bamboo's with "bamboo." or name its build settings). [INFER] from the products' own files.
 */
function applicationConfigurationProduct(head: string): Product | undefined {
  const crowd = /name\s*=\s*["']crowd\./.test(head);
  const bamboo = /name\s*=\s*["']bamboo\.|<buildNumber>/.test(head);
  return crowd === bamboo ? undefined : crowd ? 'crowd' : 'bamboo';
}

/** The product an XML text's root element names (undefined: none, or it cannot tell). */
function productByContent(head: string): { product?: Product; root?: string } {
  const root = rootElement(head);
  if (root === undefined) return {};
  if (root === 'application-configuration') return { product: applicationConfigurationProduct(head), root };
  return { product: PROFILES.find((p) => p.rootElement === root)?.product, root };
}

/**
 * A container deployment: an env file, a Compose file, Helm values or a Kubernetes manifest, by name and language (the
 * model's table of forms), and only when the content mentions a product's image or variables (a repository's other
 * YAML files are not ours). With no content known (the CLI's scan by name), the name alone makes it a candidate.
 */
function containerForm(base: string, file: FileIdentity): ContainerForm | undefined {
  const text = file.head;
  if (text !== undefined && !CONTAINER_MENTION.test(text)) return undefined;
  // A template suffix on top (docker-compose.yml.tpl, values.yaml.j2) is cut before the name is read.
  const byName = formByName(splitTemplate(base).name);
  if (byName === 'env') return 'env';
  const structure = text === undefined ? undefined : yamlStructure(text);
  // By name, by the editor's language, or (whatever the name: no extension, .tpl) by the YAML's own structure.
  if (byName === undefined && !CONTAINER_YAML_LANGUAGES.has(file.languageId ?? '') && structure === undefined) return undefined;
  if (byName === 'compose' || file.languageId === 'dockercompose' || structure === 'compose') return 'compose';
  // With no content known (the CLI's scan by name), the name alone makes it a candidate.
  if (text === undefined) return byName === 'helm' ? 'helm' : 'kubernetes';
  // A values file that names a product's key is the chart's values, even if an example manifest sits inside it.
  if (byName === 'helm' && mentionsHelmKey(text)) return 'helm';
  return structure;
}

/** The start of the text, where an XML root element and a template's first tags are. */
function xmlHead(file: FileIdentity): string | undefined {
  return file.head === undefined || file.head.length <= XML_HEAD ? file.head : file.head.slice(0, XML_HEAD);
}

/** What the file is, or undefined when no product reads it. */
export function resolveFileKind(file: FileIdentity): FileKind | undefined {
  const base = file.fileName.toLowerCase();
  const container = file.associations?.[file.fileName] === undefined ? containerForm(base, file) : undefined;
  if (container) {
    // A container file kept as a template (docker-compose.yml.tpl, values.yaml.j2) is masked as the others are; `${VAR}`
    // is the deployment's own interpolation there (the container rules read it), not a shell template.
    const dialect = dialectOf(splitTemplate(base).dialect, file);
    return {
      profile: PRODUCTS[file.head === undefined ? 'bitbucket' : fileContainerProduct(file.head)],
      format: 'container',
      source: file.head === undefined ? 'name' : 'content',
      container,
      ...(dialect && dialect !== 'shell' ? { template: dialect } : {}),
    };
  }
  const split = splitTemplate(base);
  const template = dialectOf(split.dialect, file);
  const withTemplate = (kind: FileKind): FileKind => (template ? { ...kind, template } : kind);
  const mapped = parseAssociation(file.associations?.[file.fileName] ?? file.associations?.[base]);
  if (mapped !== undefined) {
    const dialect = mapped.dialect ?? template;
    const kind = kindOf(PRODUCTS[mapped.product], 'association');
    return dialect ? { ...kind, template: dialect } : kind;
  }
  const byName = productByName(split.name);
  const looksXml = split.name.endsWith('.xml') || file.languageId === 'xml' || startsLikeXml(xmlHead(file));
  if (byName !== undefined) {
    // A file whose content contradicts its name is not the product's (a dbconfig.xml whose root is <dblist>).
    if (byName.profile.format === 'xml' && file.head !== undefined) {
      const content = productByContent(xmlHead(file)!);
      if (content.root !== undefined && content.root !== byName.profile.rootElement) return undefined;
    }
    if (byName.profile.format === 'properties' && file.head !== undefined && rootElement(xmlHead(file)!) !== undefined && looksXml) return undefined;
    return withTemplate({ ...kindOf(byName.profile, 'name'), ...(byName.former ? { former: true } : {}) });
  }
  if (looksXml) {
    const product = file.head === undefined ? undefined : productByContent(xmlHead(file)!).product;
    return product ? withTemplate(kindOf(PRODUCTS[product], 'content')) : undefined;
  }
  if (split.name.endsWith('.properties') || PROPERTIES_LANGUAGES.has(file.languageId ?? '')) return withTemplate(kindOf(PRODUCTS.bitbucket, 'format'));
  return undefined;
}

/**
 * A file's template dialect: the suffix's (null: a suffix that does not tell), else --template, else the content's.
 * Without a template suffix, only --template makes it one.
 */
function dialectOf(suffix: TemplateDialect | null | undefined, file: FileIdentity): TemplateDialect | undefined {
  if (suffix === undefined) return file.template;
  return suffix ?? file.template ?? (file.head === undefined ? undefined : detectDialect(xmlHead(file)!));
}

/** The content begins as XML does (a declaration, a doctype or comment, an element), past template control lines. */
function startsLikeXml(head: string | undefined): boolean {
  return head !== undefined && /^\s*(?:\ufeff)?<[?!A-Za-z]/.test(stripTemplateLead(head));
}

/** Template control lines may come before the XML declaration; the XML test looks past them. */
function stripTemplateLead(head: string): string {
  return head.replace(/^(?:\s*(?:\{%[\s\S]*?%\}|\{#[\s\S]*?#\}|<%[\s\S]*?%>|\{\{[\s\S]*?\}\}))*/, '');
}

/**
 * A file the user picked for a product (the wizard's target, `set-aws-secret FILE`, `check FILE`): a properties file
 * is taken as Bitbucket's own, so its Bitbucket-only rules apply; an XML file must still be recognisable.
 */
export function chosenFileKind(file: FileIdentity): FileKind | undefined {
  const kind = resolveFileKind(file);
  if (kind !== undefined) return kind.source === 'format' ? { ...kind, source: 'chosen' } : kind;
  // A file picked with a name no product uses (bb.conf): a properties file, unless its content is XML.
  const split = splitTemplate(file.fileName.toLowerCase());
  if (startsLikeXml(xmlHead(file)) || split.name.endsWith('.xml')) return undefined;
  // Nor is YAML ever read as properties (its keys would all be "duplicates", its password unseen).
  if (/\.ya?ml$/.test(split.name) || formByName(split.name) !== undefined || (file.head !== undefined && looksLikeYaml(file.head))) return undefined;
  const template = dialectOf(split.dialect, file);
  return { ...kindOf(PRODUCTS.bitbucket, 'chosen'), ...(template ? { template } : {}) };
}

/**
 * A text whose structure is YAML's, not a properties file's: a document marker, or a key with nothing after its colon
 * followed by a more indented line (a block mapping or list), which no properties file has.
 */
function looksLikeYaml(text: string): boolean {
  return /^---[ \t]*$/m.test(text) || /^[A-Za-z_][\w.-]*:[ \t]*(?:#.*)?\r?\n(?:[ \t]*(?:#.*)?\r?\n)*[ \t]+(?:- )?[A-Za-z_"'][^\n]*:/m.test(text);
}

/** Whether the file is the product's own (its name, an association or the user's choice), not merely its format. */
export function isOwnFile(kind: FileKind): boolean {
  return kind.source !== 'format' && !kind.former;
}

function kindOf(profile: ProductProfile, source: KindSource): FileKind {
  return { profile, format: profile.format, source };
}
