import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readProperties } from '../../src/core/properties/reader';

/** Differential test: our reader against java.util.Properties.load run through the real JDK. */
const JAVA_SOURCE = path.resolve(__dirname, '../../../test/unit/java/PropsDump.java');

function javaAvailable(): boolean {
  return spawnSync('java', ['-version']).status === 0;
}

type Outcome = { ok: true; map: Map<string, string> } | { ok: false };

function runJava(cases: string[]): Outcome[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-jdk-'));
  try {
    const input = path.join(dir, 'cases.txt');
    fs.writeFileSync(input, cases.map((c) => 'C' + Buffer.from(c, 'utf8').toString('base64')).join('\n') + '\n');
    const r = spawnSync('java', [JAVA_SOURCE, input], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    assert.strictEqual(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n');
    const outcomes: Outcome[] = [];
    let i = 0;
    while (outcomes.length < cases.length) {
      const head = lines[i++];
      if (head.startsWith('ERR')) {
        outcomes.push({ ok: false });
        continue;
      }
      const n = Number(head.slice(3));
      const map = new Map<string, string>();
      for (let k = 0; k < n; k++) {
        const [key, value] = lines[i++].split(' ');
        map.set(Buffer.from(key, 'base64').toString('utf8'), Buffer.from(value ?? '', 'base64').toString('utf8'));
      }
      outcomes.push({ ok: true, map });
    }
    return outcomes;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function ours(text: string): Outcome {
  const doc = readProperties(text);
  if (doc.problems.length > 0) return { ok: false };
  const map = new Map<string, string>();
  for (const e of doc.entries) map.set(e.key, e.value);
  return { ok: true, map };
}

const ALPHABET = ['a', 'b', 'k', 'u', '0', '1', 'F', 'g', ' ', '\t', '\f', '\n', '\r', '\\', '\\', '\\', '=', ':', '#', '!', '{', '}', '"', 'é', 'n', 't'];
const propertiesText = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((chars) => chars.join(''));
/** Realistic lines too: keys, separators, {ENC} JSON with escapes and continuations. */
const propertiesLines = fc
  .array(
    fc.tuple(
      fc.constantFrom('', ' ', '\t', '# ', '! '),
      fc.constantFrom('jdbc.password', 'a\\ b', 'k\\=x', 'key'),
      fc.constantFrom('=', ':', ' ', ' = ', '\t:'),
      fc.constantFrom('{ENC}{"region":"x"}', 'v\\\n   w', '\\u0041\\u00', '\\"q\\"', 'x\\\\', 'y\\', '', ' spaced ', '\\'),
      fc.constantFrom('\n', '\r\n', '\r'),
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.map((parts) => parts.join('')).join(''));

describe('properties reader parity with the JDK', function () {
  this.timeout(120_000);

  before(function () {
    if (!javaAvailable()) {
      // .ci/run installs default-jre-headless; without java this test must fail rather than pass silently.
      throw new Error('java is not on PATH: install default-jre-headless (scripts/prereqs.sh does this as root)');
    }
  });

  it('reads the same keys and values as java.util.Properties for generated inputs', () => {
    const cases = [
      ...fc.sample(propertiesText, { numRuns: 400, seed: 42 }),
      ...fc.sample(propertiesLines, { numRuns: 400, seed: 7 }),
      'a=1\n\\',
      '\\\n#x\na=1',
      'a=\\u12',
      'x\\\r\n  y=z',
      // A last line of only a continuation backslash: the JDK makes an entry "" after LF or CR, none after CR LF.
      'a=1\n\\\r\n',
      'a=1\n\\\n',
      'a=1\n\\\r',
      'a=1\n  \\\r\n',
      '\\\r\n',
      'a=\\\r\n',
      'a=1\n\\\r\nb=2\n',
    ];
    const java = runJava(cases);
    const mismatches: string[] = [];
    cases.forEach((text, i) => {
      const expected = java[i];
      const actual = ours(text);
      const same =
        expected.ok === actual.ok &&
        (!expected.ok || (actual.ok && expected.map.size === actual.map.size && [...expected.map].every(([k, v]) => actual.map.get(k) === v)));
      if (!same) mismatches.push(JSON.stringify(text));
    });
    assert.deepStrictEqual(mismatches, [], `differs from the JDK for ${mismatches.length} of ${cases.length} inputs`);
  });
});
