/** Where Spring Boot's properties loader and java.util.Properties disagree (product-loading.md §2.3 B, §2.5). */
import * as assert from 'assert';
import { analyzeProperties } from '../../src/core/properties/analyze';

const HEAD =
  'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\njdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n';
const spring = (tail: string) =>
  analyzeProperties(HEAD + tail, { fileName: 'bitbucket.properties' })
    .findings.filter((f) => f.code.startsWith('spring-'))
    .map((f) => ({ code: f.code, severity: f.severity, at: (HEAD + tail).slice(f.start, f.end) }));

describe("Spring Boot's loader versus java.util.Properties", () => {
  it('B1 keys ending in [] are lists to Spring', () => {
    assert.deepStrictEqual(spring('hosts[]=a,b\n'), [{ code: 'spring-list-key', severity: 'warning', at: 'hosts[]' }]);
  });

  it('B2 an empty key is dropped by Spring', () => {
    assert.deepStrictEqual(
      spring('=value\n').map((f) => f.code),
      ['spring-empty-key'],
    );
  });

  it('B3 escaped whitespace at the ends of a key is trimmed by Spring', () => {
    assert.deepStrictEqual(
      spring('\\ key=v\nkey\\ =v\n\\tk=1\n').map((f) => f.code),
      ['spring-key-whitespace', 'spring-key-whitespace', 'spring-key-whitespace'],
    );
    assert.deepStrictEqual(spring('a\\ b=v\n'), []);
  });

  it('B4 a line starting with \\# or \\! is a comment to Spring, a key to the JDK', () => {
    assert.deepStrictEqual(
      spring('\\#k=v\n\\!k=v\n\\u0023x=1\n').map((f) => f.code),
      ['spring-escaped-comment', 'spring-escaped-comment', 'spring-escaped-comment'],
    );
  });

  it('B5 an escape in the first characters of the first comment line of a block', () => {
    assert.deepStrictEqual(
      spring('#\\users\n').map((f) => f.code),
      ['spring-comment-escape'],
    );
    assert.deepStrictEqual(
      spring('# \\users\n').map((f) => f.code),
      ['spring-comment-escape'],
    );
    assert.deepStrictEqual(
      spring('#---\\uZZ\n').map((f) => f.code),
      ['spring-comment-escape'],
    );
    assert.match(
      analyzeProperties(`${HEAD}#\\\nk=v\n`, { fileName: 'bitbucket.properties' }).findings.find((f) => f.code === 'spring-comment-escape')!.message,
      /joins the next line into the comment/,
    );
    // Fine in both: the escape beyond the first characters, a second comment line, an escape that is not \u.
    assert.deepStrictEqual(spring('# C:\\users\n# first\n#\\users\n#\\t tab\n'), []);
  });

  it('B6 a #--- or !--- line at column 0 splits the file for Spring (not when a comment follows, nor after one)', () => {
    assert.deepStrictEqual(
      spring('#---\nk=v\n').map((f) => f.code),
      ['spring-document-separator'],
    );
    assert.deepStrictEqual(
      spring('!---  \nk=v\n').map((f) => f.code),
      ['spring-document-separator'],
    );
    assert.deepStrictEqual(spring('#---\n# comment\nk=v\n'), []);
    assert.deepStrictEqual(spring('# comment\n#---\nk=v\n'), []);
    assert.deepStrictEqual(spring(' #---\nk=v\n#----\nk=v\n'), []);
  });

  it('B7 a \\u escape split by a continuation', () => {
    assert.deepStrictEqual(spring('k=\\u00\\\n41\n'), [{ code: 'spring-unicode-split', severity: 'warning', at: '\\u' }]);
    assert.deepStrictEqual(spring('k=\\\\u00\\\n41\n'), []);
  });

  it('${ in a plaintext password or a store value is a placeholder to Spring', () => {
    const text = 'jdbc.password=pa${ss}word\n';
    const a = analyzeProperties(text, { fileName: 'bitbucket.properties' });
    const f = a.findings.find((x) => x.code === 'spring-placeholder')!;
    assert.strictEqual(text.slice(f.start, f.end), '${');
    assert.match(f.message, /Spring resolves \$\{…\} placeholders/);
    assert.deepStrictEqual(
      spring('plugin.x.password={ENC}{"region":"eu-west-1","secretId":"${ID}"}\n').map((x) => x.code),
      ['spring-placeholder'],
    );
    assert.deepStrictEqual(spring('server.context-path=${base}\n'), []);
  });
});
