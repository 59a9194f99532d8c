/** Realistic Jira, Confluence, Bamboo and Crowd files for every store, shared by the unit and CLI tests. */
export type P = 'jira' | 'confluence' | 'bamboo' | 'crowd';
export const FILES: Record<P, string> = { jira: 'dbconfig.xml', confluence: 'confluence.cfg.xml', bamboo: 'bamboo.cfg.xml', crowd: 'crowd.cfg.xml' };

/** A realistic file of each product with the given class and password element text (already XML-escaped). */
export function file(product: P, cls: string | undefined, password: string): string {
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

export const AWS = 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore';
export const VAULT = 'com.atlassian.secrets.store.vault.VaultSecretStore';
export const ALGO = 'com.atlassian.secrets.store.algorithm.AlgorithmSecretStore';
export const AES_ONLY = 'com.atlassian.secrets.store.algorithm.AesOnlyAlgorithmSecretStore';
export const B64 = 'com.atlassian.secrets.store.base64.Base64SecretStore';
export const AWS_REF = '{"region":"ap-southeast-2","secretId":"db","secretPointer":"/password"}';
export const VAULT_REF = '{"mount":"secret","path":"jira/db","key":"password","endpoint":"https://vault:8200"}';
export const AES_REF = '{"keyFilePath":"/keys/k","sealedObjectFilePath":"/keys/s"}';

/** [store, class, password, per-product exceptions, codes elsewhere] */
export const PAIRS: Array<[string, string | undefined, string, Partial<Record<P, string[]>>, string[]]> = [
  // [store, class, password, per-product exceptions, codes elsewhere]
  ['AWS', AWS, AWS_REF, { crowd: ['crowd-store-not-allowed'] }, []],
  [
    'AWS, broken',
    AWS,
    '{"region":"ap-sotheast-2","secretID":"db"}',
    { crowd: ['crowd-store-not-allowed', 'aws-region-unknown', 'aws-unknown-key'] },
    ['aws-region-unknown', 'aws-unknown-key'],
  ],
  ['Vault', VAULT, VAULT_REF, { crowd: ['crowd-store-not-allowed'] }, []],
  [
    'Vault, lower-case auth',
    VAULT,
    VAULT_REF.replace('}', ',"authenticationType":"token"}'),
    { crowd: ['crowd-store-not-allowed', 'vault-auth-type-invalid'] },
    ['vault-auth-type-invalid'],
  ],
  ['AES', ALGO, AES_REF, { crowd: ['crowd-store-not-allowed'] }, []],
  ['AES-only', AES_ONLY, AES_REF, {}, []],
  ['legacy AES-only cipher', 'com.atlassian.db.config.password.ciphers.algorithm.AesOnlyAlgorithmCipher', AES_REF, {}, []],
  ['Base64', B64, 'c2VjcmV0', { crowd: ['crowd-store-not-allowed', 'base64-obfuscation'] }, ['base64-obfuscation']],
  ['Base64, not Base64', B64, 'secret!', { crowd: ['crowd-store-not-allowed', 'cipher-value-mismatch'] }, ['cipher-value-mismatch']],
  ['plaintext', undefined, 'hunter2', {}, ['plaintext-password']],
  ['{ATL_SECURED}', undefined, '{ATL_SECURED}', {}, ['atl-secured']],
  ['{ATL_SECURED} with a cipher', AWS, '{ATL_SECURED}', { crowd: ['crowd-store-not-allowed', 'atl-secured-with-cipher'] }, ['atl-secured-with-cipher']],
];
