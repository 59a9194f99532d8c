/**
 * What a product that reads a file as ISO-8859-1 sees of text that was saved as UTF-8: each UTF-8 byte becomes one
 * character (é, two bytes C3 A9, becomes "Ã©"). Pure.
 */
export function asIsoLatin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/**
 * Runs of non-ASCII characters in `text` between `from` and `to`, as [start, end) offsets. `placeholder`: what a
 * template's masked expressions became (core/templates), which is no character of the file.
 */
export function nonAsciiRuns(text: string, from: number, to: number, placeholder?: string): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  const skip = placeholder === undefined ? -1 : placeholder.charCodeAt(0);
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) < 0x80 || text.charCodeAt(i) === skip) continue;
    const start = i;
    while (i < to && text.charCodeAt(i) >= 0x80 && text.charCodeAt(i) !== skip) i++;
    runs.push([start, i]);
  }
  return runs;
}
