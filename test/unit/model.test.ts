/** The one place that decides what a file is, and the one rule for which references can be verified. */
import * as assert from 'assert';
import { analyzeFile } from '../../src/core/analyzeFile';
import { chosenFileKind, isOwnFile, resolveFileKind } from '../../src/core/model/fileKind';
import { PRODUCT_FILE_NAMES, PRODUCTS, PROFILES, storeAccepted } from '../../src/core/model/products';
import { verifiableReferences, verifyTargetOf } from '../../src/core/verify/targets';

const kindOf = (fileName: string, extra: Partial<Parameters<typeof resolveFileKind>[0]> = {}) => {
  const kind = resolveFileKind({ fileName, ...extra });
  return kind && `${kind.profile.product}/${kind.format}/${kind.source}${kind.former ? '/former' : ''}`;
};

describe('resolveFileKind: what a file is, decided once', () => {
  it('by the product’s own file name, case-insensitively', () => {
    assert.strictEqual(kindOf('bitbucket.properties'), 'bitbucket/properties/name');
    assert.strictEqual(kindOf('dbconfig.xml'), 'jira/xml/name');
    assert.strictEqual(kindOf('confluence.cfg.xml'), 'confluence/xml/name');
    assert.strictEqual(kindOf('Bamboo.cfg.XML'), 'bamboo/xml/name');
    assert.strictEqual(kindOf('crowd.cfg.xml'), 'crowd/xml/name');
    assert.strictEqual(kindOf('stash-config.properties'), 'bitbucket/properties/name/former');
  });

  it('by the associations setting first, over the name and the content', () => {
    const associations = { 'bamboo-prod.xml': 'bamboo', 'dbconfig.xml': 'confluence', 'bb.conf': 'bitbucket' };
    assert.strictEqual(kindOf('bamboo-prod.xml', { associations }), 'bamboo/xml/association');
    assert.strictEqual(kindOf('dbconfig.xml', { associations }), 'confluence/xml/association');
    assert.strictEqual(kindOf('bb.conf', { associations }), 'bitbucket/properties/association');
    assert.strictEqual(kindOf('other.xml', { associations: { 'other.xml': 'nonsense' } }), undefined, 'an unknown product maps nothing');
  });

  it('an XML file by its root element (past the declaration and comments); other XML is nobody’s', () => {
    const jira = '<?xml version="1.0"?>\n<!-- <confluence-configuration> -->\n<jira-database-config>';
    assert.strictEqual(kindOf('db-copy.xml', { head: jira }), 'jira/xml/content');
    assert.strictEqual(kindOf('x.xml', { head: '<confluence-configuration>' }), 'confluence/xml/content');
    assert.strictEqual(kindOf('pom.xml', { head: '<project>' }), undefined);
    assert.strictEqual(kindOf('untitled', { languageId: 'xml', head: '<jira-database-config/>' }), 'jira/xml/content');
  });

  it('any other properties file (by extension or language id) is Bitbucket’s format only', () => {
    assert.strictEqual(kindOf('application.properties'), 'bitbucket/properties/format');
    assert.strictEqual(kindOf('Untitled-1', { languageId: 'java-properties' }), 'bitbucket/properties/format');
    assert.strictEqual(kindOf('notes.txt', { languageId: 'plaintext' }), undefined);
  });

  it('a file the user picked is the product’s own: Bitbucket-only rules then apply', () => {
    const chosen = chosenFileKind({ fileName: 'application.properties' })!;
    assert.strictEqual(chosen.source, 'chosen');
    assert.ok(isOwnFile(chosen));
    assert.ok(!isOwnFile(resolveFileKind({ fileName: 'application.properties' })!));
    assert.strictEqual(chosenFileKind({ fileName: 'pom.xml', head: '<project>' }), undefined, 'an XML file must still be recognisable');
    const text = 'jdbc.password=hunter2\n';
    assert.deepStrictEqual(
      analyzeFile(text, { kind: chosen }).findings.map((f) => f.code),
      ['plaintext-password'],
    );
    assert.strictEqual(analyzeFile(text, { fileName: 'application.properties' }).relevant, false);
  });

  it('the profiles: file names, settings and accepted stores come from one table', () => {
    assert.deepStrictEqual([...PRODUCT_FILE_NAMES].sort(), ['bamboo.cfg.xml', 'bitbucket.properties', 'confluence.cfg.xml', 'crowd.cfg.xml', 'dbconfig.xml']);
    for (const profile of PROFILES) assert.ok(profile.cipherSettings.length > 0 && profile.passwordSetting !== '', profile.product);
    assert.ok(!storeAccepted(PRODUCTS.crowd, 'aws') && storeAccepted(PRODUCTS.crowd, 'aes-only'));
    assert.ok(storeAccepted(PRODUCTS.jira, 'aws'));
  });
});

describe('verifiableReferences: which references a verify can resolve (editor and CLI)', () => {
  const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
  const VAULT = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\n';

  it('valid AWS references with a region and a secret id, as AWS targets', () => {
    const a = analyzeFile(
      `${AWS}jdbc.password={ENC}{"region":"eu-west-1","secretId":"db","secretPointer":"/password","endpointOverride":"https://vpce.example"}\n` +
        'plugin.x.password={ENC}{"region":"eu-west-1"}\n',
      { fileName: 'bitbucket.properties' },
    );
    assert.deepStrictEqual(
      verifiableReferences(a).map((v) => v.target),
      [{ store: 'aws', region: 'eu-west-1', secretId: 'db', secretPointer: '/password', endpointOverride: 'https://vpce.example' }],
    );
  });

  it('Vault references with mount, path, key and endpoint, as Vault targets; other stores never', () => {
    const vault = analyzeFile(`${VAULT}jdbc.password={ENC}{"mount":"secret","path":"bb/db","key":"password","endpoint":"https://vault:8200"}\n`, {
      fileName: 'bitbucket.properties',
    });
    assert.deepStrictEqual(verifiableReferences(vault)[0].target, {
      store: 'vault',
      endpoint: 'https://vault:8200',
      mount: 'secret',
      path: 'bb/db',
      key: 'password',
    });
    const base64 = analyzeFile('encrypted-property.cipher.classname=com.atlassian.secrets.store.base64.Base64SecretStore\njdbc.password={ENC}aHVudGVyMg==\n', {
      fileName: 'bitbucket.properties',
    });
    assert.strictEqual(base64.references.length, 1);
    assert.strictEqual(verifyTargetOf(base64.references[0]), undefined);
  });
});
