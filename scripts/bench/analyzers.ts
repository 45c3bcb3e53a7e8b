/**
 * Where the time of a whole-repository check goes: each analyser's share of the diagnostics of every file, in
 * this process (the engine from source, the same analysers as the bundle), and the heap the index and the
 * findings hold (measured after a full collection when node runs with --expose-gc).
 */
import { ALL_ANALYZERS, createEngine } from '../../server/src/engine';
import { round } from './stats';

export interface AnalyzerShare {
  id: string;
  ms: number;
  findings: number;
}

export interface AnalyzerProfile {
  folder: string;
  files: number;
  indexMs: number;
  diagnosticsMs: number;
  analyzers: AnalyzerShare[];
  heapBeforeMb?: number;
  heapAfterIndexMb?: number;
  heapAfterDiagnosticsMb?: number;
}

function heapMb(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return undefined;
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1024 / 1024);
}

export async function profileAnalyzers(label: string, folder: string): Promise<AnalyzerProfile> {
  const shares = new Map<string, AnalyzerShare>();
  const originals = ALL_ANALYZERS.map((a) => a.analyze);
  ALL_ANALYZERS.forEach((a, i) => {
    const share: AnalyzerShare = { id: a.id, ms: 0, findings: 0 };
    shares.set(a.id, share);
    a.analyze = (entry, ctx) => {
      const t0 = performance.now();
      const found = originals[i].call(a, entry, ctx);
      share.ms += performance.now() - t0;
      share.findings += found.length;
      return found;
    };
  });
  try {
    const heapBeforeMb = heapMb();
    const engine = createEngine();
    let t0 = performance.now();
    const uris = await engine.indexFolders([folder]);
    const indexMs = performance.now() - t0;
    const heapAfterIndexMb = heapMb();
    t0 = performance.now();
    for (const uri of uris) engine.diagnostics(uri);
    const diagnosticsMs = performance.now() - t0;
    const heapAfterDiagnosticsMb = heapMb();
    const analyzers = [...shares.values()].filter((s) => s.ms >= 1 || s.findings).map((s) => ({ ...s, ms: round(s.ms, 0) }));
    analyzers.sort((a, b) => b.ms - a.ms);
    return { folder: label, files: uris.length, indexMs: round(indexMs, 0), diagnosticsMs: round(diagnosticsMs, 0), analyzers, heapBeforeMb, heapAfterIndexMb, heapAfterDiagnosticsMb };
  } finally {
    ALL_ANALYZERS.forEach((a, i) => (a.analyze = originals[i]));
  }
}
