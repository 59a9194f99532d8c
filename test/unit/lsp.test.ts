/**
 * `encprops lsp --stdio` over JSON-RPC, as any editor's client drives it: the bundled CLI (dist/, built by `npm test`
 * before the unit tests) in its own process, a client of our own on its stdio (test/support/lspClient.ts), and the
 * local Secrets Manager for Verify. Checks the wire too: nothing on stdout but framed messages.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { localAws, runCli } from '../support/cli';
import { LspClient, LspDiagnostic } from '../support/lspClient';
import { productFileBraces, productFileGlobs } from '../../src/core/model/filePatterns';
import { CONTAINER_FILE_FORMS } from '../../src/core/model/containers';
import { PRODUCT_FILE_NAMES } from '../../src/core/model/products';
import { TEMPLATE_SUFFIXES } from '../../src/core/templates/template';

const AWS = 'encrypted-property.cipher.classname=com.atlassian.secrets.store.aws.AwsSecretsManagerStore\n';
const CANARY = `canary-lsp-${Date.now()}-${Math.random().toString(36).slice(2)}`;

type Diagnostic = LspDiagnostic;

const SEVERITY = ['', 'error', 'warning', 'info', 'hint'];

/** A client that has said initialize and initialized, with the given settings answered to workspace/configuration. */
async function started(settings: Record<string, unknown> = {}): Promise<LspClient> {
  const client = new LspClient();
  client.handlers.set('workspace/configuration', (params) => (params as { items: unknown[] }).items.map(() => settings));
  await client.request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } }, window: { showMessage: {} } },
  });
  client.notify('initialized', {});
  return client;
}

function open(client: LspClient, file: string, text = fs.readFileSync(file, 'utf8'), languageId = 'properties'): string {
  const uri = pathToFileURL(file).href;
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  return uri;
}

describe('language server (encprops lsp --stdio, JSON-RPC)', function () {
  this.timeout(60_000);
  const aws = localAws('encprops-lsp-');
  let client: LspClient | undefined;

  before(() => {
    aws.server.seed({ name: 'bitbucket/db', secretString: JSON.stringify({ password: CANARY }) });
  });

  afterEach(() => {
    if (client && client.child.exitCode === null) client.child.kill();
    client = undefined;
  });

  function write(name: string, text: string): string {
    const file = path.join(aws.dir(), name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  }

  it('answers initialize with its capabilities, and shuts down and exits cleanly with nothing but the protocol on stdout', async () => {
    client = await started();
    const init = client.received.find((m) => m.id === 1)!.result as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
    assert.strictEqual(init.serverInfo.name, 'encprops');
    assert.deepStrictEqual(Object.keys(init.capabilities).sort(), [
      'codeActionProvider',
      'codeLensProvider',
      'completionProvider',
      'executeCommandProvider',
      'hoverProvider',
      'textDocumentSync',
    ]);
    assert.strictEqual(await client.shutdown(), 0);
    assert.strictEqual(client.garbage, '');
  });

  it('publishes the diagnostics of `check` for every kind of file: same codes, severities, messages and ranges', async () => {
    const files = [
      write('a/bitbucket.properties', `${AWS}jdbc.password={ENC}{"regoin":"ap-southeast-2","secretId":"x"}\nplugin.x=1\nplugin.x=2\n`),
      write(
        'b/dbconfig.xml',
        '<?xml version="1.0" encoding="UTF-8"?>\n<jira-database-config>\n  <jdbc-datasource>\n    <password>{ENC}{"region":"ap-southeast-2","secretId":"x"}</password>\n  </jdbc-datasource>\n</jira-database-config>\n',
      ),
      write('c/bitbucket.properties.j2', `${AWS}jdbc.password={ENC}{"region":"{{ aws_region }}","secretID":"x"}\n`),
      write('d/docker-compose.yml', 'services:\n  bitbucket:\n    image: atlassian/bitbucket:9.4\n    environment:\n      JDBC_PASSWORD: "S3cret!"\n'),
    ];
    client = await started();
    for (const file of files) {
      const uri = open(client, file);
      const published = await client.diagnostics(uri, 1);
      const cli = await runCli(['check', '--format', 'json', file]);
      const expected = (JSON.parse(cli.stdout) as { files: Array<{ diagnostics: Array<Record<string, unknown>> }> }).files[0].diagnostics;
      assert.ok(expected.length > 0, `${file}: the fixture should have findings`);
      const got = published.diagnostics.map((d) => ({
        code: d.code,
        severity: SEVERITY[d.severity],
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        message: d.message,
      }));
      assert.deepStrictEqual(got, expected, path.basename(file));
      for (const d of published.diagnostics) {
        assert.strictEqual(d.source, 'Encrypted Properties');
        // Each code links to its row of the README shipped beside the server.
        assert.match(d.codeDescription?.href ?? '', new RegExp(`^file:///.*/README\\.md#${d.code}$`));
      }
    }
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    assert.ok(readme.includes('<a id="aws-unknown-key"></a>'), 'the README has an anchor for each code');
  });

  it('re-validates on change and clears on close', async () => {
    const file = write('e/bitbucket.properties', `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"x","secretPointer":"password"}\n`);
    client = await started();
    const uri = open(client, file);
    assert.ok((await client.diagnostics(uri, 1)).diagnostics.length > 0);
    const line = 1;
    const text = fs.readFileSync(file, 'utf8').split('\n')[line];
    const at = text.indexOf('"password"');
    client.notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line, character: at + 1 }, end: { line, character: at + 1 } }, text: '/' }],
    });
    assert.deepStrictEqual((await client.diagnostics(uri, 2)).diagnostics, []);
    const before = client.received.length;
    client.notify('textDocument/didClose', { textDocument: { uri } });
    const closed = await client.diagnostics(uri, undefined, before);
    assert.deepStrictEqual(closed.diagnostics, []);
  });

  it('offers the quick fixes and fix-all of the core, which leave a clean file', async () => {
    const text = `${AWS}jdbc.password={ENC}{"regoin":"ap-southeast-2","secretId":"x","secretPointer":"password"}\n`;
    const file = write('f/bitbucket.properties', text);
    client = await started();
    const uri = open(client, file);
    const { diagnostics } = await client.diagnostics(uri, 1);
    const typo = diagnostics.find((d) => d.code === 'aws-unknown-key')!;
    const actions = await client.request<Array<{ title: string; kind: string; isPreferred: boolean; edit: { changes: Record<string, unknown[]> } }>>(
      'textDocument/codeAction',
      { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } },
    );
    assert.deepStrictEqual(
      actions.map((a) => [a.title, a.kind, a.isPreferred]),
      [['Rename "regoin" to "region"', 'quickfix', true]],
    );
    const fixAll = await client.request<Array<{ title: string; edit: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> } }>>(
      'textDocument/codeAction',
      { textDocument: { uri }, range: typo.range, context: { diagnostics: [], only: ['source.fixAll'] } },
    );
    assert.strictEqual(fixAll.length, 1);
    const edits = fixAll[0].edit.changes[uri];
    assert.ok(edits.length >= 2, 'both findings fixed at once');
    // Applied from the end, as a client does: the file is then clean for the server too.
    const lines = text.split('\n');
    for (const e of [...edits].sort((a, b) => b.range.start.character - a.range.start.character)) {
      assert.strictEqual(e.range.start.line, 1);
      lines[1] = lines[1].slice(0, e.range.start.character) + e.newText + lines[1].slice(e.range.end.character);
    }
    client.notify('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: lines.join('\n') }] });
    assert.deepStrictEqual((await client.diagnostics(uri, 2)).diagnostics, []);
  });

  it('answers hover and completion from the core', async () => {
    const file = write('g/bitbucket.properties', `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"x",}\n`);
    client = await started();
    const uri = open(client, file);
    await client.diagnostics(uri, 1);
    const hover = await client.request<{ contents: { kind: string; value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 0, character: 60 },
    });
    assert.strictEqual(hover.contents.kind, 'markdown');
    assert.match(hover.contents.value, /AWS Secrets Manager/);
    const at = `jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"x",`.length;
    const items = await client.request<Array<{ label: string; insertTextFormat: number; textEdit: { newText: string } }>>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 1, character: at },
    });
    assert.ok(
      items.some((i) => i.label === 'secretPointer'),
      items.map((i) => i.label).join(','),
    );
    const region = await client.request<Array<{ label: string }>>('textDocument/completion', { textDocument: { uri }, position: { line: 1, character: 31 } });
    assert.ok(region.some((i) => i.label === 'ap-southeast-2'));
  });

  it('sends nothing while verify is off: no lens, and the command says how to turn it on', async () => {
    const file = write(
      'h/bitbucket.properties',
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","secretPointer":"/password"}\n`,
    );
    aws.server.calls.clear();
    client = await started();
    const uri = open(client, file);
    await client.diagnostics(uri, 1);
    assert.deepStrictEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
    const before = client.received.length;
    const answer = await client.request<{ error: string }>('workspace/executeCommand', { command: 'encryptedProperties.verifyFile', arguments: [uri] });
    assert.match(answer.error, /encryptedProperties\.verify\.enable/);
    const shown = await client.next((m) => m.method === 'window/showMessage', before);
    assert.match((shown.params as { message: string }).message, /Verify is off/);
    assert.strictEqual(aws.server.calls.size, 0);
  });

  it('verifies through the shared engine when the settings turn it on: lens, result, verify-* diagnostics, never the value', async () => {
    const file = write(
      'i/bitbucket.properties',
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","secretPointer":"/password"}\nplugin.a.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/missing"}\n`,
    );
    client = await started({ verify: { enable: true } });
    const uri = open(client, file);
    await client.diagnostics(uri, 1);
    const lenses = await client.request<Array<{ command: { title: string; command: string; arguments: unknown[] } }>>('textDocument/codeLens', {
      textDocument: { uri },
    });
    assert.deepStrictEqual(
      lenses.map((l) => l.command.title),
      ['Verify secret', 'Verify secret'],
    );
    const before = client.received.length;
    const one = await client.request<{ results: Array<{ key: string; line: number; code: string; message: string }> }>(
      'workspace/executeCommand',
      lenses[0].command,
    );
    assert.deepStrictEqual(
      one.results.map((r) => [r.key, r.line, r.code]),
      [['jdbc.password', 2, 'ok']],
    );
    const all = await client.request<{ results: Array<{ key: string; code: string }> }>('workspace/executeCommand', {
      command: 'encryptedProperties.verifyFile',
      arguments: [uri],
    });
    assert.deepStrictEqual(
      all.results.map((r) => [r.key, r.code]),
      [
        ['jdbc.password', 'ok'],
        ['plugin.a.password', 'not-found'],
      ],
    );
    const published = await client.next(
      (m) =>
        m.method === 'textDocument/publishDiagnostics' &&
        ((m.params as { diagnostics: Diagnostic[] }).diagnostics ?? []).some((d) => d.code === 'verify-not-found'),
      before,
    );
    const failure = (published.params as { diagnostics: Diagnostic[] }).diagnostics.find((d) => d.code === 'verify-not-found')!;
    assert.strictEqual(failure.range.start.line, 2);
    assert.strictEqual(SEVERITY[failure.severity], 'error');
    const titles = (await client.request<Array<{ command: { title: string } }>>('textDocument/codeLens', { textDocument: { uri } })).map(
      (l) => l.command.title,
    );
    assert.match(titles[0], /^Resolved · key\/value · \/password · \d\d:\d\d$/);
    assert.match(titles[1], /^Not found in ap-southeast-2/);
    const hover = await client.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 40 } });
    assert.match(hover.contents.value, /Last verify/);
    assert.ok(aws.server.calls.get('GetSecretValue')! >= 3);
    assert.strictEqual(await client.shutdown(), 0);
    assert.ok(!client.transcript().includes(CANARY), 'the secret value never leaves the server');
    assert.strictEqual(client.garbage, '');
  });

  it("completes a secretId with the region's secret names when verify is on (never values), and lists nothing while it is off", async () => {
    const text = `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bi"}\n`;
    const at = { line: 1, character: text.split('\n')[1].indexOf('"bi"') + 2 };
    for (const enable of [false, true]) {
      const file = write(`names-${enable}/bitbucket.properties`, text);
      client = await started({ verify: { enable } });
      const uri = open(client, file);
      await client.diagnostics(uri, 1);
      aws.server.calls.clear();
      const items = await client.request<Array<{ label: string; textEdit: { newText: string } }>>('textDocument/completion', {
        textDocument: { uri },
        position: at,
      });
      const labels = items.map((i) => i.label);
      if (enable) {
        assert.ok(labels.includes('bitbucket/db'), labels.join(' | '));
        assert.strictEqual(items.find((i) => i.label === 'bitbucket/db')!.textEdit.newText, '"bitbucket/db"');
        assert.ok(!client.transcript().includes(CANARY));
      } else {
        assert.ok(!labels.includes('bitbucket/db'));
        assert.strictEqual(aws.server.calls.size, 0, 'nothing is sent while verify is off');
      }
      await client.shutdown();
    }
  });

  it('asks before sending credentials to an endpoint no setting allows, and sends nothing when declined', async () => {
    const file = write(
      'j/bitbucket.properties',
      `${AWS}jdbc.password={ENC}{"region":"ap-southeast-2","secretId":"bitbucket/db","endpointOverride":"${aws.server.endpoint}"}\n`,
    );
    aws.server.calls.clear();
    client = await started({ verify: { enable: true } });
    const asked: string[] = [];
    client.handlers.set('window/showMessageRequest', (params) => {
      asked.push((params as { message: string }).message);
      return { title: 'Cancel' };
    });
    const uri = open(client, file);
    await client.diagnostics(uri, 1);
    const answer = await client.request<{ results: Array<{ code: string }> }>('workspace/executeCommand', {
      command: 'encryptedProperties.verifyFile',
      arguments: [uri],
    });
    assert.deepStrictEqual(
      answer.results.map((r) => r.code),
      ['endpoint-declined'],
    );
    assert.strictEqual(asked.length, 1);
    assert.match(asked[0], /signed AWS requests to http:\/\/127\.0\.0\.1:\d+/);
    assert.strictEqual(aws.server.calls.get('GetSecretValue'), undefined);
    // Allowed by the settings: sent without asking.
    client.handlers.set('workspace/configuration', () => [{ verify: { enable: true }, aws: { allowedEndpointHosts: [new URL(aws.server.endpoint).host] } }]);
    const pulled = client.received.length;
    client.notify('workspace/didChangeConfiguration', { settings: null });
    await client.next((m) => m.method === 'workspace/configuration', pulled);
    const allowed = await client.request<{ results: Array<{ code: string }> }>('workspace/executeCommand', {
      command: 'encryptedProperties.verifyFile',
      arguments: [uri],
    });
    assert.deepStrictEqual(
      allowed.results.map((r) => r.code),
      ['ok'],
    );
    assert.strictEqual(asked.length, 1);
  });

  it('refuses transports other than stdio with a usage error', async () => {
    const { code, stderr } = await runCli(['lsp']);
    assert.strictEqual(code, 2);
    assert.match(stderr, /lsp needs --stdio/);
  });
});

describe("the README's language server set-up", () => {
  it('lists the file patterns of the model (core/model/filePatterns)', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- lsp-file-patterns -->');
    assert.ok(start > 0);
    const block = readme.slice(readme.indexOf('```text\n', start) + 8, readme.indexOf('\n```', start + 30));
    assert.deepStrictEqual(block.split('\n'), [productFileBraces(), [...new Set(CONTAINER_FILE_FORMS.flatMap((f) => f.globs))].join(' ')]);
    // The brace form names exactly the product files and templates of the glob list.
    const expanded = PRODUCT_FILE_NAMES.flatMap((n) => ['', ...Object.keys(TEMPLATE_SUFFIXES)].map((s) => (s ? `*${n}${s}` : n)));
    assert.deepStrictEqual(
      productFileGlobs()
        .filter((g) => !CONTAINER_FILE_FORMS.some((f) => f.globs.includes(g)))
        .sort(),
      expanded.sort(),
    );
  });
});
