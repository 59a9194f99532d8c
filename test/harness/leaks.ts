import * as fs from 'fs';
import * as path from 'path';

/** Every file under `dir` whose bytes contain `needle` (binary-safe, UTF-8 and UTF-16LE). */
export function filesContaining(dir: string, needle: string): string[] {
  const hits: string[] = [];
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        try {
          const bytes = fs.readFileSync(full);
          if (patterns.some((p) => bytes.includes(p))) hits.push(full);
        } catch {
          // sockets, files removed meanwhile
        }
      }
    }
  };
  walk(dir);
  return hits;
}
