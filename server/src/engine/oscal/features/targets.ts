import type { CatalogModel } from '../../controls/catalog';
import type { JsonPath } from '../../documents/paths';
import type { OscalEnvironment } from '../analyze';
import { controlSources, parameterIds } from '../semantic/controls';
import type { Definition } from '../semantic/definitions';
import type { ReferenceSite } from '../semantic/references';
import { isRecord } from '../semantic/walk';
import { referencesOf, samePath, type CursorContext } from './context';

/** What the cursor names: a uuid (or role id) reference or definition, or a parameter id. */
export type Target =
  | { kind: 'uuid'; key: string; role: boolean; reference?: ReferenceSite; definitions: Definition[] }
  | { kind: 'param'; id: string; local?: JsonPath; catalog?: CatalogModel }
  | { kind: 'control'; id: string; catalog?: CatalogModel }
  | { kind: 'href'; href: string };

function valueAtPath(root: unknown, path: JsonPath): unknown {
  let v = root;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

/** Parameters a document defines itself (a catalog's, or a profile's added ones): id to path. */
export function localParams(ctx: CursorContext): Map<string, JsonPath> {
  const out = new Map<string, JsonPath>();
  const walk = (v: unknown, path: JsonPath, depth: number): void => {
    if (depth > 64) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (isRecord(v)) {
      if (path[path.length - 2] === 'params' && typeof v.id === 'string' && !out.has(v.id)) out.set(v.id, path);
      for (const k of ['groups', 'controls', 'params', 'modify', 'alters', 'adds']) if (k in v) walk(v[k], [...path, k], depth + 1);
    }
  };
  walk(ctx.analysis.root.content, ctx.analysis.rootPath, 0);
  return out;
}

/** The catalog whose controls govern a path of the document (through its control sources). */
export function catalogFor(ctx: CursorContext, path: JsonPath, env: OscalEnvironment): CatalogModel | undefined {
  if (!env.controls) return undefined;
  const { root, rootPath } = ctx.analysis;
  const sources = controlSources(root.model, root.content, rootPath);
  const from = { uri: ctx.file.uri, backMatter: root.content['back-matter'] };
  const inScope = sources.filter((s) => s.scope.every((step, i) => path[i] === step)).sort((a, b) => b.scope.length - a.scope.length);
  for (const s of inScope.length ? inScope : sources) {
    const c = env.controls(s, from);
    if (c) return c;
  }
  return undefined;
}

export function findParam(catalog: CatalogModel, id: string): { id: string; param: Record<string, unknown>; controlId?: string } | undefined {
  const direct = catalog.params.get(id);
  if (direct) return { id, param: direct.param as Record<string, unknown>, controlId: direct.controlId };
  if (!parameterIds(catalog).has(id)) return undefined;
  for (const [pid, p] of catalog.params) {
    const props = Array.isArray(p.param.props) ? p.param.props : [];
    if (props.some((x) => isRecord(x) && x.name === 'alt-identifier' && x.value === id)) return { id: pid, param: p.param as Record<string, unknown>, controlId: p.controlId };
  }
  return undefined;
}

export function targetAt(ctx: CursorContext, env: OscalEnvironment): Target | undefined {
  const { path } = ctx;
  const value = ctx.scalar?.value;
  if (typeof value !== 'string' || ctx.onKey) return undefined;
  const refs = referencesOf(ctx.analysis);
  const ref = refs.find((r) => samePath(r.path, path));
  const index = ctx.analysis.definitions;
  if (ref) {
    const role = ref.kinds.includes('role');
    const defs = role ? [index.roles.get(ref.value)].filter((d): d is Definition => !!d) : (index.byKey.get(ref.value) ?? []);
    return { kind: 'uuid', key: ref.value, role, reference: ref, definitions: defs };
  }
  const last = path[path.length - 1];
  if (last === 'uuid') return { kind: 'uuid', key: value, role: false, definitions: index.byKey.get(value) ?? [] };
  if (last === 'id' && path[path.length - 3] === 'roles') {
    const d = index.roles.get(value);
    return { kind: 'uuid', key: value, role: true, definitions: d ? [d] : [] };
  }
  const field = typeof last === 'number' ? path[path.length - 2] : last;
  if (field === 'control-id' || field === 'with-ids') return { kind: 'control', id: value, catalog: catalogFor(ctx, path, env) };
  if ((last === 'href' || last === 'source') && !value.startsWith('#')) return { kind: 'href', href: value };
  if (last === 'param-id' || (last === 'id' && path[path.length - 3] === 'params')) {
    const local = localParams(ctx).get(value);
    const catalog = local ? undefined : catalogFor(ctx, path, env);
    return { kind: 'param', id: value, local, catalog };
  }
  return undefined;
}

/** Every place in the document that refers to a uuid, role id or parameter id. */
export function usagesOf(ctx: CursorContext, target: Target): JsonPath[] {
  if (target.kind === 'uuid') {
    return referencesOf(ctx.analysis)
      .filter((r) => r.value === target.key && (target.role ? r.kinds.includes('role') : !r.kinds.includes('role')))
      .map((r) => r.path);
  }
  if (target.kind === 'href') return [];
  const out: JsonPath[] = [];
  const fields = target.kind === 'param' ? ['param-id'] : ['control-id', 'with-ids'];
  const walk = (v: unknown, path: JsonPath, depth: number): void => {
    if (depth > 200) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (fields.includes(k) && x === target.id) out.push([...path, k]);
        else if (fields.includes(k) && Array.isArray(x)) x.forEach((y, i) => y === target.id && out.push([...path, k, i]));
        else if (typeof x === 'object' && x !== null) walk(x, [...path, k], depth + 1);
      }
    }
  };
  walk(ctx.analysis.root.content, ctx.analysis.rootPath, 0);
  return out;
}

export { valueAtPath };
