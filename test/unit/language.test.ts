import * as assert from 'assert';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { completionsAt } from '../../src/core/language/completion';
import { hoverAt } from '../../src/core/language/hover';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';

function at(text: string, marker: string, delta = 0): number {
  const i = text.indexOf(marker);
  assert.ok(i >= 0, marker);
  return i + delta;
}

describe('hover', () => {
  const text = `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"x","secretPointer":"/p"}\n`;
  const analysis = analyzeProperties(text, { fileName: 'bitbucket.properties' });

  it('explains the class name', () => {
    const h = hoverAt(analysis, at(text, 'AwsSecrets'))!;
    assert.match(h.markdown, /AWS Secrets Manager/);
    assert.strictEqual(text.slice(h.span.start, h.span.end), 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore');
  });

  it('explains JSON keys with required/optional', () => {
    const h = hoverAt(analysis, at(text, '"secretPointer"', 3))!;
    assert.match(h.markdown, /\*\*secretPointer\*\* \(optional\)/);
    assert.strictEqual(text.slice(h.span.start, h.span.end), '"secretPointer"');
    assert.match(hoverAt(analysis, at(text, '"region"', 2))!.markdown, /\(required\)/);
  });

  it('names the region and its partition', () => {
    const h = hoverAt(analysis, at(text, 'ap-southeast-2', 3))!;
    assert.match(h.markdown, /Asia Pacific \(Sydney\)/);
    assert.match(h.markdown, /Partition `aws`/);
  });

  it('explains {ENC} and the property keys', () => {
    assert.match(hoverAt(analysis, at(text, '{ENC}', 1))!.markdown, /resolved at start-up/);
    assert.match(hoverAt(analysis, at(text, 'jdbc.password', 2))!.markdown, /Database password/);
  });

  it('returns nothing for a secretId value (no metadata without a verify)', () => {
    assert.strictEqual(hoverAt(analysis, at(text, '"x"', 1)), undefined);
  });
});

describe('completion', () => {
  it('offers the missing AWS keys at a key position', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"eu-west-1",}\n`;
    const items = completionsAt(analyzeProperties(text), text, at(text, ',}', 1));
    assert.deepStrictEqual(
      items.map((i) => i.label),
      ['secretId', 'secretPointer', 'endpointOverride'],
    );
  });

  it('offers regions with names inside the region value and replaces the whole string', () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"ap-s","secretId":"x"}\n`;
    const items = completionsAt(analyzeProperties(text), text, at(text, '"ap-s"', 5));
    const sydney = items.find((i) => i.label === 'ap-southeast-2')!;
    assert.strictEqual(sydney.detail, 'Asia Pacific (Sydney)');
    assert.strictEqual(text.slice(sydney.start, sydney.end), '"ap-s"');
    assert.strictEqual(sydney.insertText, '"ap-southeast-2"');
  });

  it('offers class names after the class property', () => {
    const text = 'encrypted-property.cipher.classname=com.\njdbc.password={ENC}{}\n';
    const items = completionsAt(analyzeProperties(text), text, at(text, 'com.', 4));
    assert.ok(items.some((i) => i.label === 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore'));
  });

  it('offers the {ENC} snippet with tab stops for an empty password value', () => {
    const text = `${AWS}jdbc.password=\n`;
    const items = completionsAt(analyzeProperties(text, { fileName: 'bitbucket.properties' }), text, at(text, 'jdbc.password=', 14));
    assert.strictEqual(items.length, 1);
    assert.ok(items[0].snippet);
    assert.match(items[0].insertText, /^\{ENC\}\{"region":"\$\{1:/);
  });
});

describe('completion stays out of unrelated files', () => {
  it('offers nothing in a .properties file that is not Bitbucket’s and does not use secrets', () => {
    const text = 'server.port=8080\n\n';
    assert.deepStrictEqual(completionsAt(analyzeProperties(text, { fileName: 'application.properties' }), text, text.length), []);
  });

  it('offers the Bitbucket lines only in bitbucket.properties', () => {
    const text = 'server.port=7990\n\n';
    const items = completionsAt(analyzeProperties(text, { fileName: 'bitbucket.properties' }), text, text.length);
    assert.deepStrictEqual(
      items.map((i) => i.label),
      ['encrypted-property.cipher.classname', 'jdbc.password={ENC}…'],
    );
  });
});
