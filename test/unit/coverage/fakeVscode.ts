/**
 * Just enough of the `vscode` module for the coverage view to run in node: commands, a tree view that records
 * reveals, a status bar item, quick picks answered by the test. Not a VS Code test: it checks our wiring
 * (which request goes out, what the tree and status bar get), the integration suite checks the real thing.
 */
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  event = (l: Listener<T>) => {
    this.listeners.push(l);
    return { dispose: () => (this.listeners = this.listeners.filter((x) => x !== l)) };
  };
  fire(e: T): void {
    for (const l of this.listeners) l(e);
  }
  dispose(): void {}
}

export interface FakeVscode {
  module: Record<string, unknown>;
  commands: Map<string, (...args: unknown[]) => unknown>;
  executed: { command: string; args: unknown[] }[];
  statusItems: { text: string; tooltip?: string; command?: string; shown: boolean }[];
  treeViews: { id: string; provider: { getChildren(n?: unknown): Promise<unknown[]>; getTreeItem(n: unknown): { label?: unknown; description?: unknown; id?: string } }; revealed: unknown[]; message?: string; description?: string }[];
  quickPickAnswers: ((items: { label: string }[]) => unknown)[];
  inputAnswers: (string | undefined)[];
  openedDocuments: { content: string; language: string }[];
  infoMessages: string[];
  fireDiagnosticsChanged(): void;
}

export function installFakeVscode(): FakeVscode {
  const commands = new Map<string, (...args: unknown[]) => unknown>();
  const fake: FakeVscode = {
    module: {},
    commands,
    executed: [],
    statusItems: [],
    treeViews: [],
    quickPickAnswers: [],
    inputAnswers: [],
    openedDocuments: [],
    infoMessages: [],
    fireDiagnosticsChanged: () => diagnosticsChanged.fire(undefined),
  };
  const diagnosticsChanged = new EventEmitter<unknown>();
  const disposable = { dispose() {} };
  const event = () => disposable;
  class ThemeIcon {
    constructor(
      readonly id: string,
      readonly color?: unknown,
    ) {}
  }
  class ThemeColor {
    constructor(readonly id: string) {}
  }
  class TreeItem {
    id?: string;
    description?: string;
    constructor(
      readonly label: string,
      readonly collapsibleState: number,
    ) {}
  }
  class CodeActionKind {
    static QuickFix = new CodeActionKind('quickfix');
    static Empty = new CodeActionKind('');
    constructor(readonly value: string) {}
    append(part: string) {
      return new CodeActionKind(`${this.value}.${part}`);
    }
  }
  fake.module = {
    EventEmitter,
    ThemeIcon,
    ThemeColor,
    TreeItem,
    CodeActionKind,
    CodeAction: class {
      command?: unknown;
      constructor(
        readonly title: string,
        readonly kind: unknown,
      ) {}
    },
    Range: class {
      constructor(...a: number[]) {
        Object.assign(this, { a });
      }
    },
    Uri: { parse: (s: string) => ({ toString: () => s, path: s }), joinPath: (_u: unknown, ...p: string[]) => ({ path: p.join('/') }) },
    TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
    StatusBarAlignment: { Left: 1, Right: 2 },
    ViewColumn: { Active: -1 },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        commands.set(id, fn);
        return disposable;
      },
      executeCommand: async (command: string, ...args: unknown[]) => {
        fake.executed.push({ command, args });
        return commands.get(command)?.(...args);
      },
    },
    window: {
      createTreeView: (id: string, options: { treeDataProvider: FakeVscode['treeViews'][number]['provider'] }) => {
        const view = {
          id,
          provider: options.treeDataProvider,
          revealed: [] as unknown[],
          message: undefined as string | undefined,
          description: undefined as string | undefined,
          reveal: async (node: unknown) => void view.revealed.push(node),
          onDidChangeVisibility: event,
          dispose() {},
        };
        fake.treeViews.push(view);
        return view;
      },
      createStatusBarItem: () => {
        const item = { text: '', tooltip: undefined as string | undefined, command: undefined as string | undefined, name: '', shown: false, show() { item.shown = true; }, hide() { item.shown = false; }, dispose() {} };
        fake.statusItems.push(item);
        return item;
      },
      withProgress: async (_o: unknown, task: () => Promise<unknown>) => task(),
      showQuickPick: async (items: { label: string }[]) => fake.quickPickAnswers.shift()?.(items),
      showInputBox: async () => fake.inputAnswers.shift(),
      showInformationMessage: async (m: string) => void fake.infoMessages.push(m),
      showTextDocument: async () => undefined,
      activeTextEditor: undefined,
      createWebviewPanel: () => {
        throw new Error('not in this fake');
      },
    },
    workspace: {
      onDidChangeTextDocument: event,
      onDidChangeConfiguration: event,
      onDidChangeWorkspaceFolders: event,
      openTextDocument: async (d: { content: string; language: string }) => {
        fake.openedDocuments.push(d);
        return d;
      },
      asRelativePath: (u: { path: string }) => u.path,
    },
    languages: {
      registerCodeActionsProvider: () => disposable,
      registerHoverProvider: () => disposable,
      onDidChangeDiagnostics: diagnosticsChanged.event,
    },
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === 'vscode') return fake.module;
    return original.call(this, request, ...rest);
  };
  return fake;
}
