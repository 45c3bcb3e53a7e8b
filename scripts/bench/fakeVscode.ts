/**
 * Just enough of the `vscode` module to activate the extension outside VS Code: real events, disposables,
 * configuration defaults and URIs where the language client relies on their behaviour; an inert stub (callable,
 * constructible, every property another stub, never a thenable) for the rest of the API surface.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The top-level names of the `vscode` module, read from its type declarations. */
function apiNames(): string[] {
  const dts = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const names = new Set<string>();
  for (const m of dts.matchAll(/^\t(?:export )?(?:class|enum|namespace|const|let|function) ([A-Za-z_]\w*)/gm)) names.add(m[1]);
  return [...names];
}

type Listener = (e: unknown) => unknown;

function stub(name: string): any {
  const cache = new Map<PropertyKey, unknown>();
  const target = function () {} as unknown as Record<PropertyKey, unknown>;
  return new Proxy(target, {
    get(_t, key) {
      if (key === 'then') return undefined; // awaiting a stub must not hang
      if (key === Symbol.toPrimitive) return () => '';
      if (key === 'prototype') return target.prototype;
      if (key === 'dispose') return () => undefined;
      if (!cache.has(key)) cache.set(key, stub(`${name}.${String(key)}`));
      return cache.get(key);
    },
    set(_t, key, value) {
      cache.set(key, value);
      return true;
    },
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

class Disposable {
  constructor(private readonly callOnDispose: () => unknown = () => undefined) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((i) => i?.dispose?.()));
  }
  dispose(): void {
    this.callOnDispose();
  }
}

class EventEmitter<T> {
  private listeners = new Set<Listener>();
  readonly event = (listener: Listener): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const noEvent = (): Disposable => new Disposable();

class Uri {
  constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query = '',
    readonly fragment = '',
  ) {}
  get fsPath(): string {
    return this.path;
  }
  static file(path: string): Uri {
    return new Uri('file', '', path);
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return base.with({ path: [base.path.replace(/\/$/, ''), ...parts].join('/') });
  }
  static parse(value: string): Uri {
    const u = new URL(value);
    return new Uri(u.protocol.replace(/:$/, ''), u.host, decodeURIComponent(u.pathname), u.search.replace(/^\?/, ''), u.hash.replace(/^#/, ''));
  }
  with(change: Partial<Uri>): Uri {
    return new Uri(change.scheme ?? this.scheme, change.authority ?? this.authority, change.path ?? this.path, change.query ?? this.query, change.fragment ?? this.fragment);
  }
  toString(): string {
    return this.scheme === 'file' ? pathToFileURL(this.path).href : `${this.scheme}://${this.authority}${this.path}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path, query: this.query, fragment: this.fragment };
  }
}

function configuration(): unknown {
  return {
    get: (_key: string, fallback?: unknown) => fallback,
    has: () => false,
    inspect: () => undefined,
    update: async () => undefined,
  };
}

function outputChannel(name: string): unknown {
  const channel = stub(`OutputChannel(${name})`);
  for (const m of ['append', 'appendLine', 'replace', 'clear', 'show', 'hide', 'dispose', 'trace', 'debug', 'info', 'warn', 'error']) channel[m] = () => undefined;
  channel.name = name;
  channel.logLevel = 2;
  channel.onDidChangeLogLevel = noEvent;
  return channel;
}

/** The fake module, plus what the extension registered, for the benchmark to report. */
export function createFakeVscode(): { module: unknown; registeredCommands: string[] } {
  const registeredCommands: string[] = [];
  const trust = new EventEmitter<void>();
  const base: Record<string, unknown> = {
    version: '1.95.0',
    Disposable,
    EventEmitter,
    Uri,
    env: { appName: 'Visual Studio Code (benchmark fake)', language: 'en', machineId: 'bench', sessionId: 'bench', uiKind: 1, openExternal: async () => true },
    workspace: new Proxy(
      {
        isTrusted: true,
        workspaceFolders: undefined,
        textDocuments: [],
        getConfiguration: configuration,
        onDidGrantWorkspaceTrust: trust.event,
        onDidOpenTextDocument: noEvent,
        onDidCloseTextDocument: noEvent,
        onDidChangeTextDocument: noEvent,
        onDidSaveTextDocument: noEvent,
        onWillSaveTextDocument: noEvent,
        onDidChangeConfiguration: noEvent,
        onDidChangeWorkspaceFolders: noEvent,
        onDidCreateFiles: noEvent,
        onDidRenameFiles: noEvent,
        onDidDeleteFiles: noEvent,
        onWillCreateFiles: noEvent,
        onWillRenameFiles: noEvent,
        onWillDeleteFiles: noEvent,
        onDidOpenNotebookDocument: noEvent,
        onDidCloseNotebookDocument: noEvent,
        onDidChangeNotebookDocument: noEvent,
        onDidSaveNotebookDocument: noEvent,
        notebookDocuments: [],
        createFileSystemWatcher: () => ({ onDidCreate: noEvent, onDidChange: noEvent, onDidDelete: noEvent, dispose: () => undefined }),
      } as Record<PropertyKey, unknown>,
      { get: (t, k) => (k in t ? t[k] : stub(`workspace.${String(k)}`)) },
    ),
    window: new Proxy(
      {
        createOutputChannel: outputChannel,
        visibleTextEditors: [],
        activeTextEditor: undefined,
        onDidChangeVisibleTextEditors: noEvent,
        onDidChangeActiveTextEditor: noEvent,
        showErrorMessage: async () => undefined,
        showWarningMessage: async () => undefined,
        showInformationMessage: async () => undefined,
      } as Record<PropertyKey, unknown>,
      { get: (t, k) => (k in t ? t[k] : stub(`window.${String(k)}`)) },
    ),
    commands: new Proxy(
      {
        registerCommand: (id: string) => {
          registeredCommands.push(id);
          return new Disposable();
        },
        executeCommand: async () => undefined,
      } as Record<PropertyKey, unknown>,
      { get: (t, k) => (k in t ? t[k] : stub(`commands.${String(k)}`)) },
    ),
    languages: new Proxy({ match: () => 0 } as Record<PropertyKey, unknown>, {
      get: (t, k) => (k in t ? t[k] : typeof k === 'string' && k.startsWith('onDid') ? noEvent : (stub(`languages.${String(k)}`) as unknown)),
    }),
  };
  // Bundlers copy the module's own keys (esbuild's __toESM), so every name of the API must be a real key.
  for (const name of apiNames()) if (!(name in base)) base[name] = stub(`vscode.${name}`);
  const module = new Proxy(base, { get: (t, k) => (k in t ? t[k as string] : stub(`vscode.${String(k)}`)) });
  return { module, registeredCommands };
}
