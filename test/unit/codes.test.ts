import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CODE_TABLE } from '../../src/core/codes';
import { formatSarif, Report } from '../../src/cli/report';

const ROOT = path.join(__dirname, '..', '..', '..');

/** The finding codes the rules emit: every `code: '…'` literal in src/, less the verify outcomes (`verify-*` in the editor). */
function emittedCodes(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) for (const m of fs.readFileSync(full, 'utf8').matchAll(/code: '([a-z0-9-]+)'/g)) codes.add(m[1]);
    }
  };
  walk(path.join(ROOT, 'src', 'core'));
  return codes;
}

describe('the codes table (core/codes.ts): one explanation per finding code, the README and SARIF from it', () => {
  it("equals the README's Diagnostic codes table, row for row", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('| code | severity | when |');
    const rows = readme
      .slice(start, readme.indexOf('\n\n', start))
      .split('\n')
      .slice(2)
      .map((r) =>
        r
          .trim()
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((c) => c.trim()),
      );
    assert.deepStrictEqual(
      rows.map(([codes, severity, ...when]) => ({ codes: [...codes.matchAll(/`([a-z0-9-]+)`/g)].map((m) => m[1]), severity, when: when.join('|').trim() })),
      CODE_TABLE.map((row) => ({ codes: [...row.codes], severity: row.severity, when: row.when })),
    );
  });

  it('names every finding code the rules emit', () => {
    const known = new Set(CODE_TABLE.flatMap((row) => row.codes));
    // Verify outcomes and their notes are codes of another kind (the editor shows them as verify-<code>).
    const outcome =
      /^(ok|error|not-found|access-denied|kms-denied|marked-for-deletion|no-credentials|expired-credentials|invalid-credentials|throttled|timeout|network|binary-secret|not-json|pointer-missing|empty-value|cancelled|endpoint-declined|response-too-large|credential-process-failed|invalid-reference|vault-(redirect|sealed|forbidden|path-missing|key-missing|version-deleted|version-destroyed|no-token|kubernetes-auth)|verify-.*)$/;
    const missing = [...emittedCodes()].filter((c) => !known.has(c) && !outcome.test(c));
    assert.deepStrictEqual(missing, []);
  });

  it('gives every SARIF rule a description and help', () => {
    const report = {
      version: 1,
      files: [
        {
          path: 'bitbucket.properties',
          diagnostics: [{ code: 'plaintext-password', severity: 'warning', message: 'm', line: 1, column: 1, endLine: 1, endColumn: 2 }],
        },
      ],
    } as unknown as Report;
    const sarif = JSON.parse(formatSarif(report, '1')) as {
      runs: { tool: { driver: { rules: { id: string; fullDescription: { text: string }; help: { text: string; markdown: string } }[] } } }[];
    };
    const [rule] = sarif.runs[0].tool.driver.rules;
    assert.strictEqual(rule.id, 'plaintext-password');
    assert.match(rule.fullDescription.text, /jdbc\.password holds a plaintext value/);
    assert.ok(!rule.fullDescription.text.includes('`'));
    assert.match(rule.help.markdown, /`jdbc\.password`.*Diagnostic codes/);
  });
});
