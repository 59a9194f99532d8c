/**
 * Real deployments (#20): the files people keep, read as what they are. The corpus is Atlassian's own Helm charts
 * (test/fixtures/real-world/data-center-helm-charts, PROVENANCE.md: the charts' values, the values their end-to-end
 * tests deploy with, and `helm template` output); the defects are the ones found on public repositories, each as the
 * smallest file that shows it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { localAws, runCli } from '../support/cli';
import { checkReport } from '../support/reports';

const CORPUS = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'real-world', 'data-center-helm-charts');

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : []))
    .sort();
}

/**
 * Overrides of the charts' end-to-end tests that name no product, image or database setting (ingress, volumes, node
 * selectors): nothing in them says they are Atlassian's, so a named check says so (exit 2), and a folder scan passes
 * over them.
 */
const NAMES_NO_PRODUCT =
  /config\/(?:jira|confluence|bamboo|crowd)\/values-(?:AKS|EKS|GKE|KITT)\.yaml$|config\/bitbucket\/values-(?:AKS|GKE)\.yaml$|values-agent\.yaml$/;

describe('real deployments: the Atlassian Helm charts corpus', function () {
  this.timeout(60_000);

  it('reads every chart values file and rendered manifest as what it is, and each passes with where the password comes from', async () => {
    const files = walk(CORPUS);
    assert.strictEqual(files.length, 38);
    const counts = { passed: 0, noProduct: 0 };
    for (const file of files) {
      const rel = path.relative(CORPUS, file);
      const { code, stdout, stderr } = await runCli(['check', '--format', 'json', file]);
      if (NAMES_NO_PRODUCT.test(rel)) {
        assert.strictEqual(code, 2, `${rel}: ${stdout}`);
        assert.match(stderr, /no Atlassian product configuration file/);
        counts.noProduct++;
        continue;
      }
      assert.strictEqual(code, 0, `${rel}: ${stderr}${stdout}`);
      const report = checkReport(stdout);
      const diagnostics = report.files[0].diagnostics;
      // Never read as properties; nothing but the note that says where the password comes from.
      assert.deepStrictEqual([...new Set(diagnostics.map((d) => d.code))], ['container-password-elsewhere'], rel);
      assert.ok(
        diagnostics.every((d) => d.severity === 'info'),
        rel,
      );
      counts.passed++;
    }
    console.log(`      ${files.length} files: ${counts.passed} read and passed, ${counts.noProduct} overrides that name no product (exit 2)`);
    assert.deepStrictEqual(counts, { passed: 22, noProduct: 16 });
  });

  it('the folder scan finds every file that names a product, with the charts own product key hundreds of lines down', async () => {
    const { code, stdout } = await runCli(['check', '--format', 'json', CORPUS]);
    assert.strictEqual(code, 0);
    const report = checkReport(stdout);
    assert.strictEqual(report.files.length, 22);
    const jira = report.files.find((f) => f.path.endsWith(path.join('charts', 'jira', 'values.yaml')))!;
    // The chart's `jira:` key is at line 472 of 1,342: recognised anyway (no head limit).
    assert.strictEqual(jira.product, 'jira');
  });
});

describe('real deployments: the defects found on public repositories', function () {
  this.timeout(30_000);
  const aws = localAws('encprops-real-');
  const SECRET = 'P@ssw0rd-canary-4711';

  function write(name: string, text: string): string {
    const file = path.join(aws.dir(), name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  async function check(file: string): Promise<{ code: number; codes: string[]; lines: number[]; output: string }> {
    const json = await runCli(['check', '--format', 'json', file]);
    const text = await runCli(['check', file]);
    const sarif = await runCli(['check', '--format', 'sarif', file]);
    const output = json.stdout + json.stderr + text.stdout + text.stderr + sarif.stdout;
    if (json.code === 2) return { code: 2, codes: [], lines: [], output };
    const d = checkReport(json.stdout).files[0]?.diagnostics ?? [];
    return { code: json.code, codes: d.map((x) => x.code), lines: d.map((x) => x.line), output };
  }

  it('a Compose file without an extension, its Atlassian service after the others, is read as Compose (not properties)', async () => {
    const others = Array.from({ length: 80 }, (_, i) => `  svc${i}:\n    image: nginx:1.25\n    environment:\n      A_${i}: b\n`).join('');
    const file = write(
      'a/docker-compose',
      `services:\n${others}  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      - ATL_JDBC_PASSWORD=${SECRET}\n`,
    );
    assert.ok(fs.statSync(file).size > 4096);
    const r = await check(file);
    assert.deepStrictEqual(r.codes, ['plaintext-password']);
    assert.ok(!r.output.includes(SECRET), 'the password is never printed');
  });

  it('a Compose file kept as a template (docker-compose.yml.tpl) is Compose', async () => {
    const r = await check(
      write(
        'b/docker-compose.yml.tpl',
        `services:\n  bitbucket:\n    image: "{{ .Values.registry }}/atlassian/bitbucket:8.19"\n    environment:\n      JDBC_PASSWORD: "${SECRET}"\n`,
      ),
    );
    assert.deepStrictEqual(r.codes, ['plaintext-password']);
    assert.ok(!r.output.includes(SECRET));
  });

  it('a password reached through a YAML anchor and merge key is checked, on the anchor line', async () => {
    const r = await check(
      write(
        'c/stack.yml',
        `x-env: &env\n  ATL_JDBC_PASSWORD: ${SECRET}\n  ATL_JDBC_USER: jira\nservices:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      <<: *env\n      ATL_PROXY_NAME: jira.example.com\n  confluence:\n    image: atlassian/confluence:8.9\n    environment: *env\n`,
      ),
    );
    assert.deepStrictEqual(r.codes, ['plaintext-password', 'plaintext-password']);
    assert.deepStrictEqual(r.lines, [2, 2]);
    assert.ok(!r.output.includes(SECRET));
  });

  it("Compose's list form keeps quotes in the value: said, and what is inside them read as the value", async () => {
    const r = await check(
      write('d/compose.yml', `services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      - ATL_JDBC_PASSWORD='\${db_pass}'\n`),
    );
    assert.deepStrictEqual(r.codes, ['container-list-quotes', 'templated-password']);
    assert.strictEqual(r.code, 0);
  });

  it('${VAR:-literal} is a plaintext password written here (a warning), and the literal is never printed', async () => {
    const r = await check(
      write(
        'e/compose.yml',
        `services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_PASSWORD: \${DB_PASS:-${SECRET}}\n`,
      ),
    );
    assert.deepStrictEqual(r.codes, ['plaintext-password']);
    assert.ok(!r.output.includes(SECRET));
    // Without a default it is a deploy-time value, as before.
    const plain = await check(
      write('f/compose.yml', `services:\n  jira:\n    image: atlassian/jira-software:9.12\n    environment:\n      ATL_JDBC_PASSWORD: \${DB_PASS}\n`),
    );
    assert.deepStrictEqual(plain.codes, ['templated-password']);
  });

  it('a manifest whose password comes from a Secret passes (exit 0) and says so; values of any name are Helm values', async () => {
    const k8s = await check(
      write(
        'g/confluence.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: c\nspec:\n  template:\n    spec:\n      containers:\n        - name: confluence\n          image: atlassian/confluence:8.5.4\n          env:\n            - name: ATL_JDBC_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: confluence-db\n                  key: password\n',
      ),
    );
    assert.deepStrictEqual([k8s.code, k8s.codes], [0, ['container-password-elsewhere']]);
    assert.match(k8s.output, /the Secret "confluence-db", key "password"/);
    const values = await check(write('h/jira-values.yaml', 'jira:\n  resources: {}\ndatabase:\n  credentials:\n    secretName: jira-db\n'));
    assert.deepStrictEqual([values.code, values.codes], [0, ['container-password-elsewhere']]);
  });

  it('YAML named on the command line is never read as properties: a file of no product is exit 2 with one line', async () => {
    const r = await runCli(['check', write('i/ci.yaml', 'jobs:\n  build:\n    steps:\n      - run: make\n      - run: make test\n')]);
    assert.strictEqual(r.code, 2);
    assert.strictEqual(r.stderr.trim().split('\n').length, 1); // one line: what was looked for
    assert.doesNotMatch(r.stdout, /properties-duplicate-key/);
    // The pre-commit hook's mode: such a file is passed over, and a commit of nothing else passes.
    const hook = await runCli(['check', '--skip-other', path.join(aws.dir(), 'i', 'ci.yaml')]);
    assert.deepStrictEqual([hook.code, hook.stderr], [0, '']);
    // `verify` decides a named file the same way.
    const v = await runCli(['verify', path.join(aws.dir(), 'i', 'ci.yaml')]);
    assert.strictEqual(v.code, 2);
  });
});

describe('real deployments: templates as infrastructure repositories keep them', function () {
  this.timeout(30_000);
  const aws = localAws('encprops-real-tpl-');
  const SECRET = 'Sup3r-canary-0815';

  async function check(name: string, text: string) {
    const file = path.join(aws.dir(), name);
    fs.writeFileSync(file, text);
    const json = await runCli(['check', '--format', 'json', file]);
    const plain = await runCli(['check', file]);
    const d = checkReport(json.stdout).files[0].diagnostics;
    return { codes: d.map((x) => x.code), messages: d.map((x) => x.message), output: json.stdout + plain.stdout + json.stderr };
  }

  it('a literal expression as the password is a plaintext password (a warning), and its text is never printed', async () => {
    const jinja = await check('bitbucket.properties.j2', `jdbc.password={{ "${SECRET}" }}\n`);
    assert.deepStrictEqual(jinja.codes, ['plaintext-password']);
    assert.ok(!jinja.output.includes(SECRET));
    const erb = await check(
      'dbconfig.xml.erb',
      `<?xml version="1.0"?>\n<jira-database-config><jdbc-datasource><password><%= '${SECRET}' %></password></jdbc-datasource></jira-database-config>\n`,
    );
    assert.deepStrictEqual(erb.codes, ['plaintext-password']);
    assert.ok(!erb.output.includes(SECRET));
  });

  it('placeholders with dots are placeholders, and variable names are quoted whole', async () => {
    const dotted = await check('bitbucket.properties.tmpl', 'jdbc.password=${db.password}\n');
    assert.deepStrictEqual(dotted.codes, ['templated-password']);
    assert.match(dotted.messages[0], /from `db\.password`/);
    const dashed = await check('bitbucket.properties.tmpl', 'jdbc.password=${db-password}\n');
    assert.deepStrictEqual(dashed.codes, ['templated-password']);
    assert.match(dashed.messages[0], /from `db-password`/);
    const chef = await check(
      'dbconfig.xml.erb',
      `<?xml version="1.0"?>\n<jira-database-config><jdbc-datasource><password><%= node['jira']['db']['password'] %></password></jdbc-datasource></jira-database-config>\n`,
    );
    assert.match(chef.messages[0], /from `node\['jira'\]\['db'\]\['password'\]`/);
    const puppet = await check(
      'crowd.cfg.xml.erb',
      `<?xml version="1.0"?>\n<application-configuration><properties><property name="crowd.x">1</property><property name="hibernate.connection.password"><%= scope.lookupvar('crowd::db_password') %></property></properties></application-configuration>\n`,
    );
    assert.match(puppet.messages.join('\n'), /scope\.lookupvar\('crowd::db_password'\)/);
  });

  it('an expression between the XML declaration and the root renders no element: no well-formedness error', async () => {
    const r = await check(
      'dbconfig.xml.j2',
      '<?xml version="1.0" encoding="UTF-8"?>\n{{ ansible_managed | comment("xml") }}\n<jira-database-config>\n  <jdbc-datasource>\n    <password>{{ jira_db_password }}</password>\n  </jdbc-datasource>\n</jira-database-config>\n{{ footer }}\n',
    );
    assert.deepStrictEqual(r.codes, ['templated-password']);
    // Text that is not an expression is still text outside the root.
    const text = await check(
      'confluence.cfg.xml.j2',
      '<?xml version="1.0"?>\nmanaged by ansible\n<confluence-configuration><properties></properties></confluence-configuration>\n',
    );
    assert.ok(text.codes.includes('xml-not-well-formed'));
  });
});
