/**
 * Readers never throw: seeded mutations of real container files (Compose, env files, Kubernetes, Helm values) and of
 * templates in every dialect, analysed as their kind. No input may throw, and every finding's range and every fix's
 * edit must lie inside the text.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile } from '../../src/core/analyzeFile';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { TemplateDialect } from '../../src/core/templates/template';
import { rng } from '../support/random';

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures');

/** Characters that matter to the readers: YAML indicators, quotes, escapes, template delimiters, line breaks. */
const ALPHABET = [
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  ':',
  '- ',
  '-',
  '&a ',
  '*a',
  '<<: ',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '\\',
  '|',
  '>',
  '#',
  '!',
  '%',
  '@',
  '`',
  '?',
  '=',
  '$',
  '${',
  '$(',
  '{{',
  '}}',
  '{%',
  '%}',
  '<%',
  '%>',
  '\u00e9',
  '\ufeff',
  '\u0000',
  'export ',
];

function mutate(text: string, random: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * (out.length + 1));
    const op = random();
    if (op < 0.4) out = out.slice(0, at) + ALPHABET[Math.floor(random() * ALPHABET.length)] + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(Math.min(out.length, at + 1 + Math.floor(random() * 8)));
    else if (op < 0.85) {
      // Duplicate a slice elsewhere (repeated keys, nested structures).
      const from = Math.floor(random() * out.length);
      out = out.slice(0, at) + out.slice(from, from + Math.floor(random() * 40)) + out.slice(at);
    } else out = out.slice(0, at) + out.charAt(at).toUpperCase() + out.slice(at + 1);
  }
  return out;
}

function checkAnalysis(name: string, text: string, seed: number, kind: ReturnType<typeof resolveFileKind>): void {
  let analysis;
  try {
    analysis = analyzeFile(text, { kind });
  } catch (error) {
    assert.fail(`${name}, seed ${seed}: threw ${(error as Error).stack}\n--- input ---\n${text}`);
  }
  for (const f of analysis.findings) {
    assert.ok(f.start >= 0 && f.end <= text.length && f.start <= f.end, `${name}, seed ${seed}: ${f.code} at ${f.start}-${f.end} outside ${text.length}`);
    for (const fix of f.fixes ?? [])
      for (const e of fix.edits)
        assert.ok(e.start >= 0 && e.end <= text.length && e.start <= e.end, `${name}, seed ${seed}: fix of ${f.code} at ${e.start}-${e.end}`);
  }
}

/** How many mutated inputs per file: 7,200 × 14 samples ≥ 100,000 inputs in every run of the suite (ENCPROPS_FUZZ_PER_FILE changes it). */
const PER_FILE = Number(process.env.ENCPROPS_FUZZ_PER_FILE ?? 7200);

describe('readers never throw: seeded mutations of container files', function () {
  this.timeout(300_000);
  const files = fs.readdirSync(path.join(FIXTURES, 'containers')).filter((f) => f !== 'unrelated.yaml');
  for (const file of files) {
    it(`${file}: ${PER_FILE} mutations, no throw, every range inside the text`, () => {
      const original = fs.readFileSync(path.join(FIXTURES, 'containers', file), 'utf8');
      const kind = resolveFileKind({ fileName: file, head: original });
      assert.ok(kind?.format === 'container', `${file} is a container file`);
      for (let seed = 1; seed <= PER_FILE; seed++) checkAnalysis(file, mutate(original, rng(seed)), seed, kind);
    });
  }
});

describe('readers never throw: seeded mutations of templates in every dialect', function () {
  this.timeout(300_000);
  const samples: Record<TemplateDialect, { name: string; text: string }> = {
    jinja: {
      name: 'bitbucket.properties.j2',
      text: '{# managed #}\nencrypted-property.cipher.classname={{ cls }}\n{% if prod %}\njdbc.password={ENC}{"region":"{{ region }}","secretId":"{{ id }}"}\n{% else %}\njdbc.password={{ pw }}\n{% endif %}\n',
    },
    erb: {
      name: 'dbconfig.xml.erb',
      text: '<?xml version="1.0"?>\n<jira-database-config>\n<jdbc-datasource>\n<% if @x %><password><%= @pw %></password><% end %>\n</jdbc-datasource>\n</jira-database-config>\n',
    },
    epp: {
      name: 'confluence.cfg.xml.epp',
      text: '<confluence-configuration><properties>\n<property name="hibernate.connection.password"><%= $pw %></property>\n</properties></confluence-configuration>\n',
    },
    go: {
      name: 'bitbucket.properties.tmpl',
      text: 'jdbc.password={{ .Values.pw }}\n{{- if .Values.enc }}\nencrypted-property.cipher.classname=x\n{{- end }}\n',
    },
    shell: { name: 'bitbucket.properties.template', text: 'jdbc.password=${DB_PASSWORD}\nencrypted-property.cipher.classname=$CLS\n' },
  };
  for (const [dialect, sample] of Object.entries(samples) as [TemplateDialect, { name: string; text: string }][]) {
    it(`${dialect}: ${PER_FILE} mutations, no throw, every range inside the text`, () => {
      for (let seed = 1; seed <= PER_FILE; seed++) {
        const text = mutate(sample.text, rng(seed * 7919));
        const kind = resolveFileKind({ fileName: sample.name, head: text.slice(0, 4096), template: dialect });
        if (kind) checkAnalysis(`${sample.name} (${dialect})`, text, seed, kind);
      }
    });
  }
});
