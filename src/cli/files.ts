/** What every command does with the paths it is given: the scan, the reading, the kind of each file, the problems. */
import * as path from 'path';
import { chosenFileKind, FileKind, resolveFileKind } from '../core/model/fileKind';
import { isProduct, Product, PRODUCT_FILE_NAMES, PROFILES } from '../core/model/products';
import { isTemplateDialect, TEMPLATE_DIALECTS, TemplateDialect } from '../core/templates/template';
import { escapeControls } from '../core/text/terminal';
import { FileProblem, readRegularFile } from '../files/read';
import { PROPERTIES_CODEC, TextCodec, utf8Codec, xmlCodec } from '../core/text/encoding';
import { scanTargets, ScanTarget } from '../files/scan';
import { OptionSpec, ParsedArgs } from './options';

type AwsModule = typeof import('../aws');
type LspModule = typeof import('../lsp');

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Loads the AWS module (dist/aws.js for the bundled CLI) on first use. */
  loadAws?: () => AwsModule;
  /** Loads the language server (dist/lsp.js) for `encprops lsp`. */
  loadLsp?: () => LspModule;
}

export const processIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadAws: () => require(path.join(__dirname, 'aws.js')) as AwsModule,
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  loadLsp: () => require(path.join(__dirname, 'lsp.js')) as LspModule,
};

/** What the command line says about the files it names: --product and --template. */
export interface KindOptions {
  readonly product?: Product;
  readonly template?: TemplateDialect;
  /** Named files are recognised as the folder scan recognises files (the pre-commit hook's --skip-other). */
  readonly recognisedOnly?: boolean;
}

/** The options that say what a named file is, for the commands that read files. */
export const KIND_OPTIONS: readonly OptionSpec[] = [
  { name: 'product', kind: 'value', choices: PROFILES.map((p) => p.product) },
  { name: 'template', kind: 'value', choices: TEMPLATE_DIALECTS },
];

export function kindOptions(parsed: ParsedArgs): KindOptions {
  const product = parsed.values.get('product');
  const template = parsed.values.get('template');
  return {
    ...(product !== undefined && isProduct(product) ? { product } : {}),
    ...(template !== undefined && isTemplateDialect(template) ? { template } : {}),
  };
}

/** What the folder scan looks at: the files resolveFileKind recognises by name. */
const isCandidate = (name: string) => resolveFileKind({ fileName: name }) !== undefined;

/**
 * The kind of a file the scan found, or of one named on the command line (a properties file is then Bitbucket's;
 * --product and --template say what a named file is when its name does not). Every command asks this one function.
 */
export function kindOfFile(file: string, text: string, explicit: boolean, options: KindOptions = {}): FileKind | undefined {
  const fileName = path.basename(file);
  const identity = {
    fileName,
    head: text,
    ...(explicit && options.product ? { associations: { [fileName]: options.product } } : {}),
    ...(options.template ? { template: options.template } : {}),
  };
  return explicit ? chosenFileKind(identity) : resolveFileKind(identity);
}

/**
 * Paths that hold no product configuration: a typo in a CI job (the wrong folder) must not pass as "nothing wrong".
 * A product file is one some product reads that is its own by name or uses the secrets mechanism.
 */
export function noProductFile(io: Io, targets: readonly string[]): number {
  io.stderr(
    `encprops: no Atlassian product configuration file in ${targets.map((t) => escapeControls(t)).join(', ')} ` +
      `(${PRODUCT_FILE_NAMES.join(', ')}, their templates, a *.properties file using {ENC}, ` +
      'or a Compose file, env file, Kubernetes manifest or Helm values naming an Atlassian image or its variables); ' +
      'check the path, or name the file with --product.\n',
  );
  return 2;
}

/** How a file's bytes become text and back, as the product reads it: XML by its declaration, YAML as UTF-8, properties as ISO-8859-1. */
export function codecFor(kindOfText: (text: string) => FileKind | undefined): (bytes: Buffer) => TextCodec | { readonly error: string } {
  return (bytes) => {
    // The whole file: a container file may show what it is anywhere in it.
    const format = kindOfText(bytes.toString('latin1'))?.format;
    return format === 'xml' ? xmlCodec(bytes) : format === 'container' ? utf8Codec(bytes) : PROPERTIES_CODEC;
  };
}

/** Reports a problem with a path (the caller exits 2: the command could not look at what it was given). */
export function reportProblem(io: Io, error: unknown): void {
  if (!(error instanceof FileProblem)) throw error;
  io.stderr(`encprops: ${escapeControls(error.message)}\n`);
}

/** The files of every target, saying on stderr what the folder scan passed over; undefined after reporting an error. */
export async function collectTargets(targets: readonly string[], io: Io): Promise<ScanTarget[] | undefined> {
  try {
    const { targets: found, skipped } = await scanTargets(targets, isCandidate);
    for (const s of skipped) io.stderr(`encprops: skipped ${escapeControls(s.path)}: ${escapeControls(s.reason)}\n`);
    return found;
  } catch (error) {
    reportProblem(io, error);
    return undefined;
  }
}

/**
 * A configuration file's text: UTF-8 when its bytes are valid UTF-8, else ISO-8859-1 (one byte, one character), and
 * which of the two it was, so that the encoding rules know what the product will see. Undefined after reporting an error.
 */
export async function readText(file: string, io: Io): Promise<{ text: string; encoding: 'utf-8' | 'iso-8859-1' } | undefined> {
  try {
    const { bytes } = await readRegularFile(file, undefined, { followLinks: true });
    const utf8 = bytes.toString('utf8');
    return Buffer.from(utf8, 'utf8').equals(bytes) ? { text: utf8, encoding: 'utf-8' } : { text: bytes.toString('latin1'), encoding: 'iso-8859-1' };
  } catch (error) {
    reportProblem(io, error);
    return undefined;
  }
}

/** Every product file of the targets, read and kind-resolved, in scan order; undefined after reporting an error (exit 2). */
export async function* productFiles(
  targets: readonly string[],
  io: Io,
  options: KindOptions,
): AsyncGenerator<{ file: string; text: string; encoding: 'utf-8' | 'iso-8859-1'; kind: FileKind } | 'error'> {
  const collected = await collectTargets(targets, io);
  if (!collected) {
    yield 'error';
    return;
  }
  for (const { explicit, files } of collected) {
    for (const file of files) {
      const read = await readText(file, io);
      if (read === undefined) {
        yield 'error';
        return;
      }
      // A named file is read as the product's own (a properties file as Bitbucket's); found files as their name says.
      const kind = kindOfFile(file, read.text, explicit && !options.recognisedOnly, options);
      if (kind !== undefined) yield { file, ...read, kind };
    }
  }
}
