import { isScalar } from 'yaml';
import { documentAt, pathAtOffset, type JsonPath } from '../../documents/paths';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import type { Position, Range } from '../../types';
import { cachedAnalysis, type OscalDocumentAnalysis, type OscalEnvironment } from '../analyze';
import { findReferences, REFERENCE_FIELDS, type ReferenceSite } from '../semantic/references';

/** What sits under the cursor in an OSCAL document. */
export interface CursorContext {
  file: ParsedFile;
  doc: ParsedDocument;
  analysis: OscalDocumentAnalysis;
  offset: number;
  /** Path of the key or value under the cursor. */
  path: JsonPath;
  onKey: boolean;
  /** The scalar under the cursor, with its absolute offsets. */
  scalar?: { value: unknown; start: number; end: number };
}

/** The document's analysis, computed once per parsed document (shared with the diagnostics). */
export function analysisOf(doc: ParsedDocument, uri: string, env: OscalEnvironment = {}): OscalDocumentAnalysis | undefined {
  // Editor features need the document's own structure, not the control checks or the official schema.
  return cachedAnalysis(doc, uri, { now: env.now, loadDocument: env.loadDocument });
}

export function cursorAt(file: ParsedFile, position: Position, env: OscalEnvironment = {}): CursorContext | undefined {
  const offset = file.lines.offsetAt(position);
  const doc = documentAt(file, offset);
  if (!doc) return undefined;
  const analysis = analysisOf(doc, file.uri, env);
  if (!analysis) return undefined;
  const at = pathAtOffset(doc, offset);
  const ctx: CursorContext = { file, doc, analysis, offset, path: at.path, onKey: at.onKey };
  if (at.node && isScalar(at.node) && at.node.range) ctx.scalar = { value: at.node.value, start: doc.base + at.node.range[0], end: doc.base + at.node.range[1] };
  return ctx;
}

export function scalarRange(ctx: CursorContext): Range | undefined {
  return ctx.scalar ? ctx.file.lines.range(ctx.scalar.start, ctx.scalar.end) : undefined;
}

const referenceCache = new WeakMap<OscalDocumentAnalysis, ReferenceSite[]>();

export function referencesOf(analysis: OscalDocumentAnalysis): ReferenceSite[] {
  let refs = referenceCache.get(analysis);
  if (!refs) {
    refs = findReferences(analysis.root.content, analysis.rootPath);
    referenceCache.set(analysis, refs);
  }
  return refs;
}

/** The reference field a path names, if any (`party-uuid`, `role-ids` item, ...). */
export function referenceFieldOf(path: JsonPath): string | undefined {
  const last = path[path.length - 1];
  const field = typeof last === 'number' ? path[path.length - 2] : last;
  return typeof field === 'string' && (REFERENCE_FIELDS[field] || field === 'subject-uuid' || field === 'actor-uuid') ? field : undefined;
}

export function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}
