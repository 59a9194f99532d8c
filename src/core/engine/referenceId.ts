/**
 * A reference's identity in its file, for keeping a verify result with the right setting: its key and its place
 * among the references of that key (a Compose file sets ATL_JDBC_PASSWORD once per service). It survives edits
 * elsewhere in the file; the result store also compares the setting's text, so an edited setting loses its result. Pure.
 */
import { SecretReference } from '../rules/analysis';

/** Per analysis (its references array): the lens, the hover, the diagnostics and Verify all ask for the same ones. */
const computed = new WeakMap<readonly SecretReference[], Map<SecretReference, string>>();

export function referenceIds(references: readonly SecretReference[]): Map<SecretReference, string> {
  const cached = computed.get(references);
  if (cached) return cached;
  const seen = new Map<string, number>();
  const ids = new Map<SecretReference, string>();
  for (const reference of [...references].sort((a, b) => a.entry.start - b.entry.start)) {
    const n = seen.get(reference.key) ?? 0;
    seen.set(reference.key, n + 1);
    ids.set(reference, `${reference.key}#${n}`);
  }
  computed.set(references, ids);
  return ids;
}

/** The identity of one reference among the file's references. */
export function referenceId(references: readonly SecretReference[], reference: SecretReference): string {
  return referenceIds(references).get(reference) ?? `${reference.key}#0`;
}
