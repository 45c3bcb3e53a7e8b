/**
 * The engine-backed half of the language server: everything after `initialize` (workspace indexing, document
 * sync into the engine, diagnostics, editor features and the custom requests). server.ts answers `initialize`
 * without the engine and loads this module when the client says `initialized`, which by the protocol comes
 * before any other message; every answer here comes from the engine.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  FileChangeType,
  type CodeAction,
  type Connection,
  type InitializeParams,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { createEngine, toPath } from '../engine';
import { registerCoverageHandlers } from '../handlers/coverage';
import { registerKyvernoTestHandlers } from '../handlers/kyvernoTests';
import { FIX_ALL_KIND } from './capabilities';
import { toCompletion, toDiagnostic, toHover, toInlayHint, toSymbol } from './convert';
import { trustHandedOverCertificates } from './extraCertificates';
import { settingsToConfig, type InitializationOptions } from './settings';

/**
 * Builds the engine from the `initialize` parameters, registers every handler on the connection and starts
 * indexing the workspace. Documents the client opened before this ran are taken over.
 */
export function startSession(connection: Connection, documents: TextDocuments<TextDocument>, params: InitializeParams): void {
  trustHandedOverCertificates();
  const init = (params.initializationOptions ?? {}) as InitializationOptions;
  const hasConfigurationCapability = Boolean(params.capabilities.workspace?.configuration);
  const engine = createEngine({ trusted: init.trusted !== false, settings: withExcludes(settingsToConfig(init.settings)), cacheDir: init.cacheDir });
  let roots = (params.workspaceFolders ?? []).map((f) => toPath(f.uri)).filter((p): p is string => Boolean(p));
  if (!roots.length && params.rootUri) {
    const p = toPath(params.rootUri);
    if (p) roots = [p];
  }
  const published = new Set<string>();
  let indexing: Promise<void> = Promise.resolve();

  function withExcludes(config: ReturnType<typeof settingsToConfig>) {
    const extra = init.filesExclude ?? [];
    return extra.length ? { ...config, exclude: [...(config.exclude ?? []), ...extra] } : config;
  }

  async function pullSettings(): Promise<void> {
    if (!hasConfigurationCapability) return;
    const raw = await connection.workspace.getConfiguration('controlLens');
    engine.updateSettings(withExcludes(settingsToConfig(raw)));
  }


  async function indexWorkspace(): Promise<void> {
    await pullSettings().catch(() => undefined);
    if (!roots.length) return;
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin('Control Lens', 0, 'Indexing workspace', true);
    let cancelled = false;
    progress?.token.onCancellationRequested(() => (cancelled = true));
    try {
      await engine.indexFolders(
        roots,
        ({ done, total }) => progress?.report(total ? Math.round((done / total) * 100) : 100, `${done}/${total} files`),
        { isCancelled: () => cancelled },
        { releaseSyntax: true },
      );
      // Open editors hold newer text than the disk.
      for (const d of documents.all()) engine.setText(d.uri, d.getText(), d.version);
    } finally {
      progress?.done();
    }
    await engine.fetchRemoteCatalogs();
    await republishAll();
  }

  // Diagnostics for the document being typed in go out at once; the rest of the workspace follows in batches.
  const pending = new Map<string, NodeJS.Immediate>();
  function publishSoon(uri: string): void {
    const existing = pending.get(uri);
    if (existing) clearImmediate(existing);
    pending.set(
      uri,
      setImmediate(() => {
        pending.delete(uri);
        publish(uri);
      }),
    );
  }

  // The engine hands back the same array while a file's findings are cached; sending it again would only
  // make the editor redraw, and across thousands of files after every keystroke that adds up.
  const lastSent = new Map<string, { findings: unknown; version: number | undefined }>();
  function publish(uri: string): void {
    const all = engine.diagnostics(uri);
    const doc = documents.get(uri);
    const previous = lastSent.get(uri);
    if (previous && previous.findings === all && previous.version === doc?.version) return;
    lastSent.set(uri, { findings: all, version: doc?.version });
    // The trees of files no editor shows are read again when they are next analysed; keep only the values.
    if (!doc) engine.releaseSyntax(uri);
    const findings = all.filter((f) => !f.suppressed);
    if (findings.length === 0 && !published.has(uri)) return;
    void connection.sendDiagnostics({ uri, version: doc?.version, diagnostics: findings.map(toDiagnostic) });
    if (findings.length) published.add(uri);
    else published.delete(uri);
  }

  let republishGeneration = 0;
  async function republishAll(): Promise<void> {
    const generation = ++republishGeneration;
    const open = documents.all().map((d) => d.uri);
    const rest = engine.workspace.uris().filter((u) => !open.includes(u));
    const batch = [...open, ...rest];
    for (let i = 0; i < batch.length; i++) {
      if (generation !== republishGeneration) return;
      publish(batch[i]);
      if (i % 100 === 99) await new Promise((r) => setImmediate(r));
    }
    for (const uri of [...published]) if (!engine.workspace.has(uri)) publish(uri);
  }

  let republishTimer: NodeJS.Timeout | undefined;
  function republishLater(): void {
    if (republishTimer) clearTimeout(republishTimer);
    republishTimer = setTimeout(() => void republishAll(), 250);
  }

  documents.onDidChangeContent((e) => {
    const before = engine.workspace.get(e.document.uri)?.families;
    const entry = engine.setText(e.document.uri, e.document.getText(), e.document.version);
    publishSoon(e.document.uri);
    // A change to a policy, a namespace or a catalog can change other files' findings.
    const families = new Set([...(before ?? []), ...entry.families]);
    if ([...families].some((f) => f !== 'none')) republishLater();
  });

  documents.onDidClose((e) => {
    // The editor's text is gone; the file on disk (if any) is the truth again.
    // An untitled buffer, or a file deleted while open, leaves nothing behind.
    const uri = e.document.uri;
    const path = toPath(uri);
    void (path ? engine.loadFile(path) : Promise.resolve(undefined)).then((loaded) => {
      if (!loaded) engine.remove(uri);
      publishSoon(uri);
    });
  });

  connection.onDidChangeWatchedFiles(async (params) => {
    for (const change of params.changes) {
      if (documents.get(change.uri)) continue;
      const path = toPath(change.uri);
      if (change.type === FileChangeType.Deleted) engine.remove(change.uri);
      else if (path) await engine.loadFile(path);
    }
    republishLater();
  });

  connection.onDidChangeConfiguration(async () => {
    await pullSettings().catch(() => undefined);
    await engine.fetchRemoteCatalogs();
    await republishAll();
  });

  connection.onNotification('controlLens/trustChanged', async (params: { trusted: boolean }) => {
    engine.setTrusted(Boolean(params?.trusted));
    await engine.fetchRemoteCatalogs();
    await republishAll();
  });

  connection.onHover((params) => {
    const h = engine.hover(params.textDocument.uri, params.position);
    return h ? toHover(h) : null;
  });

  connection.onCompletion((params) => engine.completion(params.textDocument.uri, params.position).map(toCompletion));
  connection.onDefinition((params) => engine.definition(params.textDocument.uri, params.position));
  connection.onReferences((params) => engine.references(params.textDocument.uri, params.position));
  connection.onDocumentSymbol((params) => engine.symbols(params.textDocument.uri).map(toSymbol));
  connection.languages.inlayHint.on((params) => engine.inlayHints(params.textDocument.uri, params.range).map(toInlayHint));
  connection.onCodeLens((params) =>
    engine.codeLenses(params.textDocument.uri).map((l) => ({ range: l.range, command: { title: l.title, command: l.command, arguments: l.arguments } })),
  );

  connection.onCodeAction((params) => {
    const uri = params.textDocument.uri;
    const only = params.context.only;
    const actions: CodeAction[] = [];
    const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k) || k.startsWith(CodeActionKind.SourceFixAll));
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(`${k}.`));
    for (const { finding, fix } of engine.codeActions(uri, params.range)) {
      const kind = finding ? CodeActionKind.QuickFix : CodeActionKind.Refactor;
      if (!wants(kind)) continue;
      actions.push({
        title: fix.title,
        kind,
        diagnostics: finding ? [toDiagnostic(finding)] : undefined,
        isPreferred: fix.isPreferred,
        edit: { documentChanges: [{ textDocument: { uri, version: documents.get(uri)?.version ?? null }, edits: fix.edits }] },
      });
    }
    if (wantsFixAll) {
      const edits = engine.fixAll(uri);
      if (edits.length) {
        actions.push({
          title: 'Fix all safe Control Lens findings',
          kind: FIX_ALL_KIND,
          edit: { documentChanges: [{ textDocument: { uri, version: documents.get(uri)?.version ?? null }, edits }] },
        });
      }
    }
    return actions;
  });

  connection.onRequest('controlLens/status', async () => {
    await indexing;
    return { files: engine.workspace.size, trusted: engine.isTrusted, roots, pid: process.pid };
  });

  registerCoverageHandlers(connection, () => engine, { ready: () => indexing, roots: () => roots });
  registerKyvernoTestHandlers(connection, () => engine);

  for (const d of documents.all()) {
    engine.setText(d.uri, d.getText(), d.version);
    publishSoon(d.uri);
  }
  if (hasConfigurationCapability) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'controlLens' });
  indexing = indexWorkspace();
}
