/**
 * Whole repository: `control-lens check` against a baseline measured in the same run (the same files parsed by
 * the `yaml` library alone, scripts/bench/baseline-parse.mjs), both as fresh node processes timed from spawn to
 * exit; and the language server indexing the same folder.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchServer, REPO_ROOT } from './lsp';
import { round } from './stats';

interface ProcessRun {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  exitCode: number | null;
}

function runMeasured(args: string[], label: string): ProcessRun {
  const rssFile = join(tmpdir(), `control-lens-bench-${process.pid}-${label}.jsonl`);
  rmSync(rssFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-r', join(__dirname, 'rss-probe.cjs'), ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, BENCH_RSS_FILE: rssFile },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}): ${String(r.stderr).slice(0, 2000)}`);
  const usage = existsSync(rssFile) ? (JSON.parse(readFileSync(rssFile, 'utf8').trim().split('\n').pop()!) as { maxRssKb: number; userMs: number; systemMs: number }) : undefined;
  rmSync(rssFile, { force: true });
  return { wallMs: round(wallMs), cpuMs: round((usage?.userMs ?? NaN) + (usage?.systemMs ?? NaN)), peakRssMb: Math.round((usage?.maxRssKb ?? NaN) / 1024), exitCode: r.status };
}

export interface CheckVsBaseline {
  folder: string;
  runs: number;
  /** Fastest of the runs of each, to damp the noise of a shared machine. */
  check: ProcessRun;
  baseline: ProcessRun;
  ratio: number;
  cpuRatio: number;
  target: number;
  baselineFiles?: number;
}

export function checkVsBaseline(label: string, folder: string, runs: number): CheckVsBaseline {
  const cli = join(REPO_ROOT, 'dist', 'cli.js');
  const checkArgs = existsSync(cli) ? [cli] : ['--import', 'tsx', join(REPO_ROOT, 'server/src/cli/main.ts')];
  const checks: ProcessRun[] = [];
  const baselines: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) {
    // Interleaved so a burst of load from elsewhere hits both alike.
    baselines.push(runMeasured([join(__dirname, 'baseline-parse.mjs'), folder], `${label}-baseline`));
    checks.push(runMeasured([...checkArgs, 'check', folder, '--format', 'json', '--fail-on', 'never'], `${label}-check`));
  }
  const best = (xs: ProcessRun[]) => xs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const check = best(checks);
  const baseline = best(baselines);
  return { folder: label, runs, check, baseline, ratio: round(check.wallMs / baseline.wallMs, 2), cpuRatio: round(check.cpuMs / baseline.cpuMs, 2), target: 2 };
}

export interface IndexingResult {
  files: number;
  indexMs: number;
  /** CPU time of the server process from start to indexed: on a shared machine, the steadier figure. */
  indexCpuMs?: number;
  rssMb?: number;
  peakRssMb?: number;
  targetMs: number;
  targetRssMb: number;
  diagnosticsPublished: number;
  /**
   * Typing in one manifest of the indexed workspace: per keystroke, the server CPU and publications until the
   * workspace has settled (the edited file's diagnostics, then the other files' republication after a pause).
   */
  afterKeystroke?: { edits: number; serverCpuMsPerEdit: number; publicationsPerEdit: number };
  server: string;
}

/** Starts the server on the folder and waits for controlLens/status, which answers once indexing (and the first publication) is done. */
export async function serverIndexing(folder: string): Promise<IndexingResult> {
  const server = new BenchServer();
  try {
    const t0 = performance.now();
    await server.initialize(folder);
    const status = await server.request<{ files: number }>('controlLens/status', {});
    const indexMs = performance.now() - t0;
    const mem = server.memory();
    const cpu = server.cpuMs();
    const published = server.published;
    const afterKeystroke = await typeInOneFile(server, folder);
    return { files: status.files, indexMs: Math.round(indexMs), indexCpuMs: cpu, rssMb: mem?.rssMb, peakRssMb: mem?.peakRssMb, targetMs: 10_000, targetRssMb: 300, diagnosticsPublished: published, afterKeystroke, server: server.runtime };
  } finally {
    await server.stop();
  }
}

/** Opens the first manifest of the folder and types into a `name:` value, pausing after each character. */
async function typeInOneFile(server: BenchServer, folder: string): Promise<IndexingResult['afterKeystroke']> {
  const path = firstYaml(folder);
  if (!path) return undefined;
  const uri = pathToFileURL(path).href;
  const text = readFileSync(path, 'utf8');
  const line = text.split('\n').findIndex((l) => /^\s+name: \S/.test(l));
  if (line < 0) return undefined;
  const opened = server.diagnosticsFor(uri, 1);
  await server.open(uri, text, 1);
  await opened;
  await settle(server);
  const edits = 5;
  const cpu0 = server.cpuMs() ?? NaN;
  const published0 = server.published;
  const character = text.split('\n')[line].length;
  for (let v = 2; v < 2 + edits; v++) {
    const own = server.diagnosticsFor(uri, v);
    await server.change(uri, v, [{ range: { start: { line, character: character + v - 2 }, end: { line, character: character + v - 2 } }, text: 'x' }]);
    await own;
    await settle(server);
  }
  return { edits, serverCpuMsPerEdit: Math.round(((server.cpuMs() ?? NaN) - cpu0) / edits), publicationsPerEdit: Math.round((server.published - published0) / edits) };
}

/** Waits until the server's CPU time stops growing: the republication after a pause in typing is over. */
async function settle(server: BenchServer): Promise<void> {
  let last = server.cpuMs() ?? 0;
  for (let i = 0; i < 60; i++) {
    await new Promise((r) => setTimeout(r, 500));
    const now = server.cpuMs() ?? 0;
    if (now - last < 20) return;
    last = now;
  }
}

function firstYaml(folder: string): string | undefined {
  for (const e of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(folder, e.name);
    if (e.isDirectory()) {
      const inner = firstYaml(p);
      if (inner) return inner;
    } else if (/\.ya?ml$/.test(e.name)) return p;
  }
  return undefined;
}
