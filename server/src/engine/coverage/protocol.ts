/**
 * The custom requests between the coverage view (client) and the server. Types and method names only, so
 * the client can import it without pulling in the engine.
 */
import type { Range } from '../types';
import type { BaselineChoice } from './baseline';
import type { EvidenceKind } from './evidence';
import type { ControlCounts, CoverageStatus } from './status';

export const COVERAGE_REQUEST = 'controlLens/coverage';
export const COVERAGE_EVIDENCE_REQUEST = 'controlLens/coverageEvidence';
export const COVERAGE_BASELINES_REQUEST = 'controlLens/coverageBaselines';
export const COVERAGE_EXPORT_REQUEST = 'controlLens/coverageExport';
export const COVERAGE_CONTROLS_AT_REQUEST = 'controlLens/coverageControlsAt';

export interface CoverageParams {
  /** Baseline spec; the configured one (settings, `.control-lens.yaml`) when absent. */
  baseline?: string;
}

export interface StatusTallyDto {
  total: number;
  covered: number;
  percent: number;
  byStatus: Record<CoverageStatus, number>;
}

export interface ControlDto {
  id: string;
  display: string;
  title: string;
  family: string;
  status: CoverageStatus;
  counts: ControlCounts;
  description: string;
}

export interface FamilyDto extends StatusTallyDto {
  id: string;
  title: string;
}

export interface RootCoverageDto {
  /** Workspace folder URI; empty when the server has no folders (loose files). */
  root: string;
  name: string;
  baseline: { name: string; label: string; title: string; source: 'builtin' | 'profile' | 'catalog'; uri?: string; problems: string[] };
  totals: StatusTallyDto;
  families: FamilyDto[];
  controls: ControlDto[];
  outsideBaseline: string[];
}

export interface CoverageResult {
  /** Bumped whenever any evidence or the baseline changed, so the client can skip re-rendering. */
  version: number;
  /** True while the workspace is still being indexed. */
  indexing: boolean;
  roots: RootCoverageDto[];
}

export interface EvidenceParams {
  root: string;
  control: string;
  /** At most this many items, strongest first (default 500): a control checked on 20,000 resources stays readable. */
  limit?: number;
}

export interface EvidenceResult {
  items: EvidenceDto[];
  /** How many there are in all. */
  total: number;
}

export interface EvidenceDto {
  kind: EvidenceKind;
  uri: string;
  range: Range;
  detail: string;
  check?: string;
}

export type BaselinesResult = BaselineChoice[];

export type ExportFormat = 'json' | 'markdown' | 'oscal' | 'text';

export interface ExportParams extends CoverageParams {
  root: string;
  format: ExportFormat;
}

export interface ExportResult {
  content: string;
  /** Suggested file name (`coverage.md`, `assessment-results.json`). */
  fileName: string;
}

/** Controls a position in a document bears on (findings there, control ids written there). */
export interface ControlsAtParams {
  uri: string;
  range: Range;
}
