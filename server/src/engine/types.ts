/** Shared value types of the engine. LSP-shaped (zero-based lines, UTF-16 characters) but LSP-free. */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** Edits to the finding's own file only. */
  edits: TextEdit[];
  /** 'quickfix' mends the problem; 'suppress' records an exception instead. */
  kind: 'quickfix' | 'suppress';
  /** Safe to apply without review, so it takes part in source.fixAll and `check --fix`. */
  safe?: boolean;
  isPreferred?: boolean;
}

export interface ResourceRef {
  kind: string;
  name?: string;
  namespace?: string;
  /** Zero-based index of the YAML document inside its file. */
  document: number;
}

export type FindingSource =
  | 'syntax'
  | 'config'
  | 'controls'
  | 'kubernetes'
  | 'oscal'
  | 'kyverno'
  | 'gatekeeper'
  | 'vap'
  | 'rego'
  | 'policy';

export interface Finding {
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  /** Canonical OSCAL control ids (`ac-6`, `cm-7.1`). */
  controls: string[];
  source: FindingSource;
  resource?: ResourceRef;
  fixes?: Fix[];
  /** Set when an ignore annotation suppressed the finding; kept so coverage can show the exception. */
  suppressed?: { reason: string; range: Range };
}

export function rangeContains(range: Range, pos: Position): boolean {
  return comparePositions(range.start, pos) <= 0 && comparePositions(pos, range.end) <= 0;
}

export function comparePositions(a: Position, b: Position): number {
  return a.line !== b.line ? a.line - b.line : a.character - b.character;
}

export function rangesOverlap(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}
