/**
 * The language server's processes. activate() forks the first one before the language client library is even
 * loaded, so that node's start of the server runs while the extension host sets the client up; the client then
 * talks to it over node IPC, as it would to a process it forked itself, and each restart forks a new one.
 * What the language client does for a process of its own is done here: the extension host's environment with
 * Electron's run-as-node switches, the server's output into the output channel, a word when it exits, and an end
 * to one that outlives its client.
 */
import { fork, type ChildProcess } from 'node:child_process';

export interface ServerLaunch {
  /** The server's entry point (dist/server.js). */
  module: string;
  /** Laid over the extension host's environment; `undefined` removes a variable. */
  env: Record<string, string | undefined>;
  /** Where the server's stdout and stderr, and news of its exit, go. */
  log(text: string): void;
  /** Node flags for the server process. */
  execArgv?: readonly string[];
  /** How long a server may take to exit after its client has stopped before it is ended (the client's 2 s). */
  exitGraceMs?: number;
}

export class ServerProcesses {
  private ahead: ChildProcess | undefined;
  private current: ChildProcess | undefined;

  constructor(private readonly launch: ServerLaunch) {}

  /** Forks the process the client's next start will use, if none is waiting. */
  forkAhead(): void {
    this.ahead ??= this.fork();
  }

  /** The process for the client to start on: the one forked ahead, else a new one. */
  take(): ChildProcess {
    const p = this.ahead ?? this.fork();
    this.ahead = undefined;
    this.current = p;
    return p;
  }

  /** The client has stopped: its server exits on its own, or is ended after a grace period. */
  stopped(): void {
    const p = this.current;
    this.current = undefined;
    if (p && alive(p)) setTimeout(() => alive(p) && p.kill(), this.launch.exitGraceMs ?? 2000).unref();
  }

  /** Ends a process forked ahead that no client took. */
  dispose(): void {
    if (this.ahead && alive(this.ahead)) this.ahead.kill();
    this.ahead = undefined;
  }

  private fork(): ChildProcess {
    // Electron's switches are what the language client adds when it forks with the extension host's runtime.
    const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1', ...this.launch.env };
    const p = fork(this.launch.module, ['--node-ipc', `--clientProcessId=${process.pid}`], { env, execArgv: [...(this.launch.execArgv ?? [])], silent: true });
    const log = (d: Buffer | string) => this.launch.log(typeof d === 'string' ? d : d.toString('utf8'));
    p.stdout?.on('data', log);
    p.stderr?.on('data', log);
    p.on('exit', (code, signal) => {
      if (code) this.launch.log(`Server process exited with code ${code}.\n`);
      else if (signal) this.launch.log(`Server process exited with signal ${signal}.\n`);
    });
    // A failed fork reports through 'error'; the client sees the connection close and says so.
    p.on('error', (e) => this.launch.log(`Server process failed: ${e.message}\n`));
    return p;
  }
}

function alive(p: ChildProcess): boolean {
  return p.exitCode === null && p.signalCode === null;
}
