/**
 * The products, the files they keep their database password in, and what each accepts: one table that the file-kind
 * resolver, the analyses, the edit planners, the wizard and the CLI all read (reference §1, atlassian-secret-stores.md).
 * A new kind of file is a new row (and a reader for its format), not a new `if` elsewhere.
 */
import { AES_ONLY_STORE, StoreType } from './cipherClasses';

export type Product = 'bitbucket' | 'jira' | 'confluence' | 'bamboo' | 'crowd';
/** How a file is written: a properties file, the products' XML, or a container deployment (YAML or an env file). */
export type FileFormat = 'properties' | 'xml' | 'container';
/** The format of a product's own configuration file. */
export type ConfigFormat = Exclude<FileFormat, 'container'>;

export interface CipherSettingName {
  readonly name: string;
  /** The older setting: its class also decrypts a plain (unmarked) password. */
  readonly legacy: boolean;
}

export interface ProductProfile {
  readonly product: Product;
  readonly name: string;
  readonly format: ConfigFormat;
  /** Base names (lower case) of the file the product reads. */
  readonly fileNames: readonly string[];
  /** Older base names the product no longer reads for secrets (Stash's file): recognised, to say so. */
  readonly formerFileNames?: readonly string[];
  /** XML: the root element of the file (Bamboo and Crowd share theirs; their properties tell them apart). */
  readonly rootElement?: string;
  /** XML: the password and class live in children of this element (Jira); else in <property name="…"> elements. */
  readonly container?: string;
  /** The setting(s) naming the secret store class, the current one last. */
  readonly cipherSettings: readonly CipherSettingName[];
  /** The setting holding the database password. */
  readonly passwordSetting: string;
  /** Store types the product accepts; undefined: every store. */
  readonly acceptedStores?: readonly StoreType[];
  /** Class names the product accepts when it restricts them (Crowd's message lists them). */
  readonly acceptedClasses?: readonly string[];
  /** The earliest documented version with AWS Secrets Manager support (reference §1 table), for messages. */
  readonly awsSince?: string;
}

/** The marker before a value the product hands to its secret store (properties files). */
export const ENC_PREFIX = '{ENC}';
/** Bitbucket's settings (bitbucket.properties): the class for {ENC} values, the older class setting, the password. */
export const CIPHER_PROPERTY = 'encrypted-property.cipher.classname';
export const LEGACY_CIPHER_PROPERTY = 'jdbc.password.decrypter.classname';
export const PASSWORD_PROPERTY = 'jdbc.password';

const CROWD_CLASSES = [AES_ONLY_STORE, 'com.atlassian.db.config.password.ciphers.algorithm.AesOnlyAlgorithmCipher'];

export const PRODUCTS: Readonly<Record<Product, ProductProfile>> = {
  bitbucket: {
    product: 'bitbucket',
    name: 'Bitbucket',
    format: 'properties',
    fileNames: ['bitbucket.properties'],
    formerFileNames: ['stash-config.properties'],
    cipherSettings: [
      { name: LEGACY_CIPHER_PROPERTY, legacy: true },
      { name: CIPHER_PROPERTY, legacy: false },
    ],
    passwordSetting: PASSWORD_PROPERTY,
    awsSince: '8.14',
  },
  jira: {
    product: 'jira',
    name: 'Jira',
    format: 'xml',
    fileNames: ['dbconfig.xml'],
    rootElement: 'jira-database-config',
    container: 'jdbc-datasource',
    cipherSettings: [{ name: 'atlassian-password-cipher-provider', legacy: false }],
    passwordSetting: 'password',
    awsSince: '9.11',
  },
  confluence: {
    product: 'confluence',
    name: 'Confluence',
    format: 'xml',
    fileNames: ['confluence.cfg.xml'],
    rootElement: 'confluence-configuration',
    cipherSettings: [{ name: 'jdbc.password.decrypter.classname', legacy: false }],
    passwordSetting: 'hibernate.connection.password',
    awsSince: '8.6',
  },
  bamboo: {
    product: 'bamboo',
    name: 'Bamboo',
    format: 'xml',
    fileNames: ['bamboo.cfg.xml'],
    rootElement: 'application-configuration',
    cipherSettings: [{ name: 'jdbc.password.decrypter.classname', legacy: false }],
    passwordSetting: 'hibernate.connection.password',
    awsSince: '9.5',
  },
  crowd: {
    product: 'crowd',
    name: 'Crowd',
    format: 'xml',
    fileNames: ['crowd.cfg.xml'],
    rootElement: 'application-configuration',
    cipherSettings: [{ name: 'jdbc.password.decrypter.classname', legacy: false }],
    passwordSetting: 'hibernate.connection.password',
    acceptedStores: ['aes-only'],
    acceptedClasses: CROWD_CLASSES,
  },
};

export const PROFILES: readonly ProductProfile[] = Object.values(PRODUCTS);

/** Every file name some product reads: for file pickers, globs and the folder scan. */
export const PRODUCT_FILE_NAMES: readonly string[] = PROFILES.flatMap((p) => p.fileNames);

export function isProduct(value: string): value is Product {
  return Object.prototype.hasOwnProperty.call(PRODUCTS, value);
}

/** Whether the product accepts a store; the message says why not and what to do instead. */
export function storeAccepted(profile: ProductProfile, store: StoreType): boolean {
  return profile.acceptedStores === undefined || profile.acceptedStores.includes(store);
}
