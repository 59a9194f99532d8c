import * as assert from 'assert';
import { analyzeFile } from '../../src/core/analyzeFile';
import { Finding } from '../../src/core/diagnostics';

type P = 'jira' | 'confluence' | 'bamboo' | 'crowd';
const FILES: Record<P, string> = { jira: 'dbconfig.xml', confluence: 'confluence.cfg.xml', bamboo: 'bamboo.cfg.xml', crowd: 'crowd.cfg.xml' };

/** A realistic file of each product with the given class and password element text (already XML-escaped). */
function file(product: P, cls: string | undefined, password: string): string {
  if (product === 'jira') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<jira-database-config>
  <name>defaultDS</name>
  <delegator-name>default</delegator-name>
  <database-type>postgres72</database-type>
  <jdbc-datasource>
    <url>jdbc:postgresql://db:5432/jira</url>
    <driver-class>org.postgresql.Driver</driver-class>
    <username>jira</username>
${cls !== undefined ? `    <atlassian-password-cipher-provider>${cls}</atlassian-password-cipher-provider>\n` : ''}    <password>${password}</password>
  </jdbc-datasource>
</jira-database-config>
`;
  }
  const root = product === 'confluence' ? 'confluence-configuration' : 'application-configuration';
  return `<?xml version="1.0" encoding="UTF-8"?>
<${root}>
  <setupStep>complete</setupStep>
  <properties>
    <property name="hibernate.connection.url">jdbc:postgresql://db:5432/${product}</property>
    <property name="hibernate.connection.username">${product}</property>
${cls !== undefined ? `    <property name="jdbc.password.decrypter.classname">${cls}</property>\n` : ''}    <property name="hibernate.connection.password">${password}</property>
  </properties>
</${root}>
`;
}

const AWS = 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore';
const VAULT = 'com.atlassian.secrets.store.vault.VaultSecretStore';
const ALGO = 'com.atlassian.secrets.store.algorithm.AlgorithmSecretStore';
const AES_ONLY = 'com.atlassian.secrets.store.algorithm.AesOnlyAlgorithmSecretStore';
const B64 = 'com.atlassian.secrets.store.base64.Base64SecretStore';
const AWS_REF = '{"region":"ap-southeast-2","secretId":"db","secretPointer":"/password"}';
const VAULT_REF = '{"mount":"secret","path":"jira/db","key":"password","endpoint":"https://vault:8200"}';
const AES_REF = '{"keyFilePath":"/keys/k","sealedObjectFilePath":"/keys/s"}';

function run(product: P, cls: string | undefined, password: string): { codes: string[]; findings: readonly Finding[]; text: string } {
  const text = file(product, cls, password);
  const a = analyzeFile(text, { fileName: FILES[product] });
  assert.strictEqual(a.product, product);
  return { codes: a.findings.map((f) => f.code), findings: a.findings, text };
}

describe('Jira, Confluence, Bamboo and Crowd files', () => {
  const pairs: Array<[string, string | undefined, string, Partial<Record<P, string[]>>, string[]]> = [
    // [store, class, password, per-product exceptions, codes elsewhere]
    ['AWS', AWS, AWS_REF, { crowd: ['crowd-store-not-allowed'] }, []],
    ['AWS, broken', AWS, '{"region":"ap-sotheast-2","secretID":"db"}', { crowd: ['crowd-store-not-allowed', 'aws-region-unknown', 'aws-unknown-key'] }, ['aws-region-unknown', 'aws-unknown-key']],
    ['Vault', VAULT, VAULT_REF, { crowd: ['crowd-store-not-allowed'] }, []],
    ['Vault, lower-case auth', VAULT, VAULT_REF.replace('}', ',"authenticationType":"token"}'), { crowd: ['crowd-store-not-allowed', 'vault-auth-type-invalid'] }, ['vault-auth-type-invalid']],
    ['AES', ALGO, AES_REF, { crowd: ['crowd-store-not-allowed'] }, []],
    ['AES-only', AES_ONLY, AES_REF, {}, []],
    ['legacy AES-only cipher', 'com.atlassian.db.config.password.ciphers.algorithm.AesOnlyAlgorithmCipher', AES_REF, {}, []],
    ['Base64', B64, 'c2VjcmV0', { crowd: ['crowd-store-not-allowed', 'base64-obfuscation'] }, ['base64-obfuscation']],
    ['Base64, not Base64', B64, 'secret!', { crowd: ['crowd-store-not-allowed', 'cipher-value-mismatch'] }, ['cipher-value-mismatch']],
    ['plaintext', undefined, 'hunter2', {}, ['plaintext-password']],
    ['{ATL_SECURED}', undefined, '{ATL_SECURED}', {}, ['atl-secured']],
    ['{ATL_SECURED} with a cipher', AWS, '{ATL_SECURED}', { crowd: ['crowd-store-not-allowed', 'atl-secured-with-cipher'] }, ['atl-secured-with-cipher']],
  ];
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
    assert.deepStrictEqual(findings.map((f) => f.code), ['aws-unknown-key']);
    assert.strictEqual(text.slice(findings[0].start, findings[0].end), '&quot;secretID&quot;');
    const cdata = run('confluence', AWS, '<![CDATA[{"region":"eu-west-1","secretID":"a&b"}]]>');
    assert.strictEqual(cdata.text.slice(cdata.findings[0].start, cdata.findings[0].end), '"secretID"');
  });

  it('the quick fix writes XML-escaped text', () => {
    const { findings, text } = run('bamboo', AWS, '{"region":"eu-west-1","secretID":"a&amp;b"}');
    const fix = findings[0].fixes![0];
    const fixed = text.slice(0, fix.edits[0].start) + fix.edits[0].newText + text.slice(fix.edits[0].end);
    assert.deepStrictEqual(analyzeFile(fixed, { fileName: 'bamboo.cfg.xml' }).findings.map((f) => f.code), ['aws-secret-id-invalid']);
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
    assert.strictEqual(analyzeFile(jira, { fileName: 'db-config-copy.xml' }).product, 'jira');
    assert.strictEqual(analyzeFile(file('crowd', AWS, AWS_REF), { fileName: 'my-crowd.xml', associations: { 'my-crowd.xml': 'crowd' } }).product, 'crowd');
    assert.strictEqual(analyzeFile('<beans/>', { fileName: 'spring.xml' }).relevant, false);
  });

  it('exposes the AWS reference for verify, like Bitbucket', () => {
    const a = analyzeFile(file('confluence', AWS, AWS_REF), { fileName: 'confluence.cfg.xml' });
    assert.deepStrictEqual(a.references[0].aws, { region: 'ap-southeast-2', secretId: 'db', secretPointer: '/password' });
    assert.strictEqual(a.references[0].key, 'hibernate.connection.password');
  });
});
