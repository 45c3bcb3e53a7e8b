/**
 * Edit latency over LSP: an incremental didChange, then the publishDiagnostics for that version, as a person
 * typing sees it. Edits type a character into, or take one out of, a value in a random document of the file.
 */
import { LineIndex } from '../../server/src/engine/documents/lineIndex';
import { BenchServer } from './lsp';
import { summarize, type LatencySummary } from './stats';
import { seededRandom } from '../../test/support/random';

export interface EditLatencyResult {
  file: string;
  /** The folder the server indexed first (whose policies then apply to the edited file), if any. */
  workspace?: string;
  lines: number;
  bytes: number;
  openToFirstDiagnosticsMs: number;
  edits: LatencySummary;
  /** Server CPU time per edit, averaged: steadier than wall time on a shared machine. */
  serverCpuMsPerEdit?: number;
  targetMedianMs: number;
  server: string;
}

export async function measureEditLatency(label: string, text: string, edits: number, targetMedianMs: number, workspace?: { label: string; folder: string }): Promise<EditLatencyResult> {
  const server = new BenchServer();
  try {
    await server.initialize(workspace?.folder);
    // controlLens/status answers once indexing is done, so the edits meet a settled workspace.
    if (workspace) await server.request('controlLens/status', {});
    const uri = `file:///bench/${label.replace(/[^a-z0-9.-]+/gi, '-')}`;
    const t0 = performance.now();
    const first = server.diagnosticsFor(uri, 1);
    await server.open(uri, text, 1);
    await first;
    const openMs = performance.now() - t0;

    // Lines holding a `name:` value: typing there keeps the file valid and the document recognisable.
    const lines = new LineIndex(text);
    const targets: number[] = [];
    for (let l = 0; l < lines.lineCount; l++) if (/^\s+name: \S/.test(lines.lineText(l))) targets.push(l);
    const rng = seededRandom(42);
    const samples: number[] = [];
    const cpuBefore = server.cpuMs();
    const typed: { line: number; character: number }[] = [];
    for (let v = 2; v < edits + 2; v++) {
      let change;
      if (typed.length && v % 2 === 1) {
        // Take back the last typed character (backspace).
        const at = typed.pop()!;
        change = { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '' };
      } else {
        const line = targets.length ? targets[Math.floor(rng() * targets.length)] : Math.floor(rng() * lines.lineCount);
        const at = { line, character: lines.lineText(line).length };
        typed.push(at);
        change = { range: { start: at, end: at }, text: 'x' };
      }
      const published = server.diagnosticsFor(uri, v);
      const start = performance.now();
      await server.change(uri, v, [change]);
      await published;
      samples.push(performance.now() - start);
    }
    const cpuAfter = server.cpuMs();
    const serverCpuMsPerEdit = cpuBefore === undefined || cpuAfter === undefined ? undefined : Math.round(((cpuAfter - cpuBefore) / edits) * 10) / 10;
    return { file: label, workspace: workspace?.label, lines: lines.lineCount, bytes: Buffer.byteLength(text), openToFirstDiagnosticsMs: Math.round(openMs), edits: summarize(samples), serverCpuMsPerEdit, targetMedianMs, server: server.runtime };
  } finally {
    await server.stop();
  }
}
