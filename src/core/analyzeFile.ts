/** Picks the analysis for a file: Bitbucket's properties, or one of the XML products. Pure. */
import { analyze, Analysis } from './bitbucket/analyze';
import { analyzeXml, detectXmlProduct, PRODUCT_FILES, XmlProduct } from './products/xmlAnalyze';

export interface AnalyzeFileOptions {
  readonly fileName?: string;
  readonly fileExists?: (path: string) => boolean;
  /** Extra file names mapped to a product (the encryptedProperties.files.associations setting). */
  readonly associations?: Readonly<Record<string, string>>;
}

export function isXmlConfigName(fileName: string, associations: Readonly<Record<string, string>> = {}): boolean {
  const base = fileName.toLowerCase();
  return base in PRODUCT_FILES || (fileName in associations && associations[fileName] !== 'bitbucket');
}

export function analyzeFile(text: string, options: AnalyzeFileOptions = {}): Analysis {
  const name = options.fileName ?? '';
  const mapped = options.associations?.[name];
  if (mapped === 'bitbucket') return analyze(text, { fileName: 'bitbucket.properties', fileExists: options.fileExists });
  if (name.toLowerCase().endsWith('.xml') || (mapped !== undefined && mapped !== 'bitbucket')) {
    const product = detectXmlProduct(name, undefined, options.associations) as XmlProduct | undefined;
    return analyzeXml(text, { fileName: name, product, fileExists: options.fileExists });
  }
  return analyze(text, { fileName: name, fileExists: options.fileExists });
}
