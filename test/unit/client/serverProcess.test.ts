/**
 * The server processes the client starts on (client/src/serverProcess.ts), with a small node program in place of
 * the server: what it is started with, that the process forked ahead is the one the client gets, that its output
 * and exit are logged, and that one outliving its client is ended.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ServerProcesses } from '../../../client/src/serverProcess';
import { SERVER_EXEC_ARGV } from '../../../server/src/lsp/serverEnvironment';

const dir = mkdtempSync(join(tmpdir(), 'control-lens-server-process-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Reports its arguments and environment over IPC, writes to both streams, then does what it is told. */
const fakeServer = join(dir, 'server.js');
writeFileSync(
  fakeServer,
  `process.stdout.write('out-line\\n');
process.stderr.write('err-line\\n');
process.send({ argv: process.argv.slice(2), execArgv: process.execArgv, env: { run: process.env.ELECTRON_RUN_AS_NODE, asar: process.env.ELECTRON_NO_ASAR, extra: process.env.EXTRA_FOR_TEST, removed: process.env.REMOVED_FOR_TEST ?? null } });
process.on('message', (m) => {
  if (m === 'exit 3') process.exit(3);
  if (m === 'hang') process.on('SIGTERM', () => process.exit(7)) && setInterval(() => undefined, 1000);
});
`,
);

interface Report {
  argv: string[];
  execArgv: string[];
  env: { run?: string; asar?: string; extra?: string; removed: string | null };
}

const firstMessage = (p: ChildProcess) => new Promise<Report>((resolve) => p.once('message', (m) => resolve(m as Report)));
const exited = (p: ChildProcess) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : p.once('exit', () => resolve())));

function processes(log: string[], exitGraceMs?: number): ServerProcesses {
  process.env.REMOVED_FOR_TEST = 'from the extension host';
  return new ServerProcesses({ module: fakeServer, env: { EXTRA_FOR_TEST: 'extra', REMOVED_FOR_TEST: undefined }, execArgv: SERVER_EXEC_ARGV, log: (t) => log.push(t), exitGraceMs });
}

test('the process forked ahead is the one the client takes; the next take forks a new one', async () => {
  const log: string[] = [];
  const servers = processes(log);
  servers.forkAhead();
  servers.forkAhead();
  const first = servers.take();
  const report = await firstMessage(first);
  assert.deepEqual(report.argv, ['--node-ipc', `--clientProcessId=${process.pid}`]);
  assert.deepEqual(report.execArgv, ['--max-semi-space-size=4'], 'the server runs with its node flags, not the extension host\'s');
  assert.deepEqual(report.env, { run: '1', asar: '1', extra: 'extra', removed: null });

  const second = servers.take();
  assert.notEqual(second.pid, first.pid);
  await firstMessage(second);
  for (const p of [first, second]) p.kill();
  await Promise.all([exited(first), exited(second)]);
  servers.dispose();
});

test("the server's output and a non-zero exit reach the log", async () => {
  const log: string[] = [];
  const servers = processes(log);
  const p = servers.take();
  await firstMessage(p);
  p.send('exit 3');
  await exited(p);
  await new Promise((r) => setImmediate(r));
  const text = log.join('');
  assert.match(text, /out-line/);
  assert.match(text, /err-line/);
  assert.match(text, /Server process exited with code 3\./);
});

test('a server still running after its client stopped is ended after the grace period', async () => {
  const log: string[] = [];
  const servers = processes(log, 50);
  const p = servers.take();
  await firstMessage(p);
  p.send('hang');
  servers.stopped();
  await exited(p);
  assert.equal(p.exitCode, 7, 'ended by SIGTERM');
});

test('a process forked ahead and never taken is ended on dispose', async () => {
  const log: string[] = [];
  let ended: () => void = () => undefined;
  const gone = new Promise<void>((resolve) => (ended = resolve));
  const servers = new ServerProcesses({
    module: fakeServer,
    env: {},
    log: (t) => {
      log.push(t);
      if (/exited with signal SIGTERM/.test(t)) ended();
    },
  });
  servers.forkAhead();
  servers.dispose();
  await gone;
  assert.match(log.join(''), /Server process exited with signal SIGTERM\./);
});
