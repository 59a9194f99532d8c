/**
 * The facts about container deployments, one table each (reference: product-loading.md §Q4): the images and what they
 * run, the first image with the store variables, the Helm charts' product keys, the variables the images read, and the
 * file forms with their name patterns. The container product detector is here too, once: the file-kind resolver, the
 * container rules and the writer all ask it. Pure, no reader.
 */
import { isProduct, Product, PROFILES } from './products';

/** Which kind of file holds the containers' environment. */
export type ContainerForm = 'compose' | 'kubernetes' | 'helm' | 'env';

/** The images and what they run. [DOC] Atlassian's Docker Hub names (any registry prefix may precede them). */
export const IMAGES: Readonly<Record<string, Product>> = {
  'jira-software': 'jira',
  'jira-servicemanagement': 'jira',
  'jira-core': 'jira',
  confluence: 'confluence',
  'confluence-server': 'confluence',
  bitbucket: 'bitbucket',
  'bitbucket-server': 'bitbucket',
  bamboo: 'bamboo',
  crowd: 'crowd',
};

/**
 * The first tag of each image with the store variables [DOC]: the image's version, which is the product's version for
 * these images (Jira 9.11, Confluence 8.6, Bitbucket 8.13).
 */
export const IMAGE_STORE_SINCE: Readonly<Partial<Record<Product, string>>> = { jira: '9.11', confluence: '8.6', bitbucket: '8.13' };

/** The Helm charts' top-level values key of each product [DOC] (atlassian/data-center-helm-charts): the product's id. */
export const HELM_KEYS: readonly Product[] = PROFILES.map((p) => p.product);

/** The two families of images: Jira and Confluence read ATL_JDBC_*, Bitbucket JDBC_PASSWORD*. */
export type ContainerFamily = 'atl' | 'bitbucket';

/** The variables the images read (reference §Q4). */
export const CONTAINER_VARIABLES = {
  atl: { classVar: 'ATL_JDBC_SECRET_CLASS', passwordVar: 'ATL_JDBC_PASSWORD' },
  bitbucket: {
    classVar: 'JDBC_PASSWORD_DECRYPTER_CLASSNAME',
    passwordVar: 'JDBC_PASSWORD',
    /** Bitbucket's undocumented {ENC} route: Spring Boot's relaxed binding of encrypted-property.cipher.classname. */
    encClassVar: 'ENCRYPTED_PROPERTY_CIPHER_CLASSNAME',
  },
  /** The Vault store's token (secret.store.vault.token). */
  vaultToken: 'SECRET_STORE_VAULT_TOKEN',
  /** The Jira and Confluence entrypoints unset *PASS*, *SECRET*, *TOKEN* variables, unless listed here or this is false. */
  allowlist: 'ATL_ALLOWLIST_SENSITIVE_ENV_VARS',
  unsetSensitive: 'ATL_UNSET_SENSITIVE_ENV_VARS',
  /** An existing Jira rewrites dbconfig.xml from the variables only with this set to true. */
  forceCfgUpdate: 'ATL_FORCE_CFG_UPDATE',
} as const;

/** The variables a container's product reads the store class and the reference from. */
export function containerVariableNames(product: Product): { classVar: string; passwordVar: string } {
  const names = CONTAINER_VARIABLES[familyOfProduct(product)];
  return { classVar: names.classVar, passwordVar: names.passwordVar };
}

function familyOfProduct(product: Product): ContainerFamily {
  return product === 'bitbucket' ? 'bitbucket' : 'atl';
}

const IMAGE = /(?:^|\/)atlassian\/([a-z-]+)(?::([\w.-]+))?(?:@sha256:[0-9a-f]+)?$/;

/** The product and version an image names (a tag like 9.12.3 or 9.12-jdk17 is a version; latest is not). */
export function imageProduct(image: string): { product: Product; version?: string } | undefined {
  const m = IMAGE.exec(image.trim());
  const product = m ? IMAGES[m[1]] : undefined;
  if (!product) return undefined;
  const version = m?.[2] && /^\d+(?:\.\d+){0,2}/.exec(m[2])?.[0];
  return { product, ...(version ? { version } : {}) };
}

/** What a container (or a whole file) shows about its product. */
export interface ContainerClues {
  readonly image?: string;
  readonly helmKey?: string;
  readonly names?: Iterable<string>;
}

export interface ContainerIdentity {
  /** Undefined when only the family is known (ATL_JDBC_* names: Jira or Confluence). */
  readonly product?: Product;
  readonly family?: ContainerFamily;
  /** The image's version (its tag's leading numbers), when the image names one. */
  readonly version?: string;
}

/** The one container product detector: the image, else the Helm key, else the variable names. */
export function identifyContainer(clues: ContainerClues): ContainerIdentity {
  const image = clues.image !== undefined ? imageProduct(clues.image) : undefined;
  if (image) return { ...image, family: familyOfProduct(image.product) };
  if (clues.helmKey !== undefined && isProduct(clues.helmKey)) return { product: clues.helmKey, family: familyOfProduct(clues.helmKey) };
  const names = new Set(clues.names ?? []);
  const { atl, bitbucket } = CONTAINER_VARIABLES;
  if (names.has(atl.classVar) || names.has(atl.passwordVar)) return { family: 'atl' };
  if (names.has(bitbucket.classVar) || names.has(bitbucket.passwordVar) || names.has(bitbucket.encClassVar))
    return { product: 'bitbucket', family: 'bitbucket' };
  return {};
}

/** Whether a version is older than another (dotted numbers). */
export function versionBefore(version: string, since: string): boolean {
  const a = version.split('.').map(Number);
  const b = since.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

const PRODUCT_ALTERNATION = HELM_KEYS.join('|');
const IMAGE_IN_TEXT = new RegExp(`atlassian\\/(?:${Object.keys(IMAGES).join('|')})(?::[\\w.-]+)?`);
const HELM_KEY_IN_TEXT = new RegExp(`^(${PRODUCT_ALTERNATION}):`, 'm');
/** Every Jira/Confluence database variable starts so. */
const ATL_JDBC_IN_TEXT = /\bATL_JDBC_/;

/** The names a text must mention for a YAML or env file to be a product's container deployment (the rest is not ours). */
export const CONTAINER_MENTION = new RegExp(
  [
    `atlassian\\/(?:${PRODUCT_ALTERNATION})`,
    ATL_JDBC_IN_TEXT.source,
    `\\b${CONTAINER_VARIABLES.bitbucket.passwordVar}\\b`,
    `\\b${CONTAINER_VARIABLES.bitbucket.classVar}\\b`,
    HELM_KEY_IN_TEXT.source,
  ].join('|'),
  'm',
);

/**
 * What a YAML text's structure says it is, over the whole text (each test linear): Compose (a top-level `services:`
 * with an `image:` below it), a Kubernetes manifest (`apiVersion:` and `kind:`), Helm values (a product's key at the
 * top level); undefined for anything else.
 */
export function yamlStructure(text: string): ContainerForm | undefined {
  if (/^services:[ \t]*(?:#.*)?$/m.test(text) && /^[ \t]+image:/m.test(text)) return 'compose';
  if (/^[ \t]*apiVersion:/m.test(text) && /^[ \t]*kind:/m.test(text)) return 'kubernetes';
  if (HELM_KEY_IN_TEXT.test(text)) return 'helm';
  return undefined;
}

/** A Helm values text names a product's key at the start of a line. */
export function mentionsHelmKey(text: string): boolean {
  return HELM_KEY_IN_TEXT.test(text);
}

/** The product a container file is mostly about (its first image, Helm key or variable names); the rules decide per container. */
export function fileContainerProduct(head: string): Product {
  const names = ATL_JDBC_IN_TEXT.test(head) ? [CONTAINER_VARIABLES.atl.passwordVar] : [];
  const identity = identifyContainer({ image: IMAGE_IN_TEXT.exec(head)?.[0], helmKey: HELM_KEY_IN_TEXT.exec(head)?.[1], names });
  return identity.product ?? (identity.family === 'atl' ? 'jira' : 'bitbucket');
}

/**
 * The container file forms and their names: each with a regular expression on the lower-case base name and the globs
 * the editor and the workspace scan use (a test checks the globs and the activation events against these rows).
 */
export const CONTAINER_FILE_FORMS: readonly { readonly form: ContainerForm; readonly name: RegExp; readonly globs: readonly string[] }[] = [
  { form: 'env', name: /\.env$/, globs: ['.env', '*.env'] },
  {
    form: 'compose',
    // With no extension too (`docker-compose`, as some repositories keep it); a template suffix on top is cut first.
    name: /^(?:docker-)?compose(?:[.-][^/]*)?(?:\.ya?ml)?$|docker.*compose.*\.ya?ml$/,
    globs: ['docker-compose*.yml', 'docker-compose*.yaml', 'compose*.yml', 'compose*.yaml', 'docker-compose'],
  },
  // Values files of any name: values.yaml, values-prod.yaml, jira-values.yaml, prod.values.yml.
  { form: 'helm', name: /(?:^|[-_.])values(?:[-_.][^/]*)?\.ya?ml$/, globs: ['values*.yaml', 'values*.yml', '*-values.yaml', '*-values.yml'] },
  { form: 'kubernetes', name: /\.ya?ml$/, globs: ['*.yaml', '*.yml'] },
];

/** The editor language ids whose documents may be YAML container files. */
export const CONTAINER_YAML_LANGUAGES: ReadonlySet<string> = new Set(['yaml', 'dockercompose', 'helm']);

/** The form a name says, by the table above (undefined: not a container file's name). */
export function formByName(base: string): ContainerForm | undefined {
  return CONTAINER_FILE_FORMS.find((f) => f.name.test(base))?.form;
}
