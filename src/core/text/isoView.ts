/**
 * What a product that reads a file as ISO-8859-1 sees of text that was saved as UTF-8: each UTF-8 byte becomes one
 * character (é, two bytes C3 A9, becomes "Ã©"). Pure.
 */
export function asIsoLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Runs of non-ASCII characters in `text` between `from` and `to`, as [start, end) offsets. */
export function nonAsciiRuns(text: string, from: number, to: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = from; i < to; i++) {
    // U+E000 is a masked template expression (core/templates), not a character of the file.
    if (text.charCodeAt(i) < 0x80 || text.charCodeAt(i) === 0xe000) continue;
    const start = i;
    while (i < to && text.charCodeAt(i) >= 0x80 && text.charCodeAt(i) !== 0xe000) i++;
    runs.push([start, i]);
  }
  return runs;
}
