import { isMap, isScalar } from 'yaml';
import type { KubeObject } from '../documents/classify';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { resolvePath } from '../documents/paths';
import { scalarMap } from '../documents/scalarMap';
import { setValue } from '../fixes/yamlEdits';
import { annotationsOf } from '../mapping/annotations';
import type { Finding, Fix, Range } from '../types';

export const IGNORE_ANNOTATION = 'control-lens.dev/ignore';
/** What the suppression fix writes where the reason goes; until it is replaced the exception is not accepted. */
export const REASON_PLACEHOLDER = '<why this is accepted>';

export interface IgnoreEntry {
  /** Finding code, or a prefix pattern (`pss.*`, `*`). */
  code: string;
  reason?: string;
  range: Range;
}

export interface IgnoreAnnotation {
  raw: string;
  entries: IgnoreEntry[];
  range: Range;
}

const MAX_REASON_PROBLEMS = 20;
const ENTRY = /^\s*([A-Za-z0-9_.*/-]+)\s*(?::\s*([\s\S]*?))?\s*$/;

/**
 * Reads `control-lens.dev/ignore: "<code>: <reason>; <code>: <reason>"` from an object's own metadata.
 * Entries are separated by `;` or new lines; a reason that is empty or still the placeholder is no reason.
 */
export function readIgnoreAnnotation(file: ParsedFile, doc: ParsedDocument, object: KubeObject): IgnoreAnnotation | undefined {
  if (typeof annotationsOf(object)?.[IGNORE_ANNOTATION] !== 'string') return undefined;
  const target = resolvePath(doc, [...object.path, 'metadata', 'annotations']);
  if (!target.exact || !isMap(target.node)) return undefined;
  const pair = target.node.items.find((p) => isScalar(p.key) && p.key.value === IGNORE_ANNOTATION);
  if (!pair || !isScalar(pair.value) || typeof pair.value.value !== 'string' || !pair.value.range) return undefined;
  const raw = pair.value.value;
  const [start, end] = pair.value.range;
  const range = file.lines.range(doc.base + start, doc.base + end);
  const map = scalarMap(file.text, doc.base + start, doc.base + end, raw);
  const entries: IgnoreEntry[] = [];
  let offset = 0;
  for (const part of raw.split(/[;\n]/)) {
    const m = ENTRY.exec(part);
    const partOffset = offset;
    offset += part.length + 1;
    if (!m || !part.trim()) continue;
    const reason = m[2]?.trim();
    const lead = part.length - part.trimStart().length;
    const entryRange = file.lines.range(map.toFile(partOffset + lead), map.toFile(partOffset + part.trimEnd().length));
    entries.push({ code: m[1], reason: reason && reason !== REASON_PLACEHOLDER ? reason : undefined, range: entryRange });
  }
  return { raw, entries, range };
}

export function codeMatches(pattern: string, code: string): boolean {
  if (pattern === '*' || pattern === code) return true;
  return pattern.endsWith('*') && code.startsWith(pattern.slice(0, -1));
}

/** Marks the findings an entry with a reason covers; returns findings about entries that give none. */
export function applyIgnores(annotation: IgnoreAnnotation, findings: Finding[], resource: Finding['resource']): Finding[] {
  const problems: Finding[] = [];
  for (const entry of annotation.entries) {
    if (!entry.reason) {
      // A pasted wall of bare codes needs one message per entry only up to a point.
      if (problems.length >= MAX_REASON_PROBLEMS) continue;
      problems.push({
        range: entry.range,
        severity: 'warning',
        code: 'k8s.ignore-reason',
        message: `The ignore annotation names ${entry.code} without a reason, so nothing is suppressed; write "${entry.code}: <reason>".`,
        controls: [],
        source: 'kubernetes',
        resource,
      });
      continue;
    }
    for (const f of findings) {
      if (!f.suppressed && codeMatches(entry.code, f.code)) f.suppressed = { reason: entry.reason, range: entry.range };
    }
  }
  return problems;
}

/** A fix that records an exception for `code` on the object, keeping any entries already there. */
export function suppressionFix(file: ParsedFile, doc: ParsedDocument, object: KubeObject, code: string, existing: IgnoreAnnotation | undefined): Fix | undefined {
  const entry = `${code}: ${REASON_PLACEHOLDER}`;
  const value = existing && existing.raw.trim() ? `${existing.raw.trimEnd()}; ${entry}` : entry;
  const edits = setValue({ file, doc }, [...object.path, 'metadata', 'annotations', IGNORE_ANNOTATION], value, { doubleQuoted: true });
  if (edits.length === 0) return undefined;
  return { title: `Suppress ${code} for ${object.kind} ${object.name ?? ''} (write the reason)`.replace(/ \(/, ' (').trim(), edits, kind: 'suppress' };
}
