import * as assert from 'assert';
import { analyzeProperties } from '../../src/core/properties/analyze';

const VAULT = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.vault.VaultSecretStore\n';
const AES = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.algorithm.AlgorithmSecretStore\n';
const GOOD_VAULT = '{"mount":"secret","path":"bitbucket/db","key":"password","endpoint":"https://vault.example.com:8200"}';

function codes(text: string, fileExists?: (p: string) => boolean): string[] {
  return analyzeProperties(text, { fileName: 'bitbucket.properties', fileExists }).findings.map((f) => f.code);
}

function fixed(text: string, code: string): string {
  const f = analyzeProperties(text, { fileName: 'bitbucket.properties' }).findings.find((x) => x.code === code)!;
  const fix = f.fixes!.find((x) => x.isPreferred) ?? f.fixes![0];
  let out = text;
  for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

describe('HashiCorp Vault references', () => {
  it('accepts the four required keys and an exact authenticationType', () => {
    assert.deepStrictEqual(codes(`${VAULT}jdbc.password={ENC}${GOOD_VAULT}\n`), []);
    assert.deepStrictEqual(codes(`${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('}', ',"authenticationType":"KUBERNETES"}')}\n`), []);
    const ref = analyzeProperties(`${VAULT}jdbc.password={ENC}${GOOD_VAULT}\n`).references[0];
    assert.deepStrictEqual(ref.store === 'vault' && ref.vault, {
      mount: 'secret',
      path: 'bitbucket/db',
      key: 'password',
      endpoint: 'https://vault.example.com:8200',
    });
  });

  it('vault-missing-key, vault-unknown-key with the nearest key, vault-value-type', () => {
    assert.deepStrictEqual(codes(`${VAULT}jdbc.password={ENC}{"mount":"secret","path":"p","key":"k"}\n`), ['vault-missing-key']);
    const typo = `${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('"endpoint"', '"endPoint"')}\n`;
    assert.deepStrictEqual(codes(typo), ['vault-unknown-key']);
    assert.deepStrictEqual(codes(fixed(typo, 'vault-unknown-key')), []);
    assert.deepStrictEqual(codes(`${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('"password"', '42')}\n`), ['vault-value-type']);
  });

  it('vault-auth-type-invalid: lower case is an error with an upper-case fix', () => {
    const text = `${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('}', ',"authenticationType":"kubernetes"}')}\n`;
    assert.deepStrictEqual(codes(text), ['vault-auth-type-invalid']);
    assert.deepStrictEqual(codes(fixed(text, 'vault-auth-type-invalid')), []);
  });

  it('vault-mount-data and vault-path-data are warnings with fixes; vault-endpoint-invalid is an error', () => {
    const mount = `${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('"secret"', '"secret/data"')}\n`;
    assert.deepStrictEqual(codes(mount), ['vault-mount-data']);
    assert.deepStrictEqual(codes(fixed(mount, 'vault-mount-data')), []);
    const path = `${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('"bitbucket/db"', '"data/bitbucket/db"')}\n`;
    assert.deepStrictEqual(codes(path), ['vault-path-data']);
    assert.deepStrictEqual(codes(fixed(path, 'vault-path-data')), []);
    assert.deepStrictEqual(codes(`${VAULT}jdbc.password={ENC}${GOOD_VAULT.replace('https://vault.example.com:8200', 'vault:8200')}\n`), [
      'vault-endpoint-invalid',
    ]);
  });

  it('infers the Vault class for the missing-class fix', () => {
    const text = `jdbc.password={ENC}${GOOD_VAULT}\n`;
    assert.match(fixed(text, 'enc-without-cipher'), /^encrypted-property\.cipher\.classname=com\.atlassian\.secrets\.store\.vault\.VaultSecretStore\n/);
  });
});

describe('algorithm (AES) references', () => {
  const good = '{"keyFilePath":"/var/keys/javax.crypto.spec.SecretKeySpec_1","sealedObjectFilePath":"/var/keys/javax.crypto.SealedObject_1"}';

  it('accepts the decryption JSON; legacy cipher names are recognised', () => {
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}${good}\n`), []);
    const legacy = 'jdbc.password.decrypter.classname=com.atlassian.db.config.password.ciphers.algorithm.AlgorithmCipher\n';
    assert.deepStrictEqual(codes(`${legacy}jdbc.password=${good}\n`), []);
  });

  it('missing key file or sealed object is a warning (an environment variable may supply it)', () => {
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"keyFilePath":"/k"}\n`), ['aes-missing-sealed-object']);
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"serializedSealedObject":"rO0ABXNy"}\n`), ['aes-missing-key-file']);
  });

  it('Gson type errors: a document that is not an object is enc-not-object, an object or array in a known key aes-value-type', () => {
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}[1]\n`), ['enc-not-object']);
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"keyFilePath":{}}\n`), ['aes-value-type']);
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"keyFilePath":[1]}\n`), ['aes-value-type']);
  });

  it('unknown keys are warnings (Gson ignores them) with the nearest key', () => {
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"keyFilepath":"/k","sealedObjectFilePath":"/s"}\n`).sort(), [
      'aes-missing-key-file',
      'aes-unknown-key',
    ]);
  });

  it('serializedSealedObject must be Base64; local files must exist when the checker can see them', () => {
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}{"keyFilePath":"/k","serializedSealedObject":"not base64!"}\n`), ['aes-serialized-not-base64']);
    const exists = (p: string) => p === '/var/keys/javax.crypto.spec.SecretKeySpec_1';
    assert.deepStrictEqual(codes(`${AES}jdbc.password={ENC}${good}\n`, exists), ['aes-file-missing']);
  });
});
