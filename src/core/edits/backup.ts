/**
 * The backup's name beside the file: `bitbucket.properties.bak-20261126-024500`, then `…-2`, `…-3` when a backup of
 * the same second exists (two runs in one second must not collide).
 */
export function backupFileName(file: string, exists: (candidate: string) => boolean, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const base = `${file}.bak-${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  if (!exists(base)) return base;
  for (let i = 2; ; i++) if (!exists(`${base}-${i}`)) return `${base}-${i}`;
}
