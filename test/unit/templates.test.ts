/** Templates as infrastructure repositories keep them: masking, branches, placeholders, kinds, the CLI. */
import * as assert from 'assert';
import * as path from 'path';
import { analyzeFile } from '../../src/core/analyzeFile';
import { main } from '../../src/cli/main';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { detectDialect, maskTemplate, PLACEHOLDER, placeholderFor, TemplateDialect } from '../../src/core/templates/template';
import { checkReport } from '../support/reports';
import { filledTarget, templatedKeys } from '../../src/core/verify/targets';
import { verifySummary } from '../../src/core/verify/labels';
import { memberEdit } from '../../src/core/edits/memberEdit';
import { awsOf } from '../../src/core/rules/analysis';

const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/templates');
const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

const codes = (text: string, fileName: string) => analyzeFile(text, { fileName }).findings.map((f) => `${f.code}@${text.slice(0, f.start).split('\n').length}`);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('template masking: nothing moves', () => {
  const cases: Array<[TemplateDialect, string]> = [
    ['jinja', 'a={{ x | default("y") }}\n{% if z -%}\nb=1\n{%- endif %}\n{# note #}\n'],
    ['erb', 'a=<%= @x %>\n<% if @z -%>\nb=1\n<% end -%>\n<%# note %>\n'],
    ['epp', '<%- | String $x | -%>\na=<%= $x %>\n<% if $z { -%>\nb=1\n<% } -%>\n'],
    ['go', 'a={{ .Values.x }}\n{{- if .Values.z }}\nb=1\n{{- end }}\n{{/* note */}}\n'],
    ['shell', 'a=${X}\nb=${Y:-default}\nc=$Z\nd=$$literal\n'],
  ];
  for (const [dialect, text] of cases) {
    it(`${dialect}: same length, same line breaks; expressions become placeholders, tags spaces`, () => {
      const masked = maskTemplate(text, dialect);
      assert.strictEqual(masked.text.length, text.length);
      assert.deepStrictEqual(
        [...masked.text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0),
        [...text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0),
      );
      // The template's own placeholder: one byte (the masked text stays a one-byte string) and absent from the text.
      assert.ok(masked.placeholder.charCodeAt(0) <= 0xff && !text.includes(masked.placeholder), JSON.stringify(masked.placeholder));
      assert.match(masked.text, new RegExp(`^a=${masked.placeholder}+$`, 'm'));
      assert.match(masked.text, /^b=/m);
      assert.doesNotMatch(masked.text, /\{\{|\{%|<%|\$\{/);
    });
  }

  it('Jinja {% raw %} keeps its content literally; shell $$ is an escape', () => {
    const masked = maskTemplate('{% raw %}x={{ y }}{% endraw %}\n', 'jinja');
    assert.match(masked.text, /x=\{\{ y \}\}/);
    assert.match(maskTemplate('d=$$HOME\n', 'shell').text, /d=\$\$HOME/);
  });

  it('detects the dialect of .tmpl, .template and .in files from their content', () => {
    assert.strictEqual(detectDialect('{% if x %}a{% endif %}'), 'jinja');
    assert.strictEqual(detectDialect('<%= @db_pass %>'), 'erb');
    assert.strictEqual(detectDialect('<% if $x { -%>a<% } -%>'), 'epp');
    assert.strictEqual(detectDialect('{{ .Values.x }}'), 'go');
    assert.strictEqual(detectDialect('a=${SQL_PASS}'), 'shell');
    assert.strictEqual(detectDialect('plain=text'), undefined);
  });

  it('exclusive branches: if/elif/else, unless, case/when; the same condition is the same decision', () => {
    const text = '{% if a %}\nA\n{% elif b %}\nB\n{% else %}\nC\n{% endif %}\n{% if a %}\nD\n{% endif %}\nE\n';
    const m = maskTemplate(text, 'jinja');
    const at = (s: string) => text.indexOf(`\n${s}\n`) + 1;
    assert.ok(m.exclusive(at('A'), at('B')) && m.exclusive(at('B'), at('C')) && m.exclusive(at('A'), at('C')));
    assert.ok(!m.exclusive(at('A'), at('D')), 'the same condition: both or neither');
    assert.ok(m.exclusive(at('C'), at('D')), 'else of "a" and another "if a"');
    assert.ok(!m.exclusive(at('A'), at('E')));
    const erb = '<% case @x %>\n<% when 1 %>\nA\n<% when 2 %>\nB\n<% end %>\n';
    const e = maskTemplate(erb, 'erb');
    assert.ok(e.exclusive(erb.indexOf('A'), erb.indexOf('B')));
  });
});

describe('template kinds: names, suffixes and content', () => {
  const kind = (fileName: string, head?: string) => {
    const k = resolveFileKind({ fileName, head });
    return k && `${k.profile.product}${k.template ? `:${k.template}` : ''}`;
  };
  it('template suffixes, prefixed and infixed names', () => {
    assert.strictEqual(kind('bitbucket.properties.j2'), 'bitbucket:jinja');
    assert.strictEqual(kind('dbconfig.xml.j2'), 'jira:jinja');
    assert.strictEqual(kind('confluence.cfg.xml.erb'), 'confluence:erb');
    assert.strictEqual(kind('bitbucket.properties.epp'), 'bitbucket:epp');
    assert.strictEqual(kind('bitbucket.properties.gotmpl'), 'bitbucket:go');
    assert.strictEqual(kind('home-confluence.cfg.xml.template', '<confluence-configuration>${X}'), 'confluence:shell');
    assert.strictEqual(kind('confluence.cfg.xml.tmpl', '{{ .Values.x }}<confluence-configuration>'), 'confluence:go');
    assert.strictEqual(kind('jira.dbconfig.xml.erb'), 'jira:erb');
    assert.strictEqual(kind('bamboo.cfg.prod.xml'), 'bamboo');
    assert.strictEqual(kind('shared-crowd.cfg.xml'), 'crowd');
    assert.strictEqual(kind('bitbucket.prod.properties'), 'bitbucket');
  });
  it('the content decides when the name cannot, and a contradicting content is no product file', () => {
    assert.strictEqual(kind('x.xml', '<application-configuration><property name="crowd.server.id">'), 'crowd');
    assert.strictEqual(kind('x.xml', '<application-configuration><property name="bamboo.jms.broker.uri">'), 'bamboo');
    assert.strictEqual(kind('x.xml', '<application-configuration><properties/>'), undefined, 'Bamboo or Crowd: cannot tell');
    assert.strictEqual(kind('dbconfig.xml', '<?xml version="1.0"?><dblist/>'), undefined);
    assert.strictEqual(kind('server.xml.j2', '<Server port="{{ p }}"/>'), undefined);
    assert.strictEqual(kind('bitbucket.properties.j2', '<?xml version="1.0"?>\n<jira-database-config>'), undefined, 'XML is never read as properties');
  });
});

describe('templates: what the rules say', () => {
  it('an {ENC} reference in one branch and a placeholder password in the other: no duplicate, no plaintext, the class applies to its branch', () => {
    const text =
      '{% if secret_id is defined %}\n' +
      AWS +
      'jdbc.password={ENC}{"region":"{{ region }}","secretId":"{{ secret_id }}"}\n' +
      '{% else %}\n' +
      'jdbc.password={{ bitbucket_db_password }}\n' +
      '{% endif %}\n';
    const a = analyzeFile(text, { fileName: 'bitbucket.properties.j2' });
    assert.deepStrictEqual(
      a.findings.map((f) => f.code),
      ['templated-password'],
    );
    assert.match(a.findings[0].message, /from `bitbucket_db_password`/);
    assert.strictEqual(a.findings[0].severity, 'info');
    assert.strictEqual(a.references.length, 1);
    assert.ok(a.references[0].templated && a.references[0].valid);
  });

  it('the same lines without branches are a duplicate; keys around placeholders are still checked', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"{{ r }}","secretID":"{{ s }}"}\njdbc.password={{ p }}\n`;
    // Java keeps the last jdbc.password, so the {ENC} line is a duplicate and the class resolves nothing.
    assert.deepStrictEqual(codes(text, 'bitbucket.properties.j2'), ['cipher-without-enc@1', 'properties-duplicate-key@2', 'templated-password@3']);
    const keys = `${AWS}jdbc.password={ENC}{"region":"{{ r }}","secretID":"{{ s }}"}\n`;
    assert.deepStrictEqual(codes(keys, 'bitbucket.properties.j2'), ['aws-unknown-key@2']);
  });

  it('a class in one branch does not apply to a password in the other', () => {
    const text = '<% if @aws -%>\n' + AWS + '<% else -%>\njdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n<% end -%>\n';
    assert.deepStrictEqual(codes(text, 'bitbucket.properties.erb'), ['cipher-without-enc@2', 'enc-without-cipher@4']);
  });

  it('XML: two <password> elements in exclusive branches are not duplicates; diagnostics land on the template’s columns', () => {
    const text =
      '<jira-database-config><jdbc-datasource>\n' +
      '{% if aws %}\n' +
      '<atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>\n' +
      '<password>{"region":"{{ region }}","secretId":"{{ id }}","secretPointer":"password"}</password>\n' +
      '{% else %}\n' +
      '<password>{{ atl_jdbc_password }}</password>\n' +
      '{% endif %}\n' +
      '</jdbc-datasource></jira-database-config>\n';
    const a = analyzeFile(text, { fileName: 'dbconfig.xml.j2' });
    assert.deepStrictEqual(
      a.findings.map((f) => f.code),
      ['aws-pointer-no-slash', 'templated-password'],
    );
    const pointer = a.findings[0];
    assert.strictEqual(text.slice(pointer.start, pointer.end), '"password"');
  });

  it('a fix that would edit template syntax is not offered; others are', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"{{ r }}","secretId":"x","secretPointer":"password"}\n`;
    const a = analyzeFile(text, { fileName: 'bitbucket.properties.j2' });
    const pointer = a.findings.find((f) => f.code === 'aws-pointer-no-slash')!;
    assert.ok(pointer.fixes && pointer.fixes.length > 0, 'the pointer fix does not touch the template');
    const masked = maskTemplate(text, 'jinja');
    for (const f of a.findings) for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(!masked.touchesTag(e.start, e.end));
  });

  it('a placeholder inside {ENC} JSON is never an invalid region or secret id, and the reference is not verifiable', () => {
    for (const [name, text] of [
      ['bitbucket.properties.in', `${AWS}jdbc.password={ENC}{"region":"\${AWS_REGION}","secretId":"\${ID}"}\n`],
      ['bitbucket.properties.epp', `${AWS}jdbc.password={ENC}{"region":"<%= $region %>","secretId":"<%= $id %>"}\n`],
      ['bitbucket.properties.gotmpl', `${AWS}jdbc.password={ENC}{"region":"{{ .Values.r }}","secretId":"{{ .Values.id }}"}\n`],
    ]) {
      const a = analyzeFile(text, { fileName: name });
      assert.deepStrictEqual(a.findings, [], name);
      assert.ok(a.references[0].templated, name);
      assert.ok(!a.references[0].payload.includes('{{') && a.references[0].payload.includes(a.references[0].placeholder!));
    }
  });
});

describe('a folder scan of the template fixtures (CLI JSON)', () => {
  it('finds every product template, reads each as its product, and reports nothing caused by template syntax', async () => {
    const { code, stdout } = await cli(['check', '--format', 'json', FIXTURES]);
    assert.strictEqual(code, 1, 'the gotmpl fixture has a real error (secretID)');
    const report = checkReport(stdout);
    const found = Object.fromEntries(
      report.files.map((f) => [path.relative(FIXTURES, f.path), `${f.product}: ${f.diagnostics.map((d) => d.code).join(',') || '-'}`]),
    );
    assert.deepStrictEqual(found, {
      'ansible-bitbucket/templates/bitbucket.properties.j2': 'bitbucket: templated-password',
      'ansible-jira/templates/dbconfig.xml.j2': 'jira: templated-password',
      'chef-confluence/templates/default/confluence.cfg.xml.erb': 'confluence: templated-password',
      'chef-confluence/templates/default/jira.dbconfig.xml.erb': 'jira: aws-pointer-no-slash',
      'crowd/bamboo.cfg.prod.xml': 'bamboo: -',
      'crowd/shared-crowd.cfg.xml': 'crowd: plaintext-password',
      'docker-bitbucket/bitbucket.properties.in': 'bitbucket: -',
      'docker-bitbucket/home-confluence.cfg.xml.template': 'confluence: templated-password',
      'helm-bamboo/files/bamboo.cfg.xml.tpl': 'bamboo: templated-password',
      'helm-bamboo/files/bitbucket.properties.gotmpl': 'bitbucket: aws-unknown-key',
      'puppet-bitbucket/templates/bitbucket.properties.epp': 'bitbucket: templated-password',
    });
  });

  it('--product and --template read a file whose name says neither; a bad value is a short usage error', async () => {
    const file = path.join(FIXTURES, 'ansible-jira/templates/dbconfig.xml.j2');
    const asNamed = await cli(['check', '--format', 'json', '--product', 'jira', '--template', 'jinja', file]);
    assert.strictEqual(checkReport(asNamed.stdout).files[0].product, 'jira');
    const bad = await cli(['check', '--product', 'jra', file]);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--product must be bitbucket, jira, confluence, bamboo or crowd, not "jra"/);
  });

  it('--format gitlab writes GitLab Code Quality issues with stable fingerprints and project-relative paths', async () => {
    const first = await cli(['check', '--format', 'gitlab', FIXTURES]);
    const issues = JSON.parse(first.stdout) as Array<{
      check_name: string;
      fingerprint: string;
      severity: string;
      location: { path: string; lines: { begin: number } };
    }>;
    const unknown = issues.find((i) => i.check_name === 'aws-unknown-key')!;
    assert.strictEqual(unknown.severity, 'critical');
    assert.strictEqual(unknown.location.path, path.relative(process.cwd(), path.join(FIXTURES, 'helm-bamboo/files/bitbucket.properties.gotmpl')));
    assert.strictEqual(unknown.location.lines.begin, 3);
    assert.strictEqual(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
    const again = await cli(['check', '--format', 'gitlab', FIXTURES]);
    assert.strictEqual(again.stdout, first.stdout);
  });

  it('verify reports a templated reference as skipped, not failed', async () => {
    const r = await cli(['verify', path.join(FIXTURES, 'docker-bitbucket/bitbucket.properties.in')]);
    assert.strictEqual(r.code, 0);
    assert.match(r.stdout, /SKIP \[templated\] jdbc\.password → templated/);
    assert.match(r.stdout, /1 reference\(s\): 0 resolved, 0 failed, 1 templated/);
  });
});

describe('CLI usage errors', () => {
  it('are short: the problem and where the help is, exit 2', async () => {
    const r = await cli(['check', '--format', 'yaml', 'x']);
    assert.strictEqual(r.code, 2);
    assert.deepStrictEqual(r.stderr.trimEnd().split('\n'), [
      'encprops: --format must be text, json, sarif or gitlab, not "yaml"',
      'Run "encprops --help" for usage.',
    ]);
  });
});

describe('associations with a template dialect', () => {
  it('"jira:go" maps a name to Jira’s file written as a Go template', () => {
    const kind = resolveFileKind({ fileName: 'db.xml.tmpl', associations: { 'db.xml.tmpl': 'jira:go' } });
    assert.strictEqual(kind?.profile.product, 'jira');
    assert.strictEqual(kind?.template, 'go');
    const a = analyzeFile('<jira-database-config><jdbc-datasource><password>{{ .Values.pw }}</password></jdbc-datasource></jira-database-config>', {
      kind,
    });
    assert.deepStrictEqual(
      a.findings.map((f) => f.code),
      ['templated-password'],
    );
  });
});

describe('filling a templated reference for a verify', () => {
  const text = `${AWS}jdbc.password={ENC}{"region":"{{ r }}","secretId":"{{ id }}","secretPointer":"/password"}\n`;
  const reference = () => analyzeFile(text, { fileName: 'bitbucket.properties.j2' }).references[0];

  it('names the templated keys and builds the target from typed values through the store rules', () => {
    assert.deepStrictEqual(templatedKeys(reference()), ['region', 'secretId']);
    assert.deepStrictEqual(filledTarget(reference(), { region: 'eu-west-1', secretId: 'db' }), {
      target: { store: 'aws', region: 'eu-west-1', secretId: 'db', secretPointer: '/password' },
    });
  });

  it('refuses values the store would refuse, with the rule’s message', () => {
    const filled = filledTarget(reference(), { region: 'mars-north-1', secretId: 'db' });
    assert.ok('problem' in filled && /mars-north-1/.test(filled.problem), JSON.stringify(filled));
  });
});

describe('CLI strictness', () => {
  it('set-aws-secret refuses a region the AWS SDK does not know: exit 2, file untouched, no backup', async () => {
    const fs = await import('fs');
    const os = await import('os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-region-'));
    try {
      const file = path.join(dir, 'bitbucket.properties');
      fs.writeFileSync(file, 'jdbc.password=hunter2\n');
      const r = await cli(['set-aws-secret', '--region', 'ap-sotheast-2', '--secret-id', 'db', file]);
      assert.strictEqual(r.code, 2, r.stderr);
      assert.match(r.stderr, /\[aws-region-unknown\].*ap-southeast-2/);
      assert.deepStrictEqual(fs.readdirSync(dir), ['bitbucket.properties']);
      assert.strictEqual(fs.readFileSync(file, 'utf8'), 'jdbc.password=hunter2\n');
      const forced = await cli(['set-aws-secret', '--region', 'ap-sotheast-2', '--allow-unknown-region', '--no-backup', '--secret-id', 'db', file]);
      assert.strictEqual(forced.code, 0, forced.stderr);
      assert.match(fs.readFileSync(file, 'utf8'), /"region":"ap-sotheast-2"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check and verify on paths with no product file say so and exit 2', async () => {
    const other = path.join(FIXTURES, 'other');
    for (const command of ['check', 'verify']) {
      const r = await cli([command, other]);
      assert.strictEqual(r.code, 2, `${command}: ${r.stdout}`);
      assert.match(r.stderr, /no Atlassian product configuration file in .*other/);
    }
  });
});

describe('the Verify all summary', () => {
  it('names the references it did not try, and why', () => {
    const ok = { store: 'aws', code: 'ok', message: 'Resolved.', region: 'eu-west-1', secretId: 'a', checkedAt: '' } as const;
    const { summary, withErrors } = verifySummary([ok, ok], 2, [
      { key: 'plugin.x.password', why: 'errors' },
      { key: 'plugin.y.password', why: 'templated' },
    ]);
    assert.strictEqual(
      summary,
      '2 of 2 secret(s) resolved; not tried: plugin.x.password (fix the problems first); templated: plugin.y.password (use "Verify with values…").',
    );
    assert.strictEqual(withErrors, 1);
  });
});

describe('editing one key of a reference (verify quick fixes)', () => {
  it('removes a key in a properties value and in XML text, written back in each format', () => {
    const props = analyzeFile(`${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"db","secretPointer":"/p"}\n`, { fileName: 'bitbucket.properties' });
    const edits = memberEdit(props.references[0], 'properties', 'secretPointer', undefined)!;
    let text = props.text;
    for (const e of [...edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    assert.match(text, /^jdbc\.password=\{ENC\}\{"region":"eu-west-1","secretId":"db"\}$/m);
    const xmlText =
      '<jira-database-config><jdbc-datasource><atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>' +
      '<password>{&quot;region&quot;:&quot;eu-west-1&quot;,&quot;secretId&quot;:&quot;db&quot;,&quot;secretPointer&quot;:&quot;/p&quot;}</password></jdbc-datasource></jira-database-config>';
    const xml = analyzeFile(xmlText, { fileName: 'dbconfig.xml' });
    let out = xmlText;
    for (const e of [...memberEdit(xml.references[0], 'xml', 'region', 'eu-central-1')!].sort((a, b) => b.start - a.start))
      out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    assert.strictEqual(awsOf(analyzeFile(out, { fileName: 'dbconfig.xml' }).references[0])?.region, 'eu-central-1');
  });

  it("a template's placeholder is a character its text does not hold; only a template's placeholder makes a value templated", () => {
    const every = '\u00A4\u00B6\u00A7\u00AC\u00B0\u00B1\u00D7\u00F7';
    assert.strictEqual(placeholderFor(every), PLACEHOLDER);
    assert.strictEqual(placeholderFor('a=\u00A4'), '\u00B6');
    // A plain file holding such a character (or U+E000) is no template: its password is a plaintext password.
    for (const c of ['\u00A4', PLACEHOLDER]) {
      const a = analyzeFile(`jdbc.password=secret${c}\n`, { fileName: 'bitbucket.properties' });
      assert.deepStrictEqual(
        a.findings.filter((f) => f.code.endsWith('password')).map((f) => f.code),
        ['plaintext-password'],
      );
    }
    // A template holding the first candidates gets another, and reads the same.
    const t = analyzeFile(`# \u00A4 \u00B6\njdbc.password={{ db_password }}\n`, { fileName: 'bitbucket.properties.j2' });
    assert.deepStrictEqual(
      t.findings.map((f) => f.code),
      ['templated-password'],
    );
  });
});
