/** `bitbucket.properties.bak-20261126-024500` for a backup made at that local time. */
function backupBase(file: string, now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${file}.bak-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
}

/** The backup names to try in order: the timestamped name, then `…-2`, `…-3` (two runs in one second must not collide). */
export function* backupCandidates(file: string, now = new Date()): Generator<string, never> {
  const base = backupBase(file, now);
  yield base;
  for (let i = 2; ; i++) yield `${base}-${i}`;
}
