/** The products read properties files as ISO-8859-1 and XML as declared: what a UTF-8 editor must warn about. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeFile } from '../../src/core/analyzeFile';
import { applyEdits } from '../../src/core/edits/applyEdits';
import { Finding } from '../../src/core/diagnostics';
import { readProperties } from '../../src/core/properties/reader';
import { main } from '../../src/cli/main';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const REF = 'jdbc.password={ENC}{"region":"eu-west-1","secretId":"db"}\n';
const codes = (findings: readonly Finding[]) => findings.map((f) => `${f.code}:${f.severity}`);

describe('encoding: what the product reads', () => {
  it('a non-ASCII character in a key or value saved as UTF-8: a warning saying what the product reads, with a \\uXXXX fix', () => {
    const text = `${AWS}${REF}jdbc.user=josé\n# café in a comment is never read\n`;
    const a = analyzeFile(text, { fileName: 'bitbucket.properties' });
    assert.deepStrictEqual(codes(a.findings), ['properties-non-ascii:warning']);
    const f = a.findings[0];
    assert.strictEqual(text.slice(f.start, f.end), 'é');
    assert.match(f.message, /"é", saved as UTF-8, reaches it as "Ã©"/);
    const fixed = applyEdits(text, f.fixes![0].edits);
    assert.match(fixed, /jdbc\.user=jos\\u00E9\n/);
    assert.strictEqual(readProperties(fixed).entries.find((e) => e.key === 'jdbc.user')!.value, 'josé');
    assert.deepStrictEqual(codes(analyzeFile(fixed, { fileName: 'bitbucket.properties' }).findings), []);
    // Read as ISO-8859-1 (the editor set to it, or the CLI on a file that is not UTF-8), the product sees the same.
    assert.deepStrictEqual(codes(analyzeFile(text, { fileName: 'bitbucket.properties', encoding: 'iso-8859-1' }).findings), []);
  });

  it('a byte-order mark: an error when it breaks the first key the product needs, a warning otherwise; removable', () => {
    const broken = `\ufeff${AWS}${REF}`;
    const a = analyzeFile(broken, { fileName: 'bitbucket.properties' });
    const bom = a.findings.find((f) => f.code === 'properties-bom')!;
    assert.strictEqual(bom.severity, 'error');
    assert.match(bom.message, /the key is then "ï»¿encrypted-property\.cipher\.classname"/);
    assert.strictEqual(applyEdits(broken, bom.fixes![0].edits), `${AWS}${REF}`);
    const harmless = analyzeFile(`\ufeff# Bitbucket\n${AWS}${REF}`, { fileName: 'bitbucket.properties' });
    assert.deepStrictEqual(codes(harmless.findings), ['properties-bom:warning']);
    // The editor hides the mark from the text and says it is there: no fix edit then, the message says how to save.
    const editor = analyzeFile(`${AWS}${REF}`, { fileName: 'bitbucket.properties', bom: true });
    const hidden = editor.findings.find((f) => f.code === 'properties-bom')!;
    assert.strictEqual(hidden.severity, 'error');
    assert.strictEqual(hidden.fixes, undefined);
    assert.match(hidden.message, /Save the file as UTF-8 without BOM/);
  });

  it('XML follows its declaration: ISO-8859-1 declared but saved as UTF-8 warns; UTF-8 declared but bytes ISO-8859-1 fails', () => {
    const declaredLatin =
      '<?xml version="1.0" encoding="ISO-8859-1"?>\n<jira-database-config><jdbc-datasource><username>josé</username><password>x</password></jdbc-datasource></jira-database-config>\n';
    const warn = analyzeFile(declaredLatin, { fileName: 'dbconfig.xml' }).findings.find((f) => f.code === 'xml-encoding-mismatch')!;
    assert.strictEqual(warn.severity, 'warning');
    assert.match(warn.message, /reaches the product as "Ã©"/);
    assert.strictEqual(applyEdits(declaredLatin, warn.fixes![0].edits).includes('jos&#xE9;'), true);
    const utf8 = declaredLatin.replace('ISO-8859-1', 'UTF-8');
    assert.strictEqual(
      analyzeFile(utf8, { fileName: 'dbconfig.xml' }).findings.some((f) => f.code === 'xml-encoding-mismatch'),
      false,
    );
    const fail = analyzeFile(utf8, { fileName: 'dbconfig.xml', encoding: 'iso-8859-1' }).findings.find((f) => f.code === 'xml-encoding-mismatch')!;
    assert.strictEqual(fail.severity, 'error');
  });

  it('the CLI decodes as the bytes allow and agrees: UTF-8 é warns, ISO-8859-1 é does not, a BOM before the class fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-enc-'));
    try {
      const run = async (bytes: Buffer) => {
        const file = path.join(dir, 'bitbucket.properties');
        fs.writeFileSync(file, bytes);
        let out = '';
        const code = await main(['check', file], { stdout: (t) => (out += t), stderr: () => undefined });
        return { code, out };
      };
      const utf8 = await run(Buffer.from(`${AWS}${REF}jdbc.user=josé\n`, 'utf8'));
      assert.strictEqual(utf8.code, 0);
      assert.match(utf8.out, /warning \[properties-non-ascii\].*reaches it as "Ã©"/);
      const latin = await run(Buffer.from(`${AWS}${REF}jdbc.user=josé\n`, 'latin1'));
      assert.strictEqual(latin.code, 0);
      assert.doesNotMatch(latin.out, /properties-non-ascii/);
      const bom = await run(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${AWS}${REF}`)]));
      assert.strictEqual(bom.code, 1);
      assert.match(bom.out, /error \[properties-bom\]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
