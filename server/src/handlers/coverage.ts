/**
 * LSP requests behind the coverage view. The engine may be replaced (on initialize), so the handlers take an
 * accessor and keep one coverage model per engine.
 */
import { basename, relative } from 'node:path';
import type { Connection } from 'vscode-languageserver';
import { toPath, toUri, type Engine } from '../engine';
import { findControlMentions } from '../engine/controls/ids';
import { toCoverageJson } from '../engine/coverage/export/json';
import { toCoverageMarkdown } from '../engine/coverage/export/markdown';
import { toAssessmentResults } from '../engine/coverage/export/oscal';
import { toCoverageText } from '../engine/coverage/export/text';
import {
  COVERAGE_BASELINES_REQUEST,
  COVERAGE_CONTROLS_AT_REQUEST,
  COVERAGE_EVIDENCE_REQUEST,
  COVERAGE_EXPORT_REQUEST,
  COVERAGE_REQUEST,
  type BaselinesResult,
  type ControlsAtParams,
  type CoverageParams,
  type CoverageResult,
  type EvidenceDto,
  type EvidenceParams,
  type EvidenceResult,
  type ExportParams,
  type ExportResult,
  type RootCoverageDto,
} from '../engine/coverage/protocol';
import { CoverageService, type CoverageReport } from '../engine/coverage/service';
import { rangesOverlap } from '../engine/types';

export interface CoverageHandlerOptions {
  /** Resolves when the first indexing of the workspace is over. */
  ready?: () => Promise<unknown> | undefined;
  /** Workspace folder paths. */
  roots: () => readonly string[];
}

const models = new WeakMap<Engine, CoverageService>();

export function coverageFor(engine: Engine): CoverageService {
  let model = models.get(engine);
  if (!model) models.set(engine, (model = new CoverageService(engine)));
  return model;
}

export function toRootDto(root: string, report: CoverageReport): RootCoverageDto {
  const path = root ? (toPath(root) ?? root) : '';
  return {
    root,
    name: path ? basename(path) : 'Workspace',
    baseline: report.baseline,
    totals: report.totals,
    families: report.families,
    controls: report.controls.map(({ evidence: _e, ...c }) => c),
    outsideBaseline: report.outsideBaseline,
  };
}

/** Registers the coverage requests. Call once, after creating the connection. */
export function registerCoverageHandlers(connection: Connection, engine: () => Engine, options: CoverageHandlerOptions): void {
  let version = 0;
  let lastKey = '';
  // The server starts indexing after `initialized`, so the promise is asked for at each request.
  const settled = new WeakSet<object>();
  const indexingNow = async (): Promise<boolean> => {
    const p = options.ready?.();
    if (!(p instanceof Promise) || settled.has(p)) return false;
    const mark = () => settled.add(p);
    p.then(mark, mark);
    // An already settled promise runs its callbacks before the next macrotask.
    await new Promise((r) => setImmediate(r));
    return !settled.has(p);
  };

  const rootPaths = (): string[] => {
    const roots = options.roots();
    return roots.length ? [...roots] : [''];
  };

  connection.onRequest(COVERAGE_REQUEST, async (params: CoverageParams | undefined): Promise<CoverageResult> => {
    const indexing = await indexingNow();
    const e = engine();
    const model = coverageFor(e);
    // Collected in slices so that diagnostics and hovers keep flowing while a large workspace is read.
    const changed = await model.refreshAsync();
    const roots = rootPaths().map((path) => {
      const report = model.report({ baseline: params?.baseline || undefined, root: path || undefined });
      return toRootDto(path ? toUri(path) : '', report);
    });
    const key = JSON.stringify([indexing, roots.map((r) => [r.root, r.baseline.name, r.totals, r.controls.length])]);
    if (changed || key !== lastKey) version++;
    lastKey = key;
    return { version, indexing, roots };
  });

  connection.onRequest(COVERAGE_EVIDENCE_REQUEST, (params: EvidenceParams): EvidenceResult => {
    const model = coverageFor(engine());
    const root = params.root ? toPath(params.root) : undefined;
    const all = model.evidence(params.control, root);
    const limit = Math.max(1, Math.min(params.limit ?? 500, 5000));
    const items: EvidenceDto[] = all.slice(0, limit).map((x) => ({ kind: x.kind, uri: x.uri, range: x.range, detail: x.detail, ...(x.check ? { check: x.check } : {}) }));
    return { items, total: all.length };
  });

  connection.onRequest(COVERAGE_BASELINES_REQUEST, (): BaselinesResult => coverageFor(engine()).baselineChoices());

  connection.onRequest(COVERAGE_EXPORT_REQUEST, async (params: ExportParams): Promise<ExportResult> => {
    const e = engine();
    const root = params.root ? toPath(params.root) : undefined;
    const report = await coverageFor(e).reportAsync({ baseline: params.baseline || undefined, root, includeEvidence: true });
    const fileOf = (uri: string) => {
      const p = toPath(uri);
      return p && root ? relative(root, p).split('\\').join('/') : (p ?? uri);
    };
    switch (params.format) {
      case 'json':
        return { content: JSON.stringify(toCoverageJson(report, fileOf), null, 2) + '\n', fileName: 'coverage.json' };
      case 'markdown':
        return { content: toCoverageMarkdown(report, fileOf), fileName: 'coverage.md' };
      case 'oscal':
        return { content: JSON.stringify(toAssessmentResults(report, { fileOf }), null, 2) + '\n', fileName: 'assessment-results.json' };
      default:
        return { content: toCoverageText(report, fileOf), fileName: 'coverage.txt' };
    }
  });

  connection.onRequest(COVERAGE_CONTROLS_AT_REQUEST, (params: ControlsAtParams): string[] => controlsAt(engine(), params));
}

/** The controls a place in a file bears on: those of the findings there, and ids written there. */
export function controlsAt(engine: Engine, params: ControlsAtParams): string[] {
  const out = new Set<string>();
  for (const f of engine.diagnostics(params.uri)) if (rangesOverlap(f.range, params.range)) for (const c of f.controls) out.add(c);
  const entry = engine.workspace.get(params.uri);
  if (entry) {
    const file = entry.file;
    const offset = file.lines.offsetAt(params.range.start);
    const lineStart = file.lines.offsetAt({ line: params.range.start.line, character: 0 });
    const lineText = file.lines.lineText(params.range.start.line);
    for (const m of findControlMentions(lineText, (f) => engine.controls.isKnownFamily(f))) {
      const start = lineStart + m.offset;
      if (offset >= start && offset <= start + m.text.length) out.add(m.id);
    }
  }
  return [...out];
}
