/**
 * A reference typed by the user (the CLI's --region/--secret-id/--pointer, a templated reference's typed values) goes
 * through the store rules directly: the JSON is a setting of its own, with the store's class, and no file around it.
 * Findings' ranges are offsets in the JSON. Pure.
 */
import { Finding } from '../diagnostics';
import { StoreType } from '../model/cipherClasses';
import { PRODUCTS } from '../model/products';
import { Setting } from '../model/setting';
import { SourceMap } from '../text/sourceMap';
import { CipherSetting, Context, SecretReference } from './analysis';
import { checkReference } from './reference';

/** The store rules' verdict on a JSON reference for the class `className` (of store type `type`). */
export function checkTypedReference(json: string, className: string, type: StoreType): { reference: SecretReference; findings: readonly Finding[] } {
  const setting: Setting = {
    key: 'reference',
    value: json,
    valueMap: SourceMap.identity(0, json.length),
    start: 0,
    end: json.length,
    keyStart: 0,
    keyEnd: 0,
    valueStart: 0,
    valueEnd: json.length,
    valueHasEscapes: false,
  };
  const classSetting: Setting = { ...setting, key: 'class', value: className, valueMap: SourceMap.identity(0, className.length) };
  const cipher: CipherSetting = { entry: classSetting, className, type, legacy: false };
  const ctx = new Context(json, { profile: PRODUCTS.bitbucket, format: 'properties', source: 'chosen' }, { name: 'properties', escapeValue: (v) => v });
  const reference = checkReference(setting, false, cipher, ctx);
  return { reference, findings: ctx.findings };
}
