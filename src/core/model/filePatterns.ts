/**
 * The file-name patterns of every file the model knows (the products' files, their templates, the container forms),
 * from the model's tables: the editor's workspace scan, the language server's documented set-up (a test keeps the
 * README's list equal to this) and the pre-commit hook's pattern all come from here. Pure.
 */
import { TEMPLATE_SUFFIXES } from '../templates/template';
import { CONTAINER_FILE_FORMS } from './containers';
import { PRODUCT_FILE_NAMES } from './products';

/** The products' own file names, then their templates (`*bitbucket.properties.j2`), then the container forms' globs. */
export function productFileGlobs(): string[] {
  const templates = PRODUCT_FILE_NAMES.flatMap((n) => Object.keys(TEMPLATE_SUFFIXES).map((suffix) => `*${n}${suffix}`));
  const containers = CONTAINER_FILE_FORMS.flatMap((f) => f.globs);
  return [...new Set([...PRODUCT_FILE_NAMES, ...templates, ...containers])];
}

/** The products' files and their templates in brace form (`*{bitbucket.properties,dbconfig.xml}{,.j2,…}`), shorter to read. */
export function productFileBraces(): string {
  return `*{${PRODUCT_FILE_NAMES.join(',')}}{,${Object.keys(TEMPLATE_SUFFIXES).join(',')}}`;
}
