// Which of several settings of one name are in force: one rule for the readers, the writers and the proof.

/** Whether two offsets are in exclusive branches of a template (never both in one rendering); absent for a plain file. */
export type Exclusive = ((a: number, b: number) => boolean) | undefined;

/**
 * The setting that overrides `list[i]` (settings of one name, in document order): the first later one that can come in
 * the same rendering. Undefined when none does: `list[i]` is in force (the last one; in a template, the last of its
 * branch). One rule for the readers' duplicate findings, the writers and the proof.
 */
export function shadowOf<T extends { readonly start: number }>(list: readonly T[], i: number, exclusive: Exclusive): T | undefined {
  for (let j = i + 1; j < list.length; j++) if (!exclusive?.(list[i].start, list[j].start)) return list[j];
  return undefined;
}

/** The settings of one name that are in force in some rendering (shadowOf finds none for them). */
export function inForce<T extends { readonly start: number }>(list: readonly T[], exclusive: Exclusive): T[] {
  return list.filter((_, i) => shadowOf(list, i, exclusive) === undefined);
}
