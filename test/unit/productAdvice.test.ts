/** Advice that fits the product: Crowd's AES-only store, Stash's old file. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyzeProperties } from '../../src/core/properties/analyze';
import { analyzeFile } from '../../src/core/analyzeFile';
import { planForFile } from '../../src/core/edits/plan';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { main } from '../../src/cli/main';
import { file, FILES } from '../support/productFixtures';
import { checkReport } from '../support/reports';

describe('advice that fits the product', () => {
  it("Crowd's plaintext password points at the AES-only store, not AWS", () => {
    const crowd = analyzeFile(file('crowd', undefined, 'hunter2'), { fileName: FILES.crowd });
    const finding = crowd.findings.find((f) => f.code === 'plaintext-password')!;
    assert.match(finding.message, /Crowd accepts only the AES-only store \(com\.atlassian\.secrets\.store\.algorithm\.AesOnlyAlgorithmSecretStore\)/);
    assert.doesNotMatch(finding.message, /AWS/);
    const jira = analyzeFile(file('jira', undefined, 'hunter2'), { fileName: FILES.jira });
    assert.match(jira.findings.find((f) => f.code === 'plaintext-password')!.message, /AWS Secrets Manager/);
  });

  it('the edit planner and set-aws-secret refuse to put an AWS reference into crowd.cfg.xml', async () => {
    const text = file('crowd', undefined, 'hunter2');
    const plan = planForFile(resolveFileKind({ fileName: 'crowd.cfg.xml' })!, text, { region: 'eu-west-1', secretId: 'crowd/db' });
    assert.strictEqual(plan.kind, 'error');
    assert.match((plan as { message: string }).message, /Crowd accepts only the AES-only store/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-crowd-'));
    try {
      const target = path.join(dir, 'crowd.cfg.xml');
      fs.writeFileSync(target, text);
      let err = '';
      const code = await main(['set-aws-secret', '--region', 'eu-west-1', '--secret-id', 'crowd/db', target], {
        stdout: () => undefined,
        stderr: (t) => (err += t),
      });
      assert.strictEqual(code, 1);
      assert.match(err, /Crowd accepts only the AES-only store/);
      assert.strictEqual(fs.readFileSync(target, 'utf8'), text);
      assert.deepStrictEqual(fs.readdirSync(dir), ['crowd.cfg.xml']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stash-config.properties gets one warning that Stash resolves no {ENC}, and no other {ENC} advice', () => {
    const text = 'jdbc.password={ENC}{"region":"eu-west-1","secretID":"db"}\n';
    const stash = analyzeProperties(text, { fileName: 'stash-config.properties' });
    assert.deepStrictEqual(
      stash.findings.map((f) => `${f.code}:${f.severity}`),
      ['stash-config-enc:warning'],
    );
    assert.deepStrictEqual(analyzeProperties('jdbc.password=hunter2\n', { fileName: 'stash-config.properties' }).findings, []);
    // The same lines in bitbucket.properties are validated as usual.
    assert.ok(analyzeProperties(text, { fileName: 'bitbucket.properties' }).findings.some((f) => f.code === 'aws-unknown-key'));
  });
});

describe('XML well-formedness at the right place', () => {
  const at = (text: string) => {
    const a = analyzeFile(text, { fileName: 'dbconfig.xml' });
    const f = a.findings.find((x) => x.code === 'xml-not-well-formed')!;
    return { at: f.start, related: f.related?.map((r) => r.start), message: f.message };
  };

  it('text before the root element or the declaration is reported where it starts, the parser’s position as related information', () => {
    assert.deepStrictEqual(at('junk\n<?xml version="1.0"?>\n<jira-database-config/>'), {
      at: 0,
      related: [5],
      message: at('junk\n<?xml version="1.0"?>\n<jira-database-config/>').message,
    });
    assert.match(at('junk\n<?xml version="1.0"?>\n<jira-database-config/>').message, /text outside the root element/);
    const before = at('  \n<?xml version="1.0"?><jira-database-config/>');
    assert.strictEqual(before.at, 0);
    assert.match(before.message, /text before the XML declaration/);
    const after = at('<jira-database-config/>\n  oops trailing');
    assert.strictEqual(after.at, '<jira-database-config/>\n  '.length);
    assert.deepStrictEqual(after.related, ['<jira-database-config/>\n  oops trailing'.length]);
  });

  it('the CLI prints the related place as a note, and JSON carries it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'encprops-xmlpos-'));
    try {
      const target = path.join(dir, 'dbconfig.xml');
      fs.writeFileSync(target, 'oops <jira-database-config/>\n');
      let out = '';
      const io = { stdout: (t: string) => (out += t), stderr: () => undefined };
      assert.strictEqual(await main(['check', target], io), 1);
      assert.match(out, /dbconfig\.xml:1:1: error \[xml-not-well-formed\]/);
      assert.match(out, /dbconfig\.xml:1:6: note: The XML parser noticed it here/);
      out = '';
      await main(['check', '--format', 'json', target], io);
      assert.deepStrictEqual(checkReport(out).files[0].diagnostics[0].related, [
        { line: 1, column: 6, message: 'The XML parser noticed it here: text data outside of root node.' },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
