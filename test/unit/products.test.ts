import * as assert from 'assert';
import { analyzeFile } from '../../src/core/analyzeFile';
import { awsOf } from '../../src/core/rules/analysis';
import { Finding } from '../../src/core/diagnostics';

import { AWS, AWS_REF, FILES, file, P, PAIRS } from '../support/productFixtures';

function run(product: P, cls: string | undefined, password: string): { codes: string[]; findings: readonly Finding[]; text: string } {
  const text = file(product, cls, password);
  const a = analyzeFile(text, { fileName: FILES[product] });
  assert.strictEqual(a.kind.profile.product, product);
  return { codes: a.findings.map((f) => f.code), findings: a.findings, text };
}

describe('Jira, Confluence, Bamboo and Crowd files', () => {
  const pairs = PAIRS;
  for (const [name, cls, password, exceptions, expected] of pairs) {
    for (const product of ['jira', 'confluence', 'bamboo', 'crowd'] as P[]) {
      it(`${product} × ${name}`, () => {
        assert.deepStrictEqual(run(product, cls, password).codes.sort(), (exceptions[product] ?? expected).slice().sort());
      });
    }
  }

  it('decodes entities and CDATA before validating, and maps ranges back exactly', () => {
    const escaped = '{&quot;region&quot;:&quot;eu-west-1&quot;,&quot;secretID&quot;:&quot;db&quot;}';
    const { findings, text } = run('jira', AWS, escaped);
    assert.deepStrictEqual(
      findings.map((f) => f.code),
      ['aws-unknown-key'],
    );
    assert.strictEqual(text.slice(findings[0].start, findings[0].end), '&quot;secretID&quot;');
    const cdata = run('confluence', AWS, '<![CDATA[{"region":"eu-west-1","secretID":"a&b"}]]>');
    assert.strictEqual(cdata.text.slice(cdata.findings[0].start, cdata.findings[0].end), '"secretID"');
  });

  it('the quick fix writes XML-escaped text', () => {
    const { findings, text } = run('bamboo', AWS, '{"region":"eu-west-1","secretID":"a&amp;b"}');
    const fix = findings[0].fixes![0];
    const fixed = text.slice(0, fix.edits[0].start) + fix.edits[0].newText + text.slice(fix.edits[0].end);
    assert.deepStrictEqual(
      analyzeFile(fixed, { fileName: 'bamboo.cfg.xml' }).findings.map((f) => f.code),
      ['aws-secret-id-invalid'],
    );
  });

  it('reports XML that is not well-formed, with its position', () => {
    const text = file('jira', AWS, AWS_REF).replace('</username>', '</usernam>');
    const a = analyzeFile(text, { fileName: 'dbconfig.xml' });
    const f = a.findings.find((x) => x.code === 'xml-not-well-formed');
    assert.ok(f);
    assert.strictEqual(f.severity, 'error');
    assert.ok(text.slice(f.start - 12, f.end).includes('</usernam>'.slice(0, 8)));
  });

  it('detects the product from the root element and from the associations setting', () => {
    const jira = file('jira', AWS, AWS_REF);
    assert.strictEqual(analyzeFile(jira, { fileName: 'db-config-copy.xml' }).kind.profile.product, 'jira');
    assert.strictEqual(
      analyzeFile(file('crowd', AWS, AWS_REF), { fileName: 'my-crowd.xml', associations: { 'my-crowd.xml': 'crowd' } }).kind.profile.product,
      'crowd',
    );
    assert.strictEqual(analyzeFile('<beans/>', { fileName: 'spring.xml' }).relevant, false);
  });

  it('exposes the AWS reference for verify, like Bitbucket', () => {
    const a = analyzeFile(file('confluence', AWS, AWS_REF), { fileName: 'confluence.cfg.xml' });
    assert.deepStrictEqual(awsOf(a.references[0]), { region: 'ap-southeast-2', secretId: 'db', secretPointer: '/password' });
    assert.strictEqual(a.references[0].key, 'hibernate.connection.password');
  });
});
