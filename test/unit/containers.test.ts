import * as assert from 'assert';
import * as fc from 'fast-check';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile } from '../../src/core/analyzeFile';
import { resolveFileKind } from '../../src/core/model/fileKind';
import { awsOf } from '../../src/core/rules/analysis';
import { LineIndex } from '../../src/core/text/lineIndex';
import { imageProduct } from '../../src/core/model/containers';
import { completionsAt } from '../../src/core/language/completion';
import { isScalar, parseDocument, Document, Scalar } from 'yaml';
import { decodeScalar, escapeScalar, ScalarStyle } from '../../src/core/containers/yamlScalar';
import { readEnvFile, escapeEnvValue } from '../../src/core/containers/envFile';

const STYLES: ScalarStyle[] = ['PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'];
const alphabet = fc.constantFrom(...'ab {}[]":,\'\\/~#-é€\t\n'.split(''), 'x', 'y', 'region', 'secretId', ' ');

/** Every decoded character from a one-character source is that character: the map and the text agree. */
function assertMapAgrees(text: string, value: string, map: ReturnType<typeof decodeScalar>['map']): void {
  for (let k = 0; k < value.length; k++) {
    const from = map.startOf(k);
    const to = map.endOf(k);
    assert.ok(from >= 0 && to <= text.length && from < to, `char ${k} maps inside the document`);
    if (to - from === 1 && /[^\s'"\\]/.test(value[k])) assert.strictEqual(text[from], value[k], `char ${k} of ${JSON.stringify(value)}`);
  }
}

describe('YAML scalars with source maps (core/containers/yamlScalar)', () => {
  it('decodes every quoting style as the yaml library does, and maps each character back to the document (property)', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((a) => a.join('')),
        fc.constantFrom(...STYLES),
        fc.constantFrom(0, 24),
        (value, style, lineWidth) => {
          const doc = new Document({ services: { app: { environment: { ATL_JDBC_PASSWORD: value } } } });
          const node = doc.getIn(['services', 'app', 'environment', 'ATL_JDBC_PASSWORD'], true) as Scalar;
          node.type = style;
          const text = doc.toString({ lineWidth });
          const parsed = parseDocument(text);
          const scalar = parsed.getIn(['services', 'app', 'environment', 'ATL_JDBC_PASSWORD'], true);
          if (!isScalar(scalar) || !scalar.range || typeof scalar.value !== 'string') return;
          const decoded = decodeScalar(text, scalar.range[0], scalar.range[1], scalar.type as ScalarStyle);
          assert.strictEqual(decoded.value, scalar.value, `${scalar.type} in\n${text}`);
          assertMapAgrees(text, decoded.value, decoded.map);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('lands on the exact characters of a double-quoted JSON reference, and writes a fix back in that style', () => {
    const text = 'environment:\n  ATL_JDBC_PASSWORD: "{\\"region\\":\\"ap-sotheast-2\\"}"\n';
    const doc = parseDocument(text);
    const scalar = doc.getIn(['environment', 'ATL_JDBC_PASSWORD'], true) as Scalar;
    const { value, map } = decodeScalar(text, scalar.range![0], scalar.range![1], 'QUOTE_DOUBLE');
    assert.strictEqual(value, '{"region":"ap-sotheast-2"}');
    const from = value.indexOf('ap-sotheast-2') - 1;
    const range = map.range(from, from + '"ap-sotheast-2"'.length);
    assert.strictEqual(text.slice(range.start, range.end), '\\"ap-sotheast-2\\"');
    const fixed = text.slice(0, range.start) + escapeScalar('"ap-southeast-2"', 'QUOTE_DOUBLE') + text.slice(range.end);
    assert.strictEqual(parseDocument(fixed).getIn(['environment', 'ATL_JDBC_PASSWORD']), '{"region":"ap-southeast-2"}');
  });
});

describe("Compose's env file format (core/containers/envFile)", () => {
  it('reads names, export, comments and each quoting style, with maps back to the text', () => {
    const text = [
      '# comment',
      'export ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.aws.AwsSecretsManagerStore # the store',
      'ATL_JDBC_PASSWORD=\'{"region":"eu-west-1","secretId":"jira/db"}\'',
      'JDBC_PASSWORD="{\\"region\\":\\"eu-west-1\\"}" # quoted',
      'PLAIN=a#b',
      'EMPTY=',
      '',
    ].join('\n');
    const vars = readEnvFile(text);
    assert.deepStrictEqual(
      vars.map((v) => [v.key, v.value, v.quote]),
      [
        ['ATL_JDBC_SECRET_CLASS', 'com.atlassian.secrets.store.aws.AwsSecretsManagerStore', 'none'],
        ['ATL_JDBC_PASSWORD', '{"region":"eu-west-1","secretId":"jira/db"}', 'single'],
        ['JDBC_PASSWORD', '{"region":"eu-west-1"}', 'double'],
        ['PLAIN', 'a#b', 'none'],
        ['EMPTY', '', 'none'],
      ],
    );
    for (const v of vars) assertMapAgrees(text, v.value, v.valueMap);
    const jdbc = vars[2];
    const r = jdbc.valueMap.range(jdbc.value.indexOf('"eu-west-1"'), jdbc.value.indexOf('"eu-west-1"') + 11);
    assert.strictEqual(text.slice(r.start, r.end), '\\"eu-west-1\\"');
  });

  it('reads back exactly what it writes, in every quoting style (property)', () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 30 }).map((a) => a.join('').replace(/[\n\t]/g, ' ')),
        fc.constantFrom<'single' | 'double'>('single', 'double'),
        (raw, quote) => {
          // In single quotes \' is a quote, so a backslash cannot be written there: the writer keeps double quotes for it.
          const value = quote === 'single' ? raw.replace(/\\/g, '/') : raw;
          const q = quote === 'double' ? '"' : "'";
          const text = `NAME=${q}${escapeEnvValue(value, quote)}${q}\n`;
          const [v] = readEnvFile(text);
          assert.strictEqual(v.value, value, text);
          assertMapAgrees(text, v.value, v.valueMap);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

const FIXTURES = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'containers');
function analyzeFixture(name: string) {
  const text = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
  const kind = resolveFileKind({ fileName: name, head: text.slice(0, 4096) });
  assert.ok(kind, `${name} is a container file`);
  return { text, kind, analysis: analyzeFile(text, { kind }) };
}
function codesOf(analysis: ReturnType<typeof analyzeFile>, text: string): string[] {
  const lines = new LineIndex(text);
  return analysis.findings.map((f) => `${lines.positionAt(f.start).line + 1}:${f.code}`).sort();
}
/** Applies a fix's edits (from the end) and returns the new text. */
function apply(text: string, edits: readonly { start: number; end: number; newText: string }[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);
}

describe('container deployments (core/containers/analyze)', () => {
  it('tells each form by name and content, and leaves other YAML alone', () => {
    const kinds = ['docker-compose.yml', 'jira.env', 'bitbucket-statefulset.yaml', 'confluence-deployment.yaml', 'values.yaml'].map((n) => {
      const text = fs.readFileSync(path.join(FIXTURES, n), 'utf8');
      const k = resolveFileKind({ fileName: n, head: text });
      return [k?.format, k?.container, k?.profile.product];
    });
    assert.deepStrictEqual(kinds, [
      ['container', 'compose', 'jira'],
      ['container', 'env', 'jira'],
      ['container', 'kubernetes', 'bitbucket'],
      ['container', 'kubernetes', 'confluence'],
      ['container', 'helm', 'jira'],
    ]);
    const unrelated = fs.readFileSync(path.join(FIXTURES, 'unrelated.yaml'), 'utf8');
    assert.strictEqual(resolveFileKind({ fileName: 'unrelated.yaml', head: unrelated }), undefined);
    assert.strictEqual(resolveFileKind({ fileName: 'docker-compose.yml', head: 'services:\n  web:\n    image: nginx\n' }), undefined);
    assert.deepStrictEqual(imageProduct('registry.example.com:5000/mirror/atlassian/jira-servicemanagement:5.12.1-ubuntu-jdk17'), {
      product: 'jira',
      version: '5.12.1',
    });
    assert.deepStrictEqual(imageProduct('atlassian/bitbucket-server:latest'), { product: 'bitbucket' });
    assert.strictEqual(imageProduct('atlassianx/jira:9'), undefined);
  });

  it('Compose: the store rules on the password variable (map and list forms), the Vault token the entrypoint unsets', () => {
    const { text, analysis } = analyzeFixture('docker-compose.yml');
    assert.deepStrictEqual(codesOf(analysis, text), ['16:container-vault-token-unset', '9:aws-region-unknown']);
    assert.deepStrictEqual(
      analysis.references.map((r) => [r.key, r.store]),
      [
        ['ATL_JDBC_PASSWORD', 'aws'],
        ['ATL_JDBC_PASSWORD', 'vault'],
      ],
    );
    // The region fix is written inside the double-quoted scalar, escaped as YAML needs; YAML reads back the JSON fixed.
    const region = analysis.findings.find((f) => f.code === 'aws-region-unknown')!;
    assert.strictEqual(text.slice(region.start, region.end), '\\"ap-sotheast-2\\"');
    const fixed = apply(text, region.fixes!.find((f) => f.isPreferred)!.edits);
    assert.deepStrictEqual(JSON.parse(parseDocument(fixed).getIn(['services', 'jira', 'environment', 'ATL_JDBC_PASSWORD']) as string), {
      region: 'ap-southeast-2',
      secretId: 'jira/db',
      secretPointer: '/password',
    });
    // The allowlist fix adds a list entry in the service's own style.
    const token = analysis.findings.find((f) => f.code === 'container-vault-token-unset')!;
    const withAllow = apply(text, token.fixes![0].edits);
    assert.deepStrictEqual((parseDocument(withAllow).toJS() as { services: { confluence: { environment: string[] } } }).services.confluence.environment, [
      'ATL_JDBC_SECRET_CLASS=com.atlassian.secrets.store.vault.VaultSecretStore',
      'ATL_JDBC_PASSWORD={"mount":"secret","path":"confluence/db","key":"password","endpoint":"https://vault.example.com:8200","authenticationType":"TOKEN"}',
      'SECRET_STORE_VAULT_TOKEN=${VAULT_TOKEN}',
      'ATL_ALLOWLIST_SENSITIVE_ENV_VARS=SECRET_STORE_VAULT_TOKEN',
    ]);
    assert.deepStrictEqual(codesOf(analyzeFile(withAllow, { kind: analyzeFixture('docker-compose.yml').kind }), withAllow), ['9:aws-region-unknown']);
  });

  it('env file: {ENC} in ATL_JDBC_PASSWORD is a warning (UNCONFIRMED that the image keeps it) with a fix that removes it; the JSON after it is still checked', () => {
    const { text, kind, analysis } = analyzeFixture('jira.env');
    assert.deepStrictEqual(codesOf(analysis, text), ['3:container-enc-in-password']);
    const fixed = apply(text, analysis.findings[0].fixes![0].edits);
    assert.match(fixed, /^export ATL_JDBC_PASSWORD='\{"region":"eu-west-1","secretId":"jira\/db"\}'$/m);
    assert.deepStrictEqual(codesOf(analyzeFile(fixed, { kind }), fixed), []);
  });

  it('Kubernetes: every document, init containers, valueFrom; Jackson refuses an unknown key; an image older than the store variables', () => {
    const { text, analysis } = analyzeFixture('bitbucket-statefulset.yaml');
    assert.deepStrictEqual(codesOf(analysis, text), ['20:container-image-too-old', '25:aws-unknown-key']);
    const unknown = analysis.findings.find((f) => f.code === 'aws-unknown-key')!;
    assert.strictEqual(text.slice(unknown.start, unknown.end), '"secretID"');
    const fixed = apply(text, unknown.fixes!.find((f) => f.isPreferred)!.edits);
    assert.match(fixed, /value: '\{"region":"us-east-1","secretId":"bitbucket\/db"\}'/);
  });

  it('Kubernetes: a folded block scalar is read and mapped; Helm values: the product key, the chart image, a class typo', () => {
    const confluence = analyzeFixture('confluence-deployment.yaml');
    assert.deepStrictEqual(codesOf(confluence.analysis, confluence.text), ['10:container-image-too-old']);
    assert.strictEqual(awsOf(confluence.analysis.references[0])?.region, 'eu-central-1');
    const helm = analyzeFixture('values.yaml');
    assert.deepStrictEqual(codesOf(helm.analysis, helm.text), ['6:container-jira-force-cfg-update', '7:cipher-class-typo']);
  });

  it('Helm values for each product: the chart image, the product key, Vault from a Secret allowlisted, Crowd a note', () => {
    const codes = (name: string) => {
      const { text, analysis } = analyzeFixture(name);
      return [analysis.relevant, codesOf(analysis, text), analysis.references.map((r) => r.store)];
    };
    assert.deepStrictEqual(codes('values-confluence.yaml'), [true, [], ['vault']]);
    assert.deepStrictEqual(codes('values-bitbucket.yaml'), [true, ['9:aws-pointer-no-slash'], ['aws']]);
    assert.deepStrictEqual(codes('values-bamboo.yaml'), [true, ['7:container-store-undocumented'], ['aws']]);
    // Crowd's image reads no database variables: the values pass, with a note that says where the password is.
    assert.deepStrictEqual(codes('values-crowd.yaml'), [true, ['2:container-password-elsewhere'], []]);
  });

  it('Compose env_file: a variable missing from environment may be there, so it is said, not warned', () => {
    const text =
      'services:\n  jira:\n    image: atlassian/jira-software:9.12\n    env_file:\n      - jira.env\n    environment:\n      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_FORCE_CFG_UPDATE: "true"\n';
    const kind = resolveFileKind({ fileName: 'compose.yaml', head: text })!;
    const [finding] = analyzeFile(text, { kind }).findings;
    assert.strictEqual(finding.code, 'container-class-without-password');
    assert.strictEqual(finding.severity, 'info');
    assert.match(finding.message, /unless jira\.env sets it/);
  });

  it('completion inside a double-quoted value writes the JSON escaped for YAML; the class variable completes class names', () => {
    const text =
      'services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_JDBC_PASSWORD: "{\\"region\\":\\"eu-\\"}"\n      ATL_FORCE_CFG_UPDATE: "true"\n';
    const kind = resolveFileKind({ fileName: 'compose.yaml', head: text })!;
    const analysis = analyzeFile(text, { kind });
    const inRegion = text.indexOf('eu-') + 3;
    const regions = completionsAt(analysis, text, inRegion);
    const sydney = regions.find((c) => c.label === 'ap-southeast-2')!;
    assert.strictEqual(sydney.insertText, '\\"ap-southeast-2\\"');
    assert.strictEqual(text.slice(sydney.start, sydney.end), '\\"eu-\\"');
    const fixed = text.slice(0, sydney.start) + sydney.insertText + text.slice(sydney.end);
    assert.strictEqual(
      (JSON.parse(parseDocument(fixed).getIn(['services', 'jira', 'environment', 'ATL_JDBC_PASSWORD']) as string) as { region: string }).region,
      'ap-southeast-2',
    );
    const classes = completionsAt(analysis, text, text.indexOf('com.atlassian') + 3);
    assert.ok(classes.some((c) => c.label === 'com.atlassian.secrets.store.vault.VaultSecretStore'));
  });

  it('the container rules on small cases: class without password and the reverse, plaintext, interpolation, Bitbucket routes', () => {
    const check = (environment: string, image = 'atlassian/jira-software:9.12') => {
      const text = `services:\n  app:\n    image: ${image}\n    environment:\n${environment}`;
      const kind = resolveFileKind({ fileName: 'compose.yaml', head: text })!;
      return codesOf(analyzeFile(text, { kind }), text);
    };
    assert.deepStrictEqual(check('      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_FORCE_CFG_UPDATE: "true"\n'), [
      '5:container-class-without-password',
    ]);
    assert.deepStrictEqual(check('      ATL_JDBC_PASSWORD: \'{"region":"eu-west-1","secretId":"x"}\'\n'), ['5:container-password-without-class']);
    assert.deepStrictEqual(check('      ATL_JDBC_PASSWORD: hunter2\n'), ['5:plaintext-password']);
    assert.deepStrictEqual(check('      ATL_JDBC_PASSWORD: ${DB_PASSWORD}\n'), ['5:templated-password']);
    // Placeholders inside the JSON are masked as in templates: never invalid themselves, the rest still checked.
    const secretClass = '      ATL_JDBC_SECRET_CLASS: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      ATL_FORCE_CFG_UPDATE: "true"\n';
    assert.deepStrictEqual(check(`${secretClass}      ATL_JDBC_PASSWORD: '{"region":"\${AWS_REGION}","secretId":"jira/\${ENV}/db"}'\n`), []);
    assert.deepStrictEqual(check(`${secretClass}      ATL_JDBC_PASSWORD: '{"region":"\${AWS_REGION}","secretID":"jira/db"}'\n`), ['7:aws-unknown-key']);
    assert.deepStrictEqual(
      check(
        '      ENCRYPTED_PROPERTY_CIPHER_CLASSNAME: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      JDBC_PASSWORD: \'{ENC}{"region":"eu-west-1","secretId":"x"}\'\n',
        'atlassian/bitbucket:9.4',
      ),
      ['6:container-enc-route-undocumented'],
    );
    assert.deepStrictEqual(
      check(
        '      JDBC_PASSWORD_DECRYPTER_CLASSNAME: com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n      JDBC_PASSWORD: \'{"region":"eu-west-1","secretId":"x"}\'\n',
        'atlassian/bitbucket:9.4',
      ),
      [],
    );
    // The reverse fix adds the class in the file's own style, and the result is clean.
    const text = 'services:\n  app:\n    image: atlassian/bitbucket:9.4\n    environment:\n      JDBC_PASSWORD: \'{"region":"eu-west-1","secretId":"x"}\'\n';
    const kind = resolveFileKind({ fileName: 'compose.yaml', head: text })!;
    const finding = analyzeFile(text, { kind }).findings[0];
    const fixed = apply(text, finding.fixes![0].edits);
    assert.strictEqual(
      parseDocument(fixed).getIn(['services', 'app', 'environment', 'JDBC_PASSWORD_DECRYPTER_CLASSNAME']),
      'com.atlassian.secrets.store.aws.AwsSecretsManagerStore',
    );
    assert.deepStrictEqual(codesOf(analyzeFile(fixed, { kind }), fixed), []);
  });
});
