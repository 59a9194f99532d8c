import * as assert from 'assert';
import * as fc from 'fast-check';
import { escapeControls, escapeJsonControls, trimSlashes, withoutUserinfo } from '../../src/core/text/terminal';

describe('terminal safety', () => {
  it('escapes C0, DEL, C1 and bidi controls, and nothing else', () => {
    assert.strictEqual(escapeControls('a\u001b[2Jb\u0007c\u007fd\u009be\u202ef\u2066g\nh\ti'), 'a\\x1b[2Jb\\x07c\\x7fd\\x9be\\u202ef\\u2066g\\x0ah\\x09i');
    assert.strictEqual(escapeControls('jdbc.password={ENC}{"region":"eu-west-1"} · é ✓'), 'jdbc.password={ENC}{"region":"eu-west-1"} · é ✓');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        // eslint-disable-next-line no-control-regex -- the property is about control characters
        assert.doesNotMatch(escapeControls(s), /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON escaping keeps the same value for a JSON reader', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const json = escapeJsonControls(JSON.stringify({ s }, null, 2));
        assert.strictEqual((JSON.parse(json) as { s: string }).s, s);
        assert.doesNotMatch(json, /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 500 },
    );
  });

  it('drops user:password@ from URLs and leaves other text alone', () => {
    assert.strictEqual(withoutUserinfo('https://admin:S3cret@vault.example.com:8200/v1'), 'https://vault.example.com:8200/v1');
    assert.strictEqual(withoutUserinfo('http://token@127.0.0.1:1'), 'http://127.0.0.1:1');
    assert.strictEqual(withoutUserinfo('https://vault.example.com/a@b'), 'https://vault.example.com/a@b');
    assert.strictEqual(withoutUserinfo('user@host'), 'user@host');
  });

  it('trims slashes at either end', () => {
    assert.strictEqual(trimSlashes('//a/b//'), 'a/b');
    assert.strictEqual(trimSlashes('//a/b//', 'start'), 'a/b//');
    assert.strictEqual(trimSlashes('//a/b//', 'end'), '//a/b');
    assert.strictEqual(trimSlashes('////'), '');
  });
});
