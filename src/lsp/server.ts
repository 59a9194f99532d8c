/**
 * `encprops lsp --stdio`: the Language Server Protocol over stdio, for every editor that speaks it (Neovim, Helix,
 * Emacs, Sublime Text, JetBrains IDEs). Diagnostics, hover, completion, quick fixes, fix-all and Verify lenses from
 * the same core as the VS Code extension and the CLI. Nothing but the protocol on stdout; logs go to the client
 * (window/logMessage).
 */
import {
  CancellationToken,
  Connection,
  createConnection,
  DidChangeConfigurationNotification,
  ExecuteCommandParams,
  InitializeParams,
  InitializeResult,
  MessageType,
  ShowMessageNotification,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type * as AwsModule from '../aws';
import { outcomeProblems } from '../core/verify/outcomeProblems';
import { VerifyOutcome } from '../core/verify/outcome';
import { timeOf } from '../core/verify/labels';
import { AnalysisStore, Analyzed } from './documents';
import { toDiagnostic, toRange } from './convert';
import { codeActions, codeLenses, completion, FIX_ALL_KIND, hover, VERIFY_COMMAND, VERIFY_FILE_COMMAND } from './features';
import { DEFAULT_SETTINGS, parseSettings, ServerSettings } from './settings';
import { identified, Identified, VerifyResults } from './verify';
import { SecretName, SecretNameCache } from '../core/verify/secretNames';

export interface ServerOptions {
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  readonly loadAws: () => typeof AwsModule;
  readonly version: string;
  /** A full garbage collection, when the process offers one (`encprops lsp` does). */
  readonly collect?: () => void;
}

/** One row of the answer to a verify command (the client may show it; it never holds a value). */
export interface VerifyCommandRow {
  readonly key: string;
  /** One-based, as `encprops verify` prints it. */
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

class Server {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly analyses = new AnalysisStore();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly results: VerifyResults;
  private settings: Promise<ServerSettings> = Promise.resolve(DEFAULT_SETTINGS);
  private pullsConfiguration = false;
  private initializationOptions: unknown;
  private refreshesLenses = false;

  constructor(
    private readonly connection: Connection,
    private readonly options: ServerOptions,
  ) {
    this.results = new VerifyResults({
      loadAws: options.loadAws,
      consent: async (decision) => {
        const choice = await connection.window.showWarningMessage(
          `The file sends ${decision.what} to ${decision.endpoint}, which no setting allows. Send them there once? (To always allow it: encryptedProperties.aws.allowedEndpointHosts)`,
          { title: 'Send once' },
          { title: 'Cancel' },
        );
        return choice?.title === 'Send once';
      },
      log: (level, message) => this.log(level, message),
    });
  }

  private log(level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string): void {
    if (level === 'error') this.connection.console.error(message);
    else if (level === 'warn') this.connection.console.warn(message);
    else if (level === 'info') this.connection.console.info(message);
    else this.connection.console.log(message);
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => {
      if (this.pullsConfiguration) void c.client.register(DidChangeConfigurationNotification.type, { section: 'encryptedProperties' }).catch(() => undefined);
    });
    c.onDidChangeConfiguration((change) => {
      this.settings = this.loadSettings(change.settings);
      for (const document of this.documents.all()) this.validate(document);
      if (this.refreshesLenses) void c.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    });
    this.documents.onDidOpen((e) => this.validate(e.document));
    this.documents.onDidChangeContent((e) => this.schedule(e.document));
    this.documents.onDidClose((e) => {
      clearTimeout(this.timers.get(e.document.uri));
      this.timers.delete(e.document.uri);
      this.analyses.delete(e.document.uri);
      this.results.forget(e.document.uri);
      void c.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    });
    c.onHover(async (p) => this.withDocument(p.textDocument.uri, (d, a) => hover(a, d.offsetAt(p.position), (i) => this.results.get(d.uri, i), identified(a))));
    c.onCompletion(async (p) => {
      const settings = await this.settings;
      const list = settings.verifyEnable ? (region: string) => this.secretNames(region, settings) : undefined;
      return (await this.withDocument(p.textDocument.uri, (d, a) => completion(a, d.offsetAt(p.position), list))) ?? [];
    });
    c.onCodeAction(async (p) => this.withDocument(p.textDocument.uri, (_d, a) => codeActions(a, p)) ?? []);
    c.onCodeLens(async (p) => {
      const settings = await this.settings;
      if (!settings.verifyEnable) return [];
      return this.withDocument(p.textDocument.uri, (d, a) => codeLenses(a, d.uri, identified(a), (i) => this.results.get(d.uri, i))) ?? [];
    });
    c.onExecuteCommand((p, token) => this.execute(p, token));
    c.onShutdown(() => {
      clearTimeout(this.idle);
      this.results.cancelAll();
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.pullsConfiguration = params.capabilities.workspace?.configuration === true;
    this.refreshesLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    this.initializationOptions = params.initializationOptions;
    this.settings = this.loadSettings(undefined);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', '=', ':', '{'] },
        codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [VERIFY_COMMAND, VERIFY_FILE_COMMAND] },
      },
      serverInfo: { name: 'encprops', version: this.options.version },
    };
  }

  private readonly names = new SecretNameCache((message) => this.log('warn', message));

  /** A region's secret names (never values, the first 100) with the settings' profile: see SecretNameCache. */
  private secretNames(region: string, settings: ServerSettings): Promise<SecretName[]> {
    return this.names.list(
      settings.awsProfile,
      region,
      () => new (this.options.loadAws().SecretsVerifier)({ profile: settings.awsProfile, requestTimeoutMs: settings.requestTimeoutMs }),
    );
  }

  /** The settings: pulled from the client when it can answer, else what it pushed, else initializationOptions. */
  private async loadSettings(pushed: unknown): Promise<ServerSettings> {
    const section = (tree: unknown) =>
      tree && typeof tree === 'object' && 'encryptedProperties' in tree ? (tree as Record<string, unknown>).encryptedProperties : tree;
    if (this.pullsConfiguration) {
      try {
        return parseSettings(await this.connection.workspace.getConfiguration('encryptedProperties'));
      } catch (error) {
        this.log('warn', `workspace/configuration failed (${(error as Error).message}); using the pushed settings`);
      }
    }
    return parseSettings(section(pushed ?? this.initializationOptions));
  }

  private async withDocument<T>(uri: string, fn: (document: TextDocument, analyzed: Analyzed) => T): Promise<T | undefined> {
    const document = this.documents.get(uri);
    if (!document) return undefined;
    const settings = await this.settings;
    return fn(document, this.analyses.get(document, settings.associations));
  }

  private schedule(document: TextDocument): void {
    const uri = document.uri;
    clearTimeout(this.timers.get(uri));
    void this.settings.then((settings) => {
      clearTimeout(this.timers.get(uri));
      this.timers.set(
        uri,
        setTimeout(() => {
          this.timers.delete(uri);
          const current = this.documents.get(uri);
          if (current) this.validate(current);
        }, settings.debounceMs),
      );
    });
  }

  private validate(document: TextDocument): void {
    void this.publish(document.uri);
    this.whenIdle();
  }

  private idle: NodeJS.Timeout | undefined;

  /**
   * After a burst of analyses (an editor opening a hundred files) and a second of quiet, one full collection gives
   * back what the burst took, instead of V8 keeping it until its memory reducer runs many seconds later.
   */
  private whenIdle(): void {
    if (!this.options.collect) return;
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.options.collect?.(), 1000);
    this.idle.unref();
  }

  /** The analysis's findings and the stored verify results that still match the text, as one diagnostics list. */
  private async publish(uri: string): Promise<void> {
    const settings = await this.settings;
    const document = this.documents.get(uri);
    if (!document) return;
    const analyzed = this.analyses.get(document, settings.associations);
    const { analysis, lines } = analyzed;
    const diagnostics = settings.validateEnable ? analysis.findings.map((f) => toDiagnostic(f, toRange(lines, f.start, f.end), lines, uri)) : [];
    for (const item of identified(analyzed)) {
      const outcome = this.results.get(uri, item);
      if (!outcome) continue;
      const range = toRange(lines, item.reference.span.start, item.reference.span.end);
      for (const problem of outcomeProblems(outcome, timeOf(outcome.checkedAt))) diagnostics.push(toDiagnostic(problem, range, lines, uri));
    }
    await this.connection.sendDiagnostics({ uri, version: document.version, diagnostics });
  }

  private async execute(params: ExecuteCommandParams, token: CancellationToken): Promise<{ results: VerifyCommandRow[] } | { error: string }> {
    const [uri, offset] = (params.arguments ?? []) as [unknown, unknown];
    if (typeof uri !== 'string') return { error: 'The command needs the document URI as its first argument.' };
    const settings = await this.settings;
    if (!settings.verifyEnable) {
      const error = 'Verify is off in this editor: set encryptedProperties.verify.enable to true in the language server settings to resolve secrets from here.';
      this.message(MessageType.Warning, error);
      return { error };
    }
    const document = this.documents.get(uri);
    if (!document) return { error: `${uri} is not open.` };
    const analyzed = this.analyses.get(document, settings.associations);
    const all = identified(analyzed);
    const items = params.command === VERIFY_COMMAND ? all.filter((i) => i.reference.entry.start === offset) : all;
    if (items.length === 0) {
      const error = 'No reference to verify there: it has errors, a template fills it in, or the file changed. Fix the problems first.';
      this.message(MessageType.Warning, error);
      return { error };
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const done = await this.results.verify(document, items, settings, controller.signal);
      await this.publish(uri);
      if (this.refreshesLenses) void this.connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
      const rows = done.map(({ item, outcome }) => row(analyzed, item, outcome));
      this.announce(rows);
      return { results: rows };
    } finally {
      subscription.dispose();
    }
  }

  private announce(rows: readonly VerifyCommandRow[]): void {
    const failed = rows.filter((r) => r.code !== 'ok');
    if (rows.length === 1) {
      const [r] = rows;
      const text = `${r.key}: ${r.message}`;
      this.message(r.code === 'ok' ? MessageType.Info : MessageType.Warning, text);
      return;
    }
    const text = `${rows.length} reference(s): ${rows.length - failed.length} resolved, ${failed.length} failed${failed.length ? ` (${failed.map((r) => `${r.key}: ${r.code}`).join('; ')})` : ''}.`;
    this.message(failed.length ? MessageType.Warning : MessageType.Info, text);
  }

  /** A message to show (window/showMessage: a notification, which no client answers or blocks on). */
  private message(type: MessageType, message: string): void {
    void this.connection.sendNotification(ShowMessageNotification.type, { type, message });
  }
}

function row(analyzed: Analyzed, item: Identified, outcome: VerifyOutcome): VerifyCommandRow {
  return { key: item.reference.key, line: analyzed.lines.positionAt(item.reference.entry.start).line + 1, code: outcome.code, message: outcome.message };
}

/** Serves the protocol on the given streams until the client says exit. */
export function startServer(options: ServerOptions): Connection {
  const connection = createConnection(options.input, options.output);
  new Server(connection, options).listen();
  return connection;
}
