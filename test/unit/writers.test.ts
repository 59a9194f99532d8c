/**
 * Writers that prove what they wrote (#22): every plan goes through core/edits/prove before a file is written. First
 * the cases found on real files, before → after; then generated files of every form (≥ 1,000 each), checked by an
 * oracle that is not the writer's own reading: the yaml library's strict parse with merge keys, saxes, and for
 * templates the real engines (Debian's python3-jinja2 and Ruby's ERB) rendering every branch.
 */
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import { parse as parseYaml } from 'yaml';
import { SaxesParser } from 'saxes';
import { planForFile } from '../../src/core/edits/plan';
import { proveWrite } from '../../src/core/edits/prove';
import { analyzeFile } from '../../src/core/analyzeFile';
import { verifyTargetOf } from '../../src/core/verify/targets';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { AWS_STORE } from '../../src/core/model/cipherClasses';
import { readProperties } from '../../src/core/properties/reader';
import { rng } from '../support/random';

const TARGET = { region: 'eu-west-1', secretId: 'app/db', secretPointer: '/password' };
const JSON_REF = '{"region":"eu-west-1","secretId":"app/db","secretPointer":"/password"}';

function plan(fileName: string, text: string, service?: string) {
  const kind = resolveFileKind({ fileName, head: text });
  assert.ok(kind, `${fileName} is recognised`);
  return planForFile(kind, text, TARGET, { service });
}

function written(fileName: string, text: string, service?: string): string {
  const p = plan(fileName, text, service);
  assert.strictEqual(p.kind, 'edits', p.kind === 'error' ? p.message : p.kind);
  return (p as { newText: string }).newText;
}

function refused(fileName: string, text: string, pattern: RegExp, service?: string): void {
  const p = plan(fileName, text, service);
  assert.strictEqual(p.kind, 'error', `${fileName} should be refused`);
  assert.match((p as { message: string }).message, pattern);
}

/** Renders Jinja2 templates with Debian's python3-jinja2 (/usr/bin/python3), each with each context. */
function renderJinja(jobs: readonly { template: string; contexts: readonly Record<string, unknown>[] }[]): string[][] {
  const script =
    'import json,sys,jinja2\nout=[[jinja2.Template(j["template"]).render(**c) for c in j["contexts"]] for j in json.load(sys.stdin)]\njson.dump(out,sys.stdout)';
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.strictEqual(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as string[][];
}

/** Renders an ERB template with Ruby's ERB, `node` bound to the given hash. */
function renderErb(template: string, node: Record<string, unknown>): string {
  const script = 'require "erb"; require "json"; input = JSON.parse(STDIN.read); node = input["node"]; print ERB.new(input["template"]).result(binding)';
  const r = spawnSync('ruby', ['-e', script], { input: JSON.stringify({ template, node }), encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  return r.stdout;
}

/** The properties a rendering gives the product (the JDK-parity reader: the last entry of a key wins). */
function effective(text: string): Map<string, string> {
  return new Map(readProperties(text).entries.map((e) => [e.key, e.value]));
}

/** The text of each named element (saxes, strict), for an XML file. */
function xmlTexts(xml: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const stack: { name: string; text: string }[] = [];
  const parser = new SaxesParser();
  let error: Error | undefined;
  parser.on('error', (e) => (error ??= e));
  parser.on('opentag', (t) => stack.push({ name: t.attributes.name ? `property:${String(t.attributes.name)}` : t.name, text: '' }));
  parser.on('text', (t) => stack.length && (stack[stack.length - 1].text += t));
  parser.on('closetag', () => {
    const e = stack.pop()!;
    out.set(e.name, [...(out.get(e.name) ?? []), e.text]);
  });
  parser.write(xml).close();
  if (error) throw error;
  return out;
}

describe('writers prove what they wrote: the cases found on real files', () => {
  it('Jinja2: a password in both arms gets the reference in both, the class before the block; every rendering has both', () => {
    const before = 'jdbc.user=bb\n{% if prod %}\njdbc.password=prodpass\n{% else %}\njdbc.password=devpass\n{% endif %}\n';
    const after = written('bitbucket.properties.j2', before);
    for (const rendering of renderJinja([{ template: after, contexts: [{ prod: true }, { prod: false }] }])[0]) {
      const p = effective(rendering);
      assert.strictEqual(p.get('encrypted-property.cipher.classname'), AWS_STORE);
      assert.strictEqual(p.get('jdbc.password'), `{ENC}${JSON_REF}`);
      assert.strictEqual(p.get('jdbc.user'), 'bb');
    }
  });

  it('Jinja2: a tag after the password value stays, and the template still renders', () => {
    const before = 'jdbc.user=bb\njdbc.password=plain{% if x %}\nfoo=1\n{% endif %}\n';
    const after = written('bitbucket.properties.j2', before);
    assert.ok(after.includes(`jdbc.password={ENC}${JSON_REF}{% if x %}`));
    const [withX, withoutX] = renderJinja([{ template: after, contexts: [{ x: true }, { x: false }] }])[0];
    assert.strictEqual(effective(withX).get('foo'), '1');
    assert.strictEqual(effective(withoutX).get('jdbc.password'), `{ENC}${JSON_REF}`);
  });

  it('ERB: an XML password in both arms (one self-closing) gets the reference in both; Ruby renders both', () => {
    const before =
      '<?xml version="1.0"?>\n<application-configuration>\n  <properties>\n    <property name="bamboo.x">1</property>\n<% if node["prod"] %>\n    <property name="hibernate.connection.password"><%= node["pw"] %></property>\n<% else %>\n    <property name="hibernate.connection.password"/>\n<% end %>\n  </properties>\n</application-configuration>\n';
    const after = written('bamboo.cfg.xml.erb', before);
    for (const prod of [true, false]) {
      const texts = xmlTexts(renderErb(after, { prod, pw: 'x' }));
      assert.deepStrictEqual(texts.get('property:hibernate.connection.password'), [JSON_REF]);
      assert.deepStrictEqual(texts.get('property:jdbc.password.decrypter.classname'), [AWS_STORE]);
      assert.deepStrictEqual(texts.get('property:bamboo.x'), ['1']);
    }
  });

  it('XML: a self-closing <password/> becomes a start and an end tag holding the reference', () => {
    const after = written('dbconfig.xml', '<jira-database-config>\n  <jdbc-datasource>\n    <password/>\n  </jdbc-datasource>\n</jira-database-config>\n');
    assert.deepStrictEqual(xmlTexts(after).get('password'), [JSON_REF]);
  });

  it('YAML: a multi-line flow map and a flow sequence get entries in flow style', () => {
    for (const env of ['{\n      ATL_JDBC_USER: jira,\n      ATL_JDBC_PASSWORD: hunter2\n    }', '[ATL_JDBC_USER=jira, ATL_JDBC_PASSWORD=hunter2]']) {
      const after = written('docker-compose.yml', `services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment: ${env}\n`);
      const e = (parseYaml(after, { uniqueKeys: true }) as { services: { jira: { environment: unknown } } }).services.jira.environment;
      const vars = Array.isArray(e) ? Object.fromEntries(e.map((x: string) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)])) : e;
      assert.deepStrictEqual(vars, { ATL_JDBC_USER: 'jira', ATL_JDBC_PASSWORD: JSON_REF, ATL_JDBC_SECRET_CLASS: AWS_STORE });
    }
  });

  it('YAML: a password given by alias is rewritten at the use site; one merged in is overridden in the service; the anchor stays', () => {
    const alias = written(
      'docker-compose.yml',
      'x-pw: &pw hunter2\nservices:\n  db:\n    image: postgres:15\n    environment:\n      POSTGRES_PASSWORD: *pw\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_PASSWORD: *pw\n',
    );
    const a = parseYaml(alias, { uniqueKeys: true, merge: true }) as { services: Record<string, { environment: Record<string, string> }> };
    assert.strictEqual(a.services.db.environment.POSTGRES_PASSWORD, 'hunter2');
    assert.strictEqual(a.services.jira.environment.ATL_JDBC_PASSWORD, JSON_REF);
    const merged = written(
      'compose.yml',
      'x-env: &env\n  ATL_JDBC_PASSWORD: hunter2\n  ATL_JDBC_USER: jira\nservices:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      <<: *env\n',
    );
    const m = parseYaml(merged, { uniqueKeys: true, merge: true }) as { services: { jira: { environment: Record<string, string> } } };
    assert.deepStrictEqual(m.services.jira.environment, { ATL_JDBC_PASSWORD: JSON_REF, ATL_JDBC_USER: 'jira', ATL_JDBC_SECRET_CLASS: AWS_STORE });
  });

  it('YAML: an environment two services share through an alias is refused, naming both', () => {
    refused(
      'docker-compose.yml',
      'x-env: &env\n  ATL_JDBC_PASSWORD: hunter2\nservices:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment: *env\n  confluence:\n    image: atlassian/confluence:8.9\n    environment: *env\n',
      /environment of jira and confluence/,
      'jira',
    );
  });

  it('YAML: CRLF stays CRLF; a "$" is written "$$" (Compose and Kubernetes reduce it to "$"), and read back as "$"', () => {
    const after = written(
      'docker-compose.yml',
      'services:\r\n  jira:\r\n    image: atlassian/jira-software:9.12\r\n    environment:\r\n      ATL_JDBC_PASSWORD: x\r\n',
    );
    assert.ok(!/(?<!\r)\n/.test(after));
    const compose = 'services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_PASSWORD: x\n';
    const kind = resolveFileKind({ fileName: 'docker-compose.yml', head: compose })!;
    const p = planForFile(kind, compose, { ...TARGET, secretPointer: '/pa$sword' });
    assert.strictEqual(p.kind, 'edits', p.kind === 'error' ? p.message : '');
    const text = (p as { newText: string }).newText;
    assert.ok(text.includes('"secretPointer":"/pa$$sword"'), text);
    // What the container gets, and what a verify asks AWS for: one "$".
    const reference = analyzeFile(text, { kind }).references[0];
    assert.strictEqual(verifyTargetOf(reference)?.store === 'aws' && (verifyTargetOf(reference) as { secretPointer?: string }).secretPointer, '/pa$sword');
    // An env file: tools differ in expanding it, so a "$" is refused there.
    const envKind = resolveFileKind({ fileName: 'jira.env', head: 'ATL_JDBC_PASSWORD=x\n' })!;
    const refusedEnv = planForFile(envKind, 'ATL_JDBC_PASSWORD=x\n', { ...TARGET, secretPointer: '/pa$sword' });
    assert.strictEqual(refusedEnv.kind, 'error');
    assert.match((refusedEnv as { message: string }).message, /"\$"/);
  });
});

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

describe('writers prove what they wrote: generated files of every form', function () {
  this.timeout(120_000);
  const N = 1000;

  it(`Compose (${N} files: map, list and flow styles, quoting, aliases, merge keys, CRLF, other services): every write reads back right, nothing else changes, none is refused`, () => {
    let shared = 0;
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const eol = r() < 0.2 ? '\r\n' : '\n';
      const style = pick(r, ['map', 'list', 'flowmap', 'flowlist'] as const);
      const hasPassword = r() < 0.8;
      const quote = pick(r, ['', "'", '"']);
      const anchored = style === 'map' && hasPassword && r() < 0.25;
      const sharedAnchor = anchored && r() < 0.4;
      const mergedIn = style === 'map' && !anchored && r() < 0.2;
      const others = Array.from(
        { length: Math.floor(r() * 3) },
        (_, i) => `  svc${i}:\n    image: nginx:1.${i}\n    environment:\n      A${i}: "b${i}"\n`,
      ).join('');
      const vars: string[][] = [
        ['ATL_JDBC_USER', 'jira'],
        ['ATL_JDBC_URL', 'jdbc:postgresql://db/jira'],
      ];
      if (hasPassword && !anchored && !mergedIn) vars.push(['ATL_JDBC_PASSWORD', `${quote}hunter${seed}${quote}`]);
      let env: string;
      if (style === 'map')
        env = `\n${vars.map(([k, v]) => `      ${k}: ${v}`).join('\n')}${anchored ? '\n      ATL_JDBC_PASSWORD: *pw' : ''}${mergedIn ? '\n      <<: *common' : ''}`;
      else if (style === 'list') env = `\n${vars.map(([k, v]) => `      - ${k}=${v.replace(/^["']|["']$/g, '')}`).join('\n')}`;
      else if (style === 'flowmap')
        env = r() < 0.5 ? ` { ${vars.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : ` {\n${vars.map(([k, v]) => `      ${k}: ${v}`).join(',\n')}\n    }`;
      else env = ` [${vars.map(([k, v]) => `${k}=${v.replace(/^["']|["']$/g, '')}`).join(', ')}]`;
      const head = `${anchored ? `x-pw: &pw hunter${seed}\n` : ''}${mergedIn ? `x-common: &common\n  ATL_JDBC_PASSWORD: hunter${seed}\n` : ''}`;
      const db = sharedAnchor ? '  db:\n    image: postgres:15\n    environment:\n      POSTGRES_PASSWORD: *pw\n' : '';
      const text = `${head}services:\n${others}${db}  jira:\n    image: atlassian/jira-software:9.12\n    environment:${env}\n`.replace(/\n/g, eol);
      const p = plan('docker-compose.yml', text);
      if (sharedAnchor) {
        // Writing at the use site keeps the anchor: the database's password does not change, so this is written too.
        shared++;
      }
      assert.strictEqual(p.kind, 'edits', `seed ${seed} (${style}) refused: ${p.kind === 'error' ? p.message : p.kind}\n${text}`);
      const out = (p as { newText: string }).newText;
      if (eol === '\r\n') assert.ok(!/(?<!\r)\n/.test(out), `seed ${seed}: line ends`);
      const doc = parseYaml(out, { uniqueKeys: true, merge: true }) as { services: Record<string, { environment: unknown }> };
      const before = parseYaml(text, { uniqueKeys: true, merge: true }) as { services: Record<string, { environment: unknown }> };
      const asMap = (e: unknown): Record<string, string> =>
        Array.isArray(e)
          ? Object.fromEntries((e as string[]).map((x) => [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)]))
          : Object.fromEntries(Object.entries(e as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      const jira = asMap(doc.services.jira.environment);
      assert.strictEqual(jira.ATL_JDBC_PASSWORD, JSON_REF, `seed ${seed}: password`);
      assert.strictEqual(jira.ATL_JDBC_SECRET_CLASS, AWS_STORE, `seed ${seed}: class`);
      const was = asMap(before.services.jira.environment);
      for (const k of Object.keys(was)) if (k !== 'ATL_JDBC_PASSWORD') assert.strictEqual(jira[k], was[k], `seed ${seed}: ${k}`);
      for (const name of Object.keys(before.services).filter((n) => n !== 'jira')) {
        assert.deepStrictEqual(doc.services[name], before.services[name], `seed ${seed}: service ${name} changed`);
      }
    }
    assert.ok(shared > 20, `${shared} files with a shared anchor`);
  });

  it(`env files, Kubernetes manifests and Helm values (${N} files each: quoting, comments, other containers and variables, valueFrom, CRLF): every write reads back right and nothing else changes`, () => {
    const asEnv = (text: string) =>
      new Map(
        text
          .split(/\r?\n/)
          .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
          .map((l) => [
            l.slice(0, l.indexOf('=')),
            l
              .slice(l.indexOf('=') + 1)
              .replace(/^'(.*)'$/, '$1')
              .replace(/^"(.*)"$/, '$1'),
          ]),
      );
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const eol = r() < 0.2 ? '\r\n' : '\n';
      // env file
      const envLines = [
        '# Jira',
        'ATL_JDBC_USER=jira',
        ...(r() < 0.7 ? [`ATL_JDBC_PASSWORD=${pick(r, ['', "'", '"'])}pw${seed}`.replace(/^(ATL_JDBC_PASSWORD=)(['"])(.*)$/, '$1$2$3$2')] : []),
        `OTHER_${seed}=x y`,
      ];
      const envText = envLines.join(eol) + eol;
      const envOut = written('jira.env', envText);
      const env = asEnv(envOut);
      assert.strictEqual(env.get('ATL_JDBC_PASSWORD'), JSON_REF, `env seed ${seed}\n${envOut}`);
      assert.strictEqual(env.get('ATL_JDBC_SECRET_CLASS'), AWS_STORE, `env seed ${seed}`);
      assert.strictEqual(env.get(`OTHER_${seed}`), 'x y', `env seed ${seed}`);
      if (eol === '\r\n') assert.ok(!/(?<!\r)\n/.test(envOut), `env seed ${seed}: line ends`);
      // Kubernetes: a Deployment with a sidecar; the password as a value, from a Secret (refused: put it there), or absent
      const from = r() < 0.15;
      const pw = from
        ? '            - name: ATL_JDBC_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: db, key: password }'
        : r() < 0.7
          ? `            - name: ATL_JDBC_PASSWORD\n              value: ${pick(r, ['pw', "'pw'", '"pw"'])}`
          : '';
      const k8s =
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          '  name: jira',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: sidecar',
          '          image: busybox:1',
          '          env:',
          '            - name: DB_PASSWORD',
          '              value: not-jira',
          '        - name: jira',
          '          image: atlassian/jira-software:9.12',
          '          env:',
          '            - name: ATL_JDBC_USER',
          '              value: jira',
          ...(pw ? pw.split('\n') : []),
        ].join(eol) + eol;
      const planned = plan('deployment.yaml', k8s);
      if (from) {
        assert.strictEqual(planned.kind, 'error', `k8s seed ${seed}: valueFrom is refused`);
      } else {
        assert.strictEqual(planned.kind, 'edits', `k8s seed ${seed}: ${planned.kind === 'error' ? planned.message : ''}`);
        const doc = parseYaml((planned as { newText: string }).newText, { uniqueKeys: true }) as {
          spec: { template: { spec: { containers: { name: string; env: { name: string; value: string }[] }[] } } };
        };
        const [sidecar, jira] = doc.spec.template.spec.containers;
        assert.deepStrictEqual(sidecar.env, [{ name: 'DB_PASSWORD', value: 'not-jira' }], `k8s seed ${seed}`);
        const vars = Object.fromEntries(jira.env.map((e) => [e.name, e.value]));
        assert.deepStrictEqual(vars, { ATL_JDBC_USER: 'jira', ATL_JDBC_PASSWORD: JSON_REF, ATL_JDBC_SECRET_CLASS: AWS_STORE }, `k8s seed ${seed}`);
      }
      // Helm values: the chart's product key with additionalEnvironmentVariables
      const helm =
        [
          'image:',
          '  repository: atlassian/confluence',
          '  tag: 8.9.0',
          'confluence:',
          '  additionalEnvironmentVariables:',
          '    - name: JVM_SUPPORT_RECOMMENDED_ARGS',
          '      value: -Dx=1',
          ...(r() < 0.7 ? ['    - name: ATL_JDBC_PASSWORD', `      value: ${pick(r, ['pw', "'pw'"])}`] : []),
          'database:',
          '  url: jdbc:postgresql://db/confluence',
        ].join(eol) + eol;
      const values = parseYaml(written('values-prod.yaml', helm), { uniqueKeys: true }) as {
        confluence: { additionalEnvironmentVariables: { name: string; value: string }[] };
        database: unknown;
      };
      assert.deepStrictEqual(
        Object.fromEntries(values.confluence.additionalEnvironmentVariables.map((e) => [e.name, e.value])),
        { JVM_SUPPORT_RECOMMENDED_ARGS: '-Dx=1', ATL_JDBC_PASSWORD: JSON_REF, ATL_JDBC_SECRET_CLASS: AWS_STORE },
        `helm seed ${seed}`,
      );
      assert.deepStrictEqual(values.database, { url: 'jdbc:postgresql://db/confluence' }, `helm seed ${seed}`);
    }
  });

  it(`bitbucket.properties (${N} files: comments, duplicates, continuations, legacy class, CRLF): the JDK-parity reader sees the class and the reference, and every other key keeps its value`, () => {
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const eol = r() < 0.2 ? '\r\n' : '\n';
      const lines: string[] = ['# Bitbucket'];
      const n = 1 + Math.floor(r() * 8);
      for (let i = 0; i < n; i++) {
        const roll = r();
        if (roll < 0.15) lines.push(`jdbc.password=old${i}`);
        else if (roll < 0.25) lines.push(`jdbc.password = p${i}\\`, `    continued${i}`);
        else if (roll < 0.3) lines.push('jdbc.password.decrypter.classname=com.atlassian.db.config.password.ciphers.base64.Base64Cipher');
        else if (roll < 0.4) lines.push(`! comment ${i}`);
        else lines.push(`plugin.k${i}=v${i} \\u00e9`);
      }
      const text = lines.join(eol) + (r() < 0.8 ? eol : '');
      const out = written('bitbucket.properties', text);
      const after = effective(out);
      assert.strictEqual(after.get('jdbc.password'), `{ENC}${JSON_REF}`, `seed ${seed}`);
      assert.strictEqual(after.get('encrypted-property.cipher.classname'), AWS_STORE, `seed ${seed}`);
      assert.ok(!after.has('jdbc.password.decrypter.classname'), `seed ${seed}: the legacy class goes`);
      for (const [k, v] of effective(text)) if (!k.startsWith('jdbc.password')) assert.strictEqual(after.get(k), v, `seed ${seed}: ${k}`);
      if (eol === '\r\n') assert.ok(!/(?<!\r)\n/.test(out), `seed ${seed}: line ends`);
    }
  });

  it(`dbconfig.xml and bamboo.cfg.xml (${N} files: empty, self-closing, attributes, comments, missing elements, CRLF): saxes reads the class and the reference, and every other element keeps its text`, () => {
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const eol = r() < 0.2 ? '\r\n' : '\n';
      const jira = r() < 0.5;
      const pw = pick(r, ['<x>hunter</x>', '<x/>', '<x></x>', '<x >old</x>', '']);
      const cls = r() < 0.3;
      let text: string;
      if (jira) {
        const element = pw.replace(/x/g, 'password');
        text = [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<jira-database-config>',
          '  <name>defaultDS</name>',
          '  <jdbc-datasource>',
          '    <url>jdbc:postgresql://db/jira</url>',
        ]
          .concat(r() < 0.3 ? ['    <!-- the database -->'] : [])
          .concat(
            cls
              ? ['    <atlassian-password-cipher-provider>com.atlassian.db.config.password.ciphers.base64.Base64Cipher</atlassian-password-cipher-provider>']
              : [],
          )
          .concat(element ? [`    ${element}`] : [])
          .concat(['    <pool-max-size>20</pool-max-size>', '  </jdbc-datasource>', '</jira-database-config>'])
          .join(eol);
      } else {
        const element = pw.replace(/<x/g, '<property name="hibernate.connection.password"').replace(/<\/x>/g, '</property>');
        text = [
          '<?xml version="1.0" encoding="UTF-8"?>',
          '<application-configuration>',
          '  <buildNumber>90101</buildNumber>',
          '  <properties>',
          '    <property name="bamboo.jms.broker.uri">nio://0.0.0.0:54663</property>',
        ]
          .concat(element ? [`    ${element}`] : [])
          .concat(['    <property name="hibernate.connection.username">bamboo</property>', '  </properties>', '</application-configuration>'])
          .join(eol);
      }
      const out = written(jira ? 'dbconfig.xml' : 'bamboo.cfg.xml', text + eol);
      const t = xmlTexts(out);
      const before = xmlTexts(text + eol);
      const [pwKey, classKey] = jira
        ? ['password', 'atlassian-password-cipher-provider']
        : ['property:hibernate.connection.password', 'property:jdbc.password.decrypter.classname'];
      assert.deepStrictEqual(t.get(pwKey), [JSON_REF], `seed ${seed}\n${out}`);
      assert.deepStrictEqual(t.get(classKey), [AWS_STORE], `seed ${seed}`);
      for (const [k, v] of before)
        if (k !== pwKey && k !== classKey && !['jdbc-datasource', 'properties', 'jira-database-config', 'application-configuration'].includes(k))
          assert.deepStrictEqual(t.get(k), v, `seed ${seed}: ${k}`);
      if (eol === '\r\n') assert.ok(!/(?<!\r)\n/.test(out), `seed ${seed}: line ends`);
    }
  });

  it(`Jinja2 bitbucket.properties.j2 (${N} files: passwords in if/elif/else arms, expressions, tags after values): Jinja2 renders every branch with the class and the reference`, () => {
    const jobs: { template: string; contexts: Record<string, unknown>[] }[] = [];
    const befores: string[] = [];
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const value = () => pick(r, ['plain', '{{ db_password }}', "{{ vault['db'] | default('x') }}"]);
      const arms = 1 + Math.floor(r() * 3);
      const body: string[] = ['# {{ ansible_managed }}', 'jdbc.user={{ db_user }}'];
      if (arms === 1) body.push(`jdbc.password=${value()}${r() < 0.3 ? '{# rotated yearly #}' : ''}`);
      else {
        body.push('{% if env == "prod" %}', `jdbc.password=${value()}`);
        if (arms === 3) body.push('{% elif env == "stage" %}', `jdbc.password=${value()}`);
        body.push('{% else %}', r() < 0.3 ? '# no password in dev' : `jdbc.password=${value()}`, '{% endif %}');
      }
      body.push('server.port={{ port | default(7990) }}');
      const text = body.join('\n') + '\n';
      befores.push(text);
      jobs.push({
        template: written('bitbucket.properties.j2', text),
        contexts: ['prod', 'stage', 'dev'].map((env) => ({ env, db_user: 'bb', db_password: 'pw', vault: { db: 'v' }, port: 7990 })),
      });
    }
    const before = renderJinja(befores.map((template) => ({ template, contexts: jobs[0].contexts })));
    renderJinja(jobs).forEach((renderings, i) =>
      renderings.forEach((rendering, j) => {
        const p = effective(rendering);
        const had = effective(before[i][j]);
        if (had.has('jdbc.password')) {
          assert.strictEqual(p.get('jdbc.password'), `{ENC}${JSON_REF}`, `seed ${i + 1}, ${String(jobs[i].contexts[j].env)}\n${jobs[i].template}`);
          assert.strictEqual(p.get('encrypted-property.cipher.classname'), AWS_STORE, `seed ${i + 1}`);
        }
        for (const k of ['jdbc.user', 'server.port']) assert.strictEqual(p.get(k), had.get(k), `seed ${i + 1}: ${k}`);
      }),
    );
  });
});

describe('the proof refuses what the old writers produced (core/edits/prove)', () => {
  const prove = (fileName: string, before: string, after: string) => proveWrite(resolveFileKind({ fileName, head: before })!, before, after, TARGET);
  const REF = `{ENC}${JSON_REF}`;
  const CLASS = `encrypted-property.cipher.classname=${AWS_STORE}`;

  it('a branch that lost its password, a deleted tag, a password left as it was', () => {
    const before = 'jdbc.user=bb\n{% if prod %}\njdbc.password=prodpass\n{% else %}\njdbc.password=devpass\n{% endif %}\n';
    assert.match(
      prove('bitbucket.properties.j2', before, `jdbc.user=bb\n{% if prod %}\n{% else %}\n${CLASS}\njdbc.password=${REF}\n{% endif %}\n`)!,
      /would not all stay/,
    );
    assert.match(
      prove('bitbucket.properties.j2', 'jdbc.password=plain{% if x %}\nfoo=1\n{% endif %}\n', `${CLASS}\njdbc.password=${REF}\nfoo=1\n{% endif %}\n`)!,
      /template syntax/,
    );
    assert.match(prove('bitbucket.properties', 'jdbc.password=a\n', `${CLASS}\njdbc.password=a\n`)!, /would not read the reference/);
  });

  it('YAML that no longer parses, a duplicate key, another service changed, mixed line ends', () => {
    const compose = (env: string) => `services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:${env}\n`;
    assert.match(
      prove(
        'docker-compose.yml',
        compose(' {\n      ATL_JDBC_PASSWORD: x\n    }'),
        compose(` {\n      ATL_JDBC_PASSWORD: '${JSON_REF}'\n      ATL_JDBC_SECRET_CLASS: '${AWS_STORE}'\n    }`),
      )!,
      /would not parse/,
    );
    assert.match(
      prove(
        'docker-compose.yml',
        compose('\n      ATL_JDBC_PASSWORD: *pw').replace('services', 'x: &pw a\nservices'),
        compose(`\n      ATL_JDBC_PASSWORD: *pw\n      ATL_JDBC_PASSWORD: '${JSON_REF}'\n      ATL_JDBC_SECRET_CLASS: '${AWS_STORE}'`).replace(
          'services',
          'x: &pw a\nservices',
        ),
      )!,
      /would not parse/,
    );
    const two = (pw: string) =>
      `x-pw: &pw ${pw}\nservices:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: *pw\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_PASSWORD: *pw\n      ATL_JDBC_SECRET_CLASS: '${AWS_STORE}'\n`;
    assert.match(prove('docker-compose.yml', two('a'), two(`'${JSON_REF}'`))!, /POSTGRES_PASSWORD/);
    assert.match(
      prove(
        'docker-compose.yml',
        compose('\r\n      ATL_JDBC_PASSWORD: x').replace(/\n/g, '\r\n'),
        compose(`\r\n      ATL_JDBC_PASSWORD: '${JSON_REF}'\n      ATL_JDBC_SECRET_CLASS: '${AWS_STORE}'`).replace(/(?<!\n)\n(?!$)/g, '\r\n'),
      )!,
      /line ends/,
    );
  });

  it('XML whose password is written after a self-closing element', () => {
    const before = '<jira-database-config>\n  <jdbc-datasource>\n    <password/>\n  </jdbc-datasource>\n</jira-database-config>\n';
    const after = `<jira-database-config>\n  <jdbc-datasource>\n    <atlassian-password-cipher-provider>${AWS_STORE}</atlassian-password-cipher-provider>\n    <password/>${JSON_REF}\n  </jdbc-datasource>\n</jira-database-config>\n`;
    assert.ok(prove('dbconfig.xml', before, after));
  });
});
