import * as assert from 'assert';
import { analyzeFile } from '../../src/core/analyzeFile';
import { awsOf } from '../../src/core/rules/analysis';
import { planXmlAwsSecret } from '../../src/core/edits/xmlAwsSecretPlan';
import { PRODUCTS } from '../../src/core/model/products';

const TARGET = { region: 'ap-southeast-2', secretId: 'jira/db&co', secretPointer: '/password' };
const JIRA = `<?xml version="1.0" encoding="UTF-8"?>
<jira-database-config>
  <name>defaultDS</name>
  <jdbc-datasource>
    <url>jdbc:postgresql://db:5432/jira</url>
    <username>jira</username>
    <password>hunter2</password>
    <pool-min-size>20</pool-min-size>
  </jdbc-datasource>
</jira-database-config>
`;
const CONF = `<?xml version="1.0" encoding="UTF-8"?>\r
<confluence-configuration>\r
  <properties>\r
    <property name="hibernate.connection.url">jdbc:postgresql://db/confluence</property>\r
  </properties>\r
</confluence-configuration>\r
`;

function applied(text: string, product: 'jira' | 'confluence' | 'bamboo' | 'crowd'): string {
  const plan = planXmlAwsSecret(text, TARGET, PRODUCTS[product]);
  assert.strictEqual(plan.kind, 'edits');
  return plan.kind === 'edits' ? plan.newText : '';
}

describe('the XML edit planner', () => {
  it('Jira: inserts the cipher provider before <password>, replaces the password, keeps the rest; idempotent', () => {
    const out = applied(JIRA, 'jira');
    assert.strictEqual(
      out,
      JIRA.replace(
        '    <password>hunter2</password>',
        '    <atlassian-password-cipher-provider>com.atlassian.secrets.store.aws.AwsSecretsManagerStore</atlassian-password-cipher-provider>\n' +
          '    <password>{"region":"ap-southeast-2","secretId":"jira/db&amp;co","secretPointer":"/password"}</password>',
      ),
    );
    const a = analyzeFile(out, { fileName: 'dbconfig.xml' });
    assert.deepStrictEqual(awsOf(a.references[0]), TARGET, 'the product reads back exactly the target (entities decoded)');
    assert.deepStrictEqual(
      a.findings.map((f) => f.code),
      ['aws-secret-id-invalid'],
      '& is not allowed in secret names, and the validator says so',
    );
    const again = planXmlAwsSecret(out, TARGET, PRODUCTS.jira);
    assert.ok(again.kind === 'edits' && !again.changed);
  });

  it('Confluence (CRLF): adds both properties inside <properties>, indented like their siblings', () => {
    const out = applied(CONF, 'confluence');
    assert.strictEqual(
      out,
      CONF.replace(
        '  </properties>',
        '    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.aws.AwsSecretsManagerStore</property>\r\n' +
          '    <property name="hibernate.connection.password">{"region":"ap-southeast-2","secretId":"jira/db&amp;co","secretPointer":"/password"}</property>\r\n' +
          '  </properties>',
      ),
    );
    const again = planXmlAwsSecret(out, TARGET, PRODUCTS.confluence);
    assert.ok(again.kind === 'edits' && !again.changed);
  });

  it('replaces another class and reports it; refuses XML that is not well-formed', () => {
    const withClass = CONF.replace(
      '  </properties>',
      '    <property name="jdbc.password.decrypter.classname">com.atlassian.secrets.store.base64.Base64SecretStore</property>\r\n    <property name="hibernate.connection.password">c2VjcmV0</property>\r\n  </properties>',
    );
    const plan = planXmlAwsSecret(withClass, TARGET, PRODUCTS.bamboo);
    assert.ok(plan.kind === 'edits' && plan.replacedClass === 'com.atlassian.secrets.store.base64.Base64SecretStore');
    assert.strictEqual(planXmlAwsSecret('<a><b></a>', TARGET, PRODUCTS.jira).kind, 'error');
  });
});
