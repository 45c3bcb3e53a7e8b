import type { JsonPath } from '../documents/paths';
import { checkPrimitive, describeJsonType } from './formats';
import { KIND_OF_LIST } from './semantic/definitions';
import { isArrayType, isEnumType, isObjectType, isOneOrMany, type ObjectType, type OscalModel, type Primitive, type TypeExpr } from './model/model';

export type StructureProblem = 'required' | 'unknown-field' | 'type' | 'format' | 'allowed-values' | 'empty-list' | 'form';

/** One structural problem, located by path; turned into a Finding (with a range) only when reported. */
export interface StructureIssue {
  problem: StructureProblem;
  /** The object lacking a field (`required`, `form`), or the offending key or value. */
  path: JsonPath;
  /** Whether the range is the key (`unknown-field`, `required`) or the value. */
  part: 'key' | 'value';
  message: string;
  /** The missing field (`required`) or the unknown one. */
  field?: string;
  /** The type the value should have had (for quick fixes and completion). */
  expected?: TypeExpr;
}

/** Bounds against hostile input: deep nesting and huge documents stop the walk with one issue. */
const MAX_DEPTH = 200;
const MAX_ISSUES = 1000;

export function nameOf(path: JsonPath): string {
  for (let i = path.length - 1; i >= 0; i--) {
    if (typeof path[i] === 'string') return String(path[i]);
  }
  return 'document';
}

function label(path: JsonPath, v?: unknown): string {
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const list = nameOf(path.slice(0, -1));
    const ident = isRecord(v) ? identOf(v) : undefined;
    if (ident) return `${KIND_OF_LIST[list] ?? list.replace(/ies$/, 'y').replace(/s$/, '')} \`${ident}\``;
    return `item ${last + 1} of \`${list}\``;
  }
  return `\`${nameOf(path)}\``;
}

/** What a person would call a list item: its id, control id, name or title, else the start of its uuid. */
function identOf(o: Record<string, unknown>): string | undefined {
  for (const k of ['id', 'control-id', 'statement-id', 'param-id', 'role-id', 'name', 'title']) {
    const v = o[k];
    if (typeof v === 'string' && v.trim() && v.length <= 60 && !v.includes('`') && !v.includes('\n')) return v;
  }
  return typeof o.uuid === 'string' && o.uuid.length >= 8 ? `${o.uuid.slice(0, 8)}…` : undefined;
}

function quoteList(names: string[], joiner = 'and'): string {
  const q = names.map((n) => `\`${n}\``);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')} ${joiner} ${q[q.length - 1]}`;
}

/** The closest field name, for "did you mean" hints (Levenshtein distance up to a third of the length). */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase(), bestD);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a document's model content (the value under `catalog`, `profile`, ...) against the model. */
export function checkStructure(model: OscalModel, root: string, value: unknown, rootPath: JsonPath = [root]): StructureIssue[] {
  const issues: StructureIssue[] = [];
  const rootType = model.rootType(root);
  if (!rootType) return issues;
  const add = (i: StructureIssue): void => {
    if (issues.length < MAX_ISSUES) issues.push(i);
  };

  const walk = (t: TypeExpr, v: unknown, path: JsonPath, depth: number): void => {
    if (issues.length >= MAX_ISSUES) return;
    if (depth > MAX_DEPTH) {
      add({ problem: 'type', path, part: 'value', message: `${label(path)} is nested too deeply to check` });
      return;
    }
    const r = model.resolve(t);
    if (typeof r === 'string') {
      checkScalar(r as Primitive, v, path, t);
      return;
    }
    if (isEnumType(r)) {
      const base = checkPrimitive(r.b, v);
      if (base?.problem === 'type' || (base && r.open)) {
        reportScalar(base.problem, base.expected, v, path, t);
        return;
      }
      if (!r.open && (typeof v !== 'string' || !r.v.includes(v))) {
        add({
          problem: 'allowed-values',
          path,
          part: 'value',
          expected: t,
          message: `${label(path)} must be one of ${quoteList(r.v, 'or')}${typeof v === 'string' ? `, not \`${v}\`` : ''}`,
        });
      }
      return;
    }
    if (isArrayType(r) || isOneOrMany(r)) {
      if (!Array.isArray(v)) {
        if (isOneOrMany(r)) {
          walk(r.i, v, path, depth + 1);
          return;
        }
        add({ problem: 'type', path, part: 'value', expected: t, message: `${label(path)} must be a list, not ${describeJsonType(v)}` });
        return;
      }
      if (r.min !== undefined && v.length < r.min) {
        add({
          problem: 'empty-list',
          path,
          part: 'value',
          expected: t,
          message: `${label(path)} must not be empty: leave the field out or give it at least ${r.min} item${r.min === 1 ? '' : 's'}`,
        });
      }
      for (let i = 0; i < v.length; i++) walk(r.i, v[i], [...path, i], depth + 1);
      return;
    }
    if (isObjectType(r)) {
      if (!isRecord(v)) {
        add({ problem: 'type', path, part: 'value', expected: t, message: `${label(path)} must be an object, not ${describeJsonType(v)}` });
        return;
      }
      checkObject(r, v, path, depth);
    }
  };

  const checkScalar = (p: Primitive, v: unknown, path: JsonPath, t: TypeExpr): void => {
    const c = checkPrimitive(p, v);
    if (c) reportScalar(c.problem, c.expected, v, path, t);
  };

  const reportScalar = (problem: 'type' | 'format', expected: string, v: unknown, path: JsonPath, t: TypeExpr): void => {
    if (problem === 'type') {
      const quoteHint = typeof v === 'number' || typeof v === 'boolean' ? ' (quote it in YAML)' : '';
      const wantsString = typeof t === 'string' && !['integer', 'non-negative-integer', 'positive-integer', 'decimal', 'boolean', 'any-object'].includes(model.resolve(t) as string);
      add({
        problem: 'type',
        path,
        part: 'value',
        expected: t,
        message: `${label(path)} must be ${expected}, not ${describeJsonType(v)}${wantsString ? quoteHint : ''}`,
      });
      return;
    }
    const shown = typeof v === 'string' ? (v.length > 60 ? `${v.slice(0, 57)}...` : v) : String(v);
    add({ problem: 'format', path, part: 'value', expected: t, message: `${label(path)} must be ${expected}; \`${shown.replace(/\n/g, '\\n')}\` is not` });
  };

  const checkObject = (r: ObjectType, v: Record<string, unknown>, path: JsonPath, depth: number): void => {
    const keys = Object.keys(v);
    const known = Object.keys(r.p);
    for (const k of keys) {
      if (r.p[k] === undefined) {
        if (path.length === 0 && k === '$schema') continue;
        const near = closestName(k, known.filter((n) => !(n in v)));
        add({
          problem: 'unknown-field',
          path: [...path, k],
          part: 'key',
          field: k,
          message: `${label(path, v)} has no field \`${k}\`${near ? `; did you mean \`${near}\`?` : ''}`,
        });
      }
    }
    for (const f of r.r ?? []) {
      if (!(f in v)) add({ problem: 'required', path, part: 'key', field: f, expected: r.p[f], message: `${label(path, v)} needs \`${f}\`` });
    }
    if (r.alt) checkForms(r, v, path);
    for (const k of keys) {
      const ft = r.p[k];
      if (ft !== undefined) walk(ft, v[k], [...path, k], depth + 1);
    }
  };

  /** Objects with several forms (`import` with `include-all` or `include-controls`, ...). */
  const checkForms = (r: ObjectType, v: Record<string, unknown>, path: JsonPath): void => {
    const alts = r.alt ?? [];
    const present = Object.keys(v).filter((k) => r.p[k] !== undefined);
    const allowedBy = (a: { p?: string[] }): boolean => !a.p || present.every((k) => a.p?.includes(k));
    const fitting = alts.filter(allowedBy);
    if (fitting.some((a) => a.r.every((f) => f in v))) return;
    if (fitting.length === 0) {
      // Fields that only some forms allow, present together although no form allows them all.
      const exclusive = present.filter((k) => alts.some((a) => a.p && !a.p.includes(k)));
      add({
        problem: 'form',
        path,
        part: 'key',
        message: `${label(path, v)} cannot have ${quoteList(exclusive)} together; keep only one of them`,
      });
      return;
    }
    const missing = fitting.map((a) => a.r.filter((f) => !(f in v)));
    const shared = missing[0].filter((f) => missing.every((m) => m.includes(f)));
    if (shared.length && missing.every((m) => m.length === shared.length)) {
      for (const f of shared) add({ problem: 'required', path, part: 'key', field: f, expected: r.p[f], message: `${label(path, v)} needs \`${f}\`` });
      return;
    }
    const options = [...new Set(missing.map((m) => m.map((f) => `\`${f}\``).join(' and ')))].filter(Boolean);
    add({
      problem: 'required',
      path,
      part: 'key',
      field: missing[0][0],
      expected: r.p[missing[0][0]],
      message: `${label(path, v)} needs ${options.slice(0, -1).join(', ')}${options.length > 1 ? ' or ' : ''}${options[options.length - 1]}`,
    });
  };

  if (!isRecord(value)) {
    add({ problem: 'type', path: rootPath, part: 'value', message: `\`${root}\` must be an object, not ${describeJsonType(value)}` });
    return issues;
  }
  const rr = model.resolve(rootType);
  if (isObjectType(rr)) checkObject(rr, value, rootPath, 0);
  return issues;
}
