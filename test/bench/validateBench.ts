/** Read+validate speed for generated bitbucket.properties files, against dot-properties and java-properties. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as dotParse } from 'dot-properties';
import { PropertiesFile } from 'java-properties';
import { analyzeProperties } from '../../src/core/properties/analyze';

/**
 * A bitbucket.properties-like file: one line in twenty an {ENC} value, one in seven a comment, one in ten a value
 * with escapes (a Windows path, an escaped colon or tab), the rest plain settings. `escapeEveryLine` puts an escape in
 * every plain value instead: the worst case for the reader, reported but not budgeted.
 */
export function generateProperties(lines: number, escapeEveryLine = false): string {
  const out: string[] = ['encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore'];
  for (let i = 1; i < lines; i++) {
    if (i % 20 === 0) {
      out.push(`plugin.p${i}.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/prod/s${i}","secretPointer":"/password"}`);
    } else if (i % 7 === 0) {
      out.push(`# comment ${i} about the setting below`);
    } else if (escapeEveryLine || i % 10 === 3) {
      // (Not an escaped backslash such as a Windows path: java-properties throws on `\\d`.)
      out.push(`plugin.setting.number${i}=caf\\u00e9 ${i}\\tz\\:y`);
    } else {
      out.push(`plugin.setting.number${i}=value ${i} with some text: a=b, c`);
    }
  }
  return out.join('\n') + '\n';
}

function median(samples: number[]): number {
  const s = [...samples].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Median wall time of `fn` after a warm-up (the editor re-validates the same file on every edit): at least five calls
 * and 100 ms of them, so that the optimizing compiler has seen each side alike, whatever its size.
 */
export function time(fn: () => void, runs: number): number {
  const warm = process.hrtime.bigint();
  for (let i = 0; i < 5 || (Number(process.hrtime.bigint() - warm) < 100e6 && i < 1000); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return median(samples);
}

/**
 * Median wall times of several functions measured in alternation (each warmed as `time` does, then one call of each
 * per round, the order turning every round), so that a burst of load on a shared machine weighs on all of them alike.
 */
export function timeInterleaved(fns: ReadonlyArray<() => void>, runs: number): number[] {
  // Warm-up in alternation too, at least five rounds and 300 ms: after 100 ms of one function alone, the first
  // (1,000-line) figures still moved with the order of the calls.
  const warm = process.hrtime.bigint();
  for (let round = 0; round < 5 || (Number(process.hrtime.bigint() - warm) < 300e6 && round < 1000); round++) for (const fn of fns) fn();
  const samples = fns.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (let k = 0; k < fns.length; k++) {
      const i = (round + k) % fns.length;
      const t = process.hrtime.bigint();
      fns[i]();
      samples[i].push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  return samples.map(median);
}

export interface ValidateBenchResult {
  readonly lines: number;
  readonly ours: number;
  readonly dot: number;
  readonly java: number;
  readonly worst?: boolean;
}

export function runValidateBench(): { results: ValidateBenchResult[]; failures: string[] } {
  const results: ValidateBenchResult[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-bench-'));
  try {
    for (const lines of [1_000, 10_000, 100_000]) {
      const text = generateProperties(lines);
      const file = path.join(dir, `${lines}.properties`);
      fs.writeFileSync(file, text);
      const runs = lines >= 100_000 ? 9 : lines >= 10_000 ? 31 : 101;
      // java-properties only reads files, so its time includes reading this file from the OS cache.
      const [ours, dot, java] = timeInterleaved(
        [() => analyzeProperties(text, { fileName: 'bitbucket.properties' }), () => dotParse(text), () => new PropertiesFile().addFile(file)],
        runs,
      );
      results.push({ lines, ours, dot, java });
    }
    // Worst case for the reader: an escape in every plain value (reported, not budgeted).
    const worst = generateProperties(10_000, true);
    const worstFile = path.join(dir, 'worst.properties');
    fs.writeFileSync(worstFile, worst);
    const [ours, dot, java] = timeInterleaved(
      [() => analyzeProperties(worst, { fileName: 'bitbucket.properties' }), () => dotParse(worst), () => new PropertiesFile().addFile(worstFile)],
      31,
    );
    results.push({ lines: 10_000, ours, dot, java, worst: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const failures: string[] = [];
  // Budgets as ratios against a floor measured in the same run: faster than dot-properties' bare parse at every size.
  for (const r of results.filter((x) => !x.worst)) {
    if (r.ours >= r.dot) failures.push(`${r.lines} lines: ours ${r.ours.toFixed(2)} ms is not faster than dot-properties ${r.dot.toFixed(2)} ms`);
  }
  return { results, failures };
}

export function formatValidateBench(results: ValidateBenchResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.lines.toLocaleString('en')}${r.worst ? ' (escape on every line)' : ''} | ${r.ours.toFixed(2)} | ${r.dot.toFixed(2)} | ${(r.dot / r.ours).toFixed(2)}× | ${r.java.toFixed(2)} | ${(r.java / r.ours).toFixed(2)}× |`,
  );
  return [
    'Read + validate (median ms; one line in twenty an {ENC} value, one in ten with escapes)',
    '| lines | ours: read+validate | dot-properties parse | ratio | java-properties addFile | ratio |',
    '|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}
