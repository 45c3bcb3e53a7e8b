/** A minimal LSP client over stdio for the benchmarks: the real bundled server, as an editor starts it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { SERVER_EXEC_ARGV } from '../../server/src/lsp/serverEnvironment';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface Published {
  uri: string;
  version?: number;
  diagnostics: unknown[];
}

export class BenchServer {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  readonly runtime: string;
  private readonly waiters: { uri: string; version: number; resolve: (p: Published) => void }[] = [];
  published = 0;
  stderr = '';

  constructor(extraArgs: string[] = []) {
    const bundled = join(REPO_ROOT, 'dist', 'server.js');
    // The node flags the client starts the server with, so the figures are the extension's.
    const flags = [...SERVER_EXEC_ARGV, ...extraArgs];
    const args = existsSync(bundled) ? [...flags, bundled, '--stdio'] : [...flags, '--import', 'tsx', join(REPO_ROOT, 'server/src/server.ts'), '--stdio'];
    this.runtime = existsSync(bundled) ? 'dist/server.js' : 'server/src/server.ts via tsx';
    this.child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => (this.stderr = (this.stderr + d).slice(-4000)));
    this.connection = createMessageConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published++;
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && p.version !== undefined && p.version >= w.version) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => ({})));
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onNotification('$/progress', () => undefined);
    this.connection.listen();
  }

  async initialize(root?: string): Promise<void> {
    const folder = root ? [{ uri: pathToFileURL(root).href, name: 'bench' }] : null;
    await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folder?.[0].uri ?? null,
      workspaceFolders: folder,
      capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
      initializationOptions: {},
    });
    await this.connection.sendNotification('initialized', {});
  }

  /** Diagnostics published for `uri` at `version` or later. */
  diagnosticsFor(uri: string, version: number, timeoutMs = 120_000): Promise<Published> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} in ${timeoutMs} ms; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({
        uri,
        version,
        resolve: (p) => {
          clearTimeout(timer);
          resolvePromise(p);
        },
      });
    });
  }

  open(uri: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest(method, params) as Promise<T>;
  }

  /** CPU time the server process has used so far (user + system), from /proc (Linux). */
  cpuMs(): number | undefined {
    try {
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
      // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
    } catch {
      return undefined;
    }
  }

  /** Resident set size now and at its peak, from /proc (Linux). */
  memory(): { rssMb: number; peakRssMb: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssMb: Math.round(kb('VmRSS') / 1024), peakRssMb: Math.round(kb('VmHWM') / 1024) };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // Already gone.
    }
    this.connection.dispose();
    this.child.kill();
  }
}
