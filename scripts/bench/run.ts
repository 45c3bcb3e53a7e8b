/**
 * `npm run bench`: the speed and scale figures of issue 9, measured against the real bundled server and command
 * (dist/, built first by the npm script). Writes bench-results/bench-<time>.json and bench-results/latest.json,
 * and prints a short summary. Figures, not assertions: a missed target is reported, never failed on.
 *
 * Options: --only=edit,repo,index,corpus,analyzers,oscal,activation  --runs=N (repeats of the process benchmarks, default 3)
 *          --edits=N (default 50)  --manifests=N (default 10000)
 */
import { execSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { ALL_ANALYZERS } from '../../server/src/engine';
import { measureActivation, type ActivationResult } from './activation';
import { profileAnalyzers, type AnalyzerProfile } from './analyzers';
import { measureEditLatency, type EditLatencyResult } from './editLatency';
import { ALWAYS_A_FINDING, generateManifest, generateRepository } from './generate';
import { REPO_ROOT } from './lsp';
import { measureOscal, type OscalResult } from './oscal';
import { checkVsBaseline, serverIndexing, type CheckVsBaseline, type IndexingResult } from './repository';

const CORPUS = process.env.CONTROL_LENS_CORPUS ?? join(REPO_ROOT, '..', 'shared', 'corpus');

function arg(name: string, fallback: string): string {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
}

function machine(): Record<string, unknown> {
  let commit = 'unknown';
  try {
    commit = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT }).toString().trim();
  } catch {
    // Not a checkout.
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    commit,
    analyzers: ALL_ANALYZERS.map((a) => a.id),
  };
}

interface Report {
  date: string;
  machine: Record<string, unknown>;
  editLatency?: EditLatencyResult[];
  repository?: { generated?: CheckVsBaseline; corpus?: CheckVsBaseline; indexing?: IndexingResult; manifests: number };
  analyzerProfiles?: AnalyzerProfile[];
  oscal?: OscalResult;
  activation?: ActivationResult;
  loadAverageAtEnd?: number[];
  errors: string[];
}

const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

function summaryLines(r: Report): string[] {
  const out = [`Control Lens benchmarks ${r.date} on ${r.machine.cpus} x ${r.machine.cpuModel}, node ${r.machine.node}, load ${(r.machine.loadAverageAtStart as number[]).join(' ')} -> ${r.loadAverageAtEnd?.join(' ')}`];
  out.push(`analysers: ${(r.machine.analyzers as string[]).join(', ')}`);
  for (const e of r.editLatency ?? []) {
    out.push(`${mark(e.edits.medianMs <= e.targetMedianMs)} edit latency ${e.file} (${e.lines} lines${e.workspace ? `, workspace: ${e.workspace}` : ''}): median ${e.edits.medianMs} ms, p95 ${e.edits.p95Ms} ms over ${e.edits.n} edits, server CPU ${e.serverCpuMsPerEdit} ms/edit (target median <= ${e.targetMedianMs}); open ${e.openToFirstDiagnosticsMs} ms`);
  }
  const repo = r.repository;
  for (const c of [repo?.generated, repo?.corpus]) {
    if (!c) continue;
    out.push(`${mark(c.ratio <= c.target)} check ${c.folder}: ${c.check.wallMs} ms vs yaml-only baseline ${c.baseline.wallMs} ms = ${c.ratio}x wall, ${c.cpuRatio}x CPU (target <= ${c.target}x); peak RSS ${c.check.peakRssMb} MB vs ${c.baseline.peakRssMb} MB; best of ${c.runs}`);
  }
  if (repo?.indexing) {
    const i = repo.indexing;
    out.push(`${mark(i.indexMs <= i.targetMs)} server indexes ${i.files} files in ${i.indexMs} ms wall, ${i.indexCpuMs} ms CPU (target <= ${i.targetMs})`);
    out.push(`${mark((i.peakRssMb ?? Infinity) < i.targetRssMb)} server RSS after indexing ${i.rssMb} MB, peak ${i.peakRssMb} MB (target < ${i.targetRssMb})`);
    if (i.afterKeystroke) out.push(`     typing in one of its files: ${i.afterKeystroke.serverCpuMsPerEdit} ms server CPU and ${i.afterKeystroke.publicationsPerEdit} publications per keystroke until the workspace settles (${i.afterKeystroke.edits} keystrokes, a pause after each)`);
  }
  for (const p of r.analyzerProfiles ?? []) {
    const top = p.analyzers.slice(0, 4).map((a) => `${a.id} ${a.ms} ms/${a.findings} findings`).join(', ');
    const heap = p.heapAfterIndexMb === undefined ? '' : `; heap ${p.heapBeforeMb} -> ${p.heapAfterIndexMb} MB indexed -> ${p.heapAfterDiagnosticsMb} MB with findings`;
    out.push(`     where the time goes, ${p.folder} (${p.files} files, in process): index ${p.indexMs} ms, diagnostics ${p.diagnosticsMs} ms: ${top}${heap}`);
  }
  if (r.oscal) {
    const o = r.oscal;
    out.push(`${mark(o.hover.medianMs <= o.hover.targetMedianMs)} OSCAL HIGH catalog (${o.lines} lines, open ${o.openMs} ms): hover median ${o.hover.medianMs} ms, p95 ${o.hover.p95Ms} ms (${o.hover.answered}/${o.hover.n} answered; target <= ${o.hover.targetMedianMs})`);
    out.push(`${mark(o.completion.medianMs <= o.completion.targetMedianMs)} OSCAL HIGH catalog: completion median ${o.completion.medianMs} ms, p95 ${o.completion.p95Ms} ms (${o.completion.answered}/${o.completion.n} answered; target <= ${o.completion.targetMedianMs})`);
  }
  if (r.activation) {
    const a = r.activation;
    out.push(`${mark(a.total.medianMs <= a.targetMs)} activation to a started client: median ${a.total.medianMs} ms over ${a.runs} (require ${a.requireMs.join('/')} ms + activate ${a.activateMs.join('/')} ms; target <= ${a.targetMs})`);
  }
  for (const e of r.errors) out.push(`ERROR ${e}`);
  return out;
}

async function main(): Promise<void> {
  const only = new Set(arg('only', 'edit,repo,index,corpus,analyzers,oscal,activation').split(','));
  const runs = Number(arg('runs', '3'));
  const edits = Number(arg('edits', '50'));
  const manifests = Number(arg('manifests', '10000'));
  const report: Report = { date: new Date().toISOString(), machine: machine(), errors: [] };
  const attempt = async (name: string, run: () => Promise<void>) => {
    process.stderr.write(`bench: ${name}...\n`);
    try {
      await run();
    } catch (e) {
      report.errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  if (only.has('edit')) {
    report.editLatency = [];
    await attempt('edit latency, generated 3,000-line manifest', async () => {
      report.editLatency!.push(await measureEditLatency('generated-3000-lines.yaml', generateManifest(3000), edits, 50));
    });
    await attempt('edit latency, argo-cd install.yaml', async () => {
      // The marker document guarantees a publication for every version, whatever the analysers find.
      const argo = ALWAYS_A_FINDING + '---\n' + readFileSync(join(CORPUS, 'k8s/argo-cd/install.yaml'), 'utf8');
      report.editLatency!.push(await measureEditLatency('argo-cd/install.yaml', argo, edits, 250));
    });
    // The same edits with Kyverno's policy library indexed: each edit then also evaluates ~300 policies on the file.
    const kyverno = { label: 'the Kyverno policy library (corpus/kyverno)', folder: join(CORPUS, 'kyverno') };
    await attempt('edit latency, generated 3,000-line manifest, Kyverno policy library in the workspace', async () => {
      report.editLatency!.push(await measureEditLatency('generated-3000-lines.yaml', generateManifest(3000), edits, 50, kyverno));
    });
    await attempt('edit latency, argo-cd install.yaml, Kyverno policy library in the workspace', async () => {
      const argo = ALWAYS_A_FINDING + '---\n' + readFileSync(join(CORPUS, 'k8s/argo-cd/install.yaml'), 'utf8');
      report.editLatency!.push(await measureEditLatency('argo-cd/install.yaml', argo, edits, 250, kyverno));
    });
  }
  if (only.has('repo') || only.has('index') || only.has('corpus') || only.has('analyzers')) {
    report.repository = { manifests };
    const root = mkdtempSync(join(tmpdir(), 'control-lens-bench-repo-'));
    try {
      generateRepository(root, manifests);
      if (only.has('repo')) await attempt(`check over ${manifests} generated manifests`, async () => void (report.repository!.generated = checkVsBaseline(`generated ${manifests} manifests`, root, runs)));
      if (only.has('index')) await attempt('server indexing', async () => void (report.repository!.indexing = await serverIndexing(root)));
      if (only.has('analyzers')) {
        report.analyzerProfiles = [];
        await attempt('analysers on the generated manifests', async () => void report.analyzerProfiles!.push(await profileAnalyzers(`generated ${manifests} manifests`, root)));
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    if (only.has('corpus')) await attempt('check over the corpus', async () => void (report.repository!.corpus = checkVsBaseline('corpus', CORPUS, runs)));
    if (only.has('analyzers')) {
      report.analyzerProfiles ??= [];
      await attempt('analysers on the corpus', async () => void report.analyzerProfiles!.push(await profileAnalyzers('corpus', CORPUS)));
    }
  }
  if (only.has('oscal')) {
    await attempt('OSCAL HIGH catalog hover and completion', async () => {
      report.oscal = await measureOscal(join(CORPUS, 'oscal/nist.gov/SP800-53/rev5/yaml/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog.yaml'), 50);
    });
  }
  if (only.has('activation')) await attempt('extension activation', async () => void (report.activation = await measureActivation(Math.max(5, runs))));
  report.loadAverageAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);

  const dir = join(REPO_ROOT, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, null, 2) + '\n';
  const file = join(dir, `bench-${report.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(join(dir, 'latest.json'), json);
  const summary = summaryLines(report);
  writeFileSync(join(dir, 'latest.txt'), summary.join('\n') + '\n');
  process.stdout.write(summary.join('\n') + `\nreport: ${file}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
