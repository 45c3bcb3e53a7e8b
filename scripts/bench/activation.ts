/**
 * Activation time: from requiring dist/extension.js (with the fake `vscode` module of fakeVscode.ts injected
 * through node's module loader) to activate() resolving, which happens once the language client has started:
 * the real server forked over IPC, initialize answered and initialized sent. VS Code's own work (loading the
 * extension host, reading package.json) is not in the figure.
 */
import { rmSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFakeVscode } from './fakeVscode';
import { REPO_ROOT } from './lsp';
import { round, summarize, type LatencySummary } from './stats';

interface ModuleInternals {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

export interface ActivationResult {
  runs: number;
  requireMs: number[];
  activateMs: number[];
  total: LatencySummary;
  targetMs: number;
  registeredCommands: string[];
  measured: string;
}

export async function measureActivation(runs: number): Promise<ActivationResult> {
  const internals = Module as unknown as ModuleInternals;
  const originalLoad = internals._load;
  const extensionPath = join(REPO_ROOT, 'dist', 'extension.js');
  const requireMs: number[] = [];
  const activateMs: number[] = [];
  const totals: number[] = [];
  let registeredCommands: string[] = [];
  // The extension's storage (the server's code cache) lasts the benchmark run: the first run starts without one.
  const storage = join(tmpdir(), `control-lens-bench-storage-${process.pid}`);
  for (let i = 0; i < runs; i++) {
    const fake = createFakeVscode();
    internals._load = function (request, parent, isMain) {
      if (request === 'vscode') return fake.module;
      return originalLoad.call(this, request, parent, isMain);
    };
    // A fresh copy every run: what a cold extension host loads.
    for (const key of Object.keys(require.cache)) if (key === extensionPath) delete require.cache[key];
    const subscriptions: { dispose(): unknown }[] = [];
    const context = {
      subscriptions,
      extensionPath: REPO_ROOT,
      asAbsolutePath: (rel: string) => join(REPO_ROOT, rel),
      extensionUri: fake.module && (fake.module as { Uri: { file(p: string): unknown } }).Uri.file(REPO_ROOT),
      globalState: { get: () => undefined, update: async () => undefined, keys: () => [] },
      workspaceState: { get: () => undefined, update: async () => undefined, keys: () => [] },
      environmentVariableCollection: {},
      logUri: undefined,
      storageUri: undefined,
      // A folder of its own, so nothing the extension caches lands in the repository.
      globalStorageUri: (fake.module as { Uri: { file(p: string): unknown } }).Uri.file(storage),
    };
    try {
      const t0 = performance.now();
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading through node's CommonJS loader is what is measured
      const extension = require(extensionPath) as { activate(ctx: unknown): Promise<unknown>; deactivate(): Promise<void> };
      const t1 = performance.now();
      await extension.activate(context);
      const t2 = performance.now();
      requireMs.push(round(t1 - t0));
      activateMs.push(round(t2 - t1));
      totals.push(t2 - t0);
      registeredCommands = fake.registeredCommands;
      await extension.deactivate();
      for (const s of subscriptions) s.dispose();
    } finally {
      internals._load = originalLoad;
    }
  }
  rmSync(storage, { recursive: true, force: true });
  return {
    runs,
    requireMs,
    activateMs,
    total: summarize(totals),
    targetMs: 150,
    registeredCommands,
    measured: 'require(dist/extension.js) with a fake vscode module, then activate() until client.start() resolved against the real dist/server.js over IPC; the first run includes cold module loading of the bundle and a server start without its code cache (kept in the extension storage, as in VS Code)',
  };
}
