import { ENC_PREFIX } from '../model/products';
import { Setting } from '../model/setting';
import { Analysis, SecretReference } from '../rules/analysis';

export type Place =
  | { kind: 'key'; entry: Setting }
  | { kind: 'value'; entry: Setting; index: number }
  | { kind: 'marker'; entry: Setting; reference: SecretReference }
  | { kind: 'payload'; entry: Setting; reference: SecretReference; index: number };

/** What the document offset points at: a key, a plain value, the `{ENC}` marker, or a position in a payload. */
export function locate(analysis: Analysis, offset: number): Place | undefined {
  const entry = analysis.settings.find((e) => e.start <= offset && offset <= e.end);
  if (!entry) return undefined;
  if (offset <= entry.keyEnd && offset >= entry.keyStart && entry.keyEnd > entry.keyStart && offset < entry.valueStart) {
    return { kind: 'key', entry };
  }
  if (offset < entry.valueStart) return undefined;
  const index = Math.max(0, entry.valueMap.indexAt(offset));
  const reference = analysis.references.find((r) => r.entry === entry);
  if (reference) {
    if (reference.marked && index < ENC_PREFIX.length) return { kind: 'marker', entry, reference };
    return { kind: 'payload', entry, reference, index: index - reference.payloadOffset };
  }
  return { kind: 'value', entry, index };
}
