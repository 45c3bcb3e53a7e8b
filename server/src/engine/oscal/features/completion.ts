import { isMap } from 'yaml';
import { displayControlId } from '../../controls/ids';
import { documentAt, pathAtOffset, resolvePath, type JsonPath } from '../../documents/paths';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import type { Position, Range } from '../../types';
import type { OscalEnvironment } from '../analyze';
import { freshUuid, oscalNow, yamlScalar } from '../edits';
import { isEnumType, isObjectType, type OscalModel, type TypeExpr } from '../model/model';
import { REFERENCEABLE } from '../semantic/definitions';
import { REFERENCE_FIELDS } from '../semantic/references';
import { isRecord } from '../semantic/walk';
import { analysisOf, cursorAt, referenceFieldOf, type CursorContext } from './context';
import { catalogFor, localParams, valueAtPath } from './targets';

export interface OscalCompletion {
  label: string;
  kind: 'field' | 'value' | 'reference' | 'uuid' | 'control' | 'parameter';
  detail?: string;
  insertText: string;
  /** The text the completion replaces (the scalar or key under the cursor); absent: insert at the cursor. */
  range?: Range;
  sortText?: string;
}

const SUBJECT_KINDS: Record<string, string[]> = {
  component: ['component'], 'inventory-item': ['inventory-item'], location: ['location'], party: ['party'], user: ['user'], resource: ['resource'],
  tool: ['component'], 'assessment-platform': ['assessment-platform'],
};

function typeAt(model: OscalModel, path: JsonPath): TypeExpr | undefined {
  return model.typeAt(String(path[0]), path.slice(1));
}

function valueText(file: ParsedFile, v: string): string {
  return file.format === 'json' ? JSON.stringify(v) : yamlScalar(v);
}

function valueCompletions(ctx: CursorContext, env: OscalEnvironment): OscalCompletion[] {
  const { analysis, path, file } = ctx;
  const range = ctx.scalar ? file.lines.range(ctx.scalar.start, ctx.scalar.end) : undefined;
  const out: OscalCompletion[] = [];
  const last = path[path.length - 1];
  const field = typeof last === 'number' ? String(path[path.length - 2]) : String(last);
  const refField = referenceFieldOf(path);
  if (refField) {
    let kinds = REFERENCE_FIELDS[refField];
    if (!kinds) {
      const owner = valueAtPath({ [analysis.root.model]: analysis.root.content }, typeof last === 'number' ? path.slice(0, -2) : path.slice(0, -1));
      kinds = isRecord(owner) && typeof owner.type === 'string' ? (SUBJECT_KINDS[owner.type] ?? []) : [...REFERENCEABLE];
    }
    if (kinds.includes('role')) {
      for (const d of analysis.definitions.roles.values()) out.push({ label: d.key, kind: 'reference', detail: d.name, insertText: valueText(file, d.key), range });
    } else {
      for (const d of analysis.definitions.all) {
        if (kinds.includes(d.kind)) out.push({ label: d.key, kind: 'reference', detail: `${d.kind}${d.name ? `: ${d.name}` : ''}`, insertText: valueText(file, d.key), range });
      }
    }
    return out;
  }
  if (field === 'uuid' || field.endsWith('-uuid')) {
    const u = freshUuid();
    out.push({ label: 'fresh uuid', kind: 'uuid', detail: u, insertText: valueText(file, u), range, sortText: '0' });
  }
  if (field === 'param-id') {
    for (const id of localParams(ctx).keys()) out.push({ label: id, kind: 'parameter', insertText: valueText(file, id), range });
    const catalog = catalogFor(ctx, path, env);
    if (catalog) {
      for (const [id, p] of catalog.params) out.push({ label: id, kind: 'parameter', detail: typeof p.param.label === 'string' ? p.param.label : p.controlId, insertText: valueText(file, id), range });
    }
    return out;
  }
  if (field === 'control-id' || field === 'with-ids') {
    const catalog = catalogFor(ctx, path, env);
    if (catalog) {
      for (const [id, c] of catalog.controls) {
        if (!c.withdrawn) out.push({ label: id, kind: 'control', detail: `${displayControlId(id)} ${c.control.title}`, insertText: valueText(file, id), range });
      }
    }
    return out;
  }
  const t = typeAt(analysis.model, path);
  const r = t === undefined ? undefined : analysis.model.resolve(t);
  if (r && isEnumType(r)) for (const v of r.v) out.push({ label: v, kind: 'value', detail: r.open ? 'suggested value' : 'allowed value', insertText: valueText(file, v), range });
  if (r === 'boolean') for (const v of ['true', 'false']) out.push({ label: v, kind: 'value', insertText: v, range });
  if (r === 'date-time') {
    const now = oscalNow(env.now?.());
    out.push({ label: 'now', kind: 'value', detail: now, insertText: valueText(file, now), range });
  }
  return out;
}

/** For a YAML cursor on a blank or half-typed line: the path of the map whose keys sit at the cursor's column. */
function yamlParentByIndent(file: ParsedFile, doc: ParsedDocument, position: Position): JsonPath | undefined {
  const lineText = file.lines.lineText(position.line);
  const col = /^[ \t]*/.exec(lineText)?.[0].length ?? 0;
  for (let line = position.line - 1; line >= 0 && line >= position.line - 2000; line--) {
    const text = file.lines.lineText(line);
    if (!text.trim() || text.trim().startsWith('#')) continue;
    const m = /^([ \t]*)(- +)?([^\s:#][^:#]*):/.exec(text);
    if (!m) continue;
    const keyCol = m[1].length + (m[2]?.length ?? 0);
    const keyOffset = file.lines.lineStart(line) + keyCol;
    if (keyCol === col) return pathAtOffset(doc, keyOffset).path.slice(0, -1);
    if (keyCol < col) return pathAtOffset(doc, keyOffset).path;
    if (m[1].length < col) return undefined;
  }
  return undefined;
}

function fieldCompletions(ctx: { file: ParsedFile; doc: ParsedDocument; model: OscalModel; rootValue: unknown }, objectPath: JsonPath, range: Range | undefined): OscalCompletion[] {
  if (objectPath.length === 0) return [];
  const t = typeAt(ctx.model, objectPath);
  const r = t === undefined ? undefined : ctx.model.resolve(t);
  if (!r || !isObjectType(r)) return [];
  const present = valueAtPath(ctx.rootValue, objectPath);
  const have = new Set(isRecord(present) ? Object.keys(present) : []);
  const required = new Set([...(r.r ?? []), ...(r.alt?.length === 1 ? r.alt[0].r : [])]);
  return Object.keys(r.p)
    .filter((f) => !have.has(f))
    .map((f) => ({
      label: f,
      kind: 'field' as const,
      detail: required.has(f) ? 'required' : undefined,
      insertText: ctx.file.format === 'json' ? `"${f}": ` : `${f}: `,
      range,
      sortText: `${required.has(f) ? '0' : '1'}${f}`,
    }));
}

/** Completion in OSCAL documents: field names, allowed values, uuid references of the right kind, a fresh uuid, ids. */
export function oscalCompletions(file: ParsedFile, position: Position, env: OscalEnvironment = {}): OscalCompletion[] {
  const offset = file.lines.offsetAt(position);
  const doc = documentAt(file, offset);
  if (!doc) return [];
  const analysis = analysisOf(doc, file.uri, env);
  if (!analysis) return [];
  const fctx = { file, doc, model: analysis.model, rootValue: { [analysis.root.model]: analysis.root.content } };
  const ctx = cursorAt(file, position, env);
  if (ctx && ctx.scalar && !ctx.onKey && ctx.path.length > 0) {
    const v = valueCompletions(ctx, env);
    if (v.length) return v;
  }
  if (ctx && ctx.onKey && ctx.scalar) {
    return fieldCompletions(fctx, ctx.path.slice(0, -1), file.lines.range(ctx.scalar.start, ctx.scalar.end));
  }
  if (file.format === 'yaml') {
    const lineText = file.lines.lineText(position.line);
    const typed = /^[ \t]*(- +)?([A-Za-z-]*)$/.exec(lineText.slice(0, position.character));
    if (typed) {
      const parent = yamlParentByIndent(file, doc, { line: position.line, character: 0 });
      const start = { line: position.line, character: position.character - typed[2].length };
      if (parent) return fieldCompletions(fctx, parent, { start, end: position });
    }
  }
  if (ctx) {
    const target = resolvePath(doc, ctx.path);
    if (target.exact && isMap(target.node)) return fieldCompletions(fctx, ctx.path, undefined);
  }
  return [];
}
