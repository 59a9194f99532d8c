/** Picks the analysis for a file: Bitbucket's properties, or one of the XML products. Pure. */
import { analyze, Analysis } from './bitbucket/analyze';
import { analyzeXml, detectXmlProduct, PRODUCT_FILES, XmlProduct } from './products/xmlAnalyze';

export interface AnalyzeFileOptions {
  readonly fileName?: string;
  readonly fileExists?: (path: string) => boolean;
  /** Extra file names mapped to a product (the encryptedProperties.files.associations setting). */
  readonly associations?: Readonly<Record<string, string>>;
  /** How the text was decoded (see AnalyzeOptions.encoding), and whether the file has a BOM the text lacks. */
  readonly encoding?: 'utf-8' | 'iso-8859-1' | 'other';
  readonly bom?: boolean;
}

export function isXmlConfigName(fileName: string, associations: Readonly<Record<string, string>> = {}): boolean {
  const base = fileName.toLowerCase();
  return base in PRODUCT_FILES || (fileName in associations && associations[fileName] !== 'bitbucket');
}

export function analyzeFile(text: string, options: AnalyzeFileOptions = {}): Analysis {
  const name = options.fileName ?? '';
  const mapped = options.associations?.[name];
  const encoding = { encoding: options.encoding, bom: options.bom };
  if (mapped === 'bitbucket') return analyze(text, { fileName: 'bitbucket.properties', fileExists: options.fileExists, ...encoding });
  if (name.toLowerCase().endsWith('.xml') || (mapped !== undefined && mapped !== 'bitbucket')) {
    const product = detectXmlProduct(name, undefined, options.associations) as XmlProduct | undefined;
    return analyzeXml(text, { fileName: name, product, fileExists: options.fileExists, encoding: options.encoding });
  }
  return analyze(text, { fileName: name, fileExists: options.fileExists, ...encoding });
}
