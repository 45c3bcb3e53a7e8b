/**
 * OSCAL profile resolution: from a profile and the catalogs/profiles it imports, the catalog of the
 * controls it selects, with its parameter settings and alterations applied.
 *
 * Covered: imports of catalogs and of profiles (recursively, cycles reported), back-matter `#uuid`
 * hrefs, include-all, include-controls/exclude-controls by `with-ids`, `matching` globs and
 * `with-child-controls`, merge `as-is` (structure kept, unselected parents of selected enhancements
 * kept as structure) and `flat`, duplicate controls across imports (first wins), set-parameters and
 * alters (removes and adds). `merge.custom` is read as flat and reported as unsupported.
 */
import { absoluteUri, resolveHref } from './href';
import { alterControl } from './alter';
import { ancestorsOf, descendantsOf, emptyCatalog, loadCatalog, type CatalogModel } from './catalog';
import { asArray, asString, isRecord, type JsonPath, type OscalBackMatter, type OscalParam } from './oscal';
import type { ResolutionProblem, ResolutionProblemCode } from './problems';
import { appendAll } from '../arrays';

/** What a loader gives for an absolute URI: the parsed document, an error, or undefined when it does not exist. */
export type LoadResult = { value: unknown } | { error: string; code?: ResolutionProblemCode } | undefined;
export type OscalLoader = (uri: string) => LoadResult;

export interface ImportInfo {
  /** Path of the import's href in the profile document. */
  path: JsonPath;
  href: string;
  /** The URI that was loaded, when one was. */
  uri?: string;
  kind?: 'catalog' | 'profile';
}

export interface ResolvedProfile extends CatalogModel {
  kind: 'profile';
  imports: ImportInfo[];
  /** Every URI this resolution read or tried (transitively): a change to any of them invalidates it. */
  dependencies: Set<string>;
}

interface Context {
  load: OscalLoader;
  stack: string[];
  dependencies: Set<string>;
  problems: ResolutionProblem[];
}

export interface ResolveOptions {
  /** Profile URIs already being resolved above this one (cycle detection across calls). */
  stack?: string[];
}

/** Resolves a profile document (`{profile: {...}}`) located at `uri`. Never throws. */
export function resolveProfile(value: unknown, uri: string, load: OscalLoader, options: ResolveOptions = {}): ResolvedProfile {
  const ctx: Context = { load, stack: [...(options.stack ?? []), uri], dependencies: new Set([uri]), problems: [] };
  const resolved = resolveInner(value, uri, ctx);
  resolved.problems = ctx.problems;
  return resolved;
}

function newResolved(uri: string): ResolvedProfile {
  return { ...emptyCatalog(uri, 'profile'), kind: 'profile', imports: [], dependencies: new Set() };
}

function resolveInner(value: unknown, uri: string, ctx: Context): ResolvedProfile {
  const out = newResolved(uri);
  out.dependencies = ctx.dependencies;
  const wrapped = isRecord(value) && isRecord(value.profile);
  const profile = wrapped ? (value as { profile: Record<string, unknown> }).profile : value;
  const base: JsonPath = wrapped ? ['profile'] : [];
  const problem = (path: JsonPath, code: ResolutionProblemCode, message: string, extra: Partial<ResolutionProblem> = {}): void => {
    ctx.problems.push({ uri, path, code, message, ...extra });
  };
  if (!isRecord(profile)) {
    problem(base, 'oscal.invalid-profile', 'Not an OSCAL profile: expected an object');
    return out;
  }
  out.uuid = asString(profile.uuid);
  if (isRecord(profile.metadata)) {
    out.title = asString(profile.metadata.title);
    out.version = asString(profile.metadata.version);
  }
  const backMatter = isRecord(profile['back-matter']) ? (profile['back-matter'] as OscalBackMatter) : undefined;
  out.backMatter = backMatter;

  const merge = isRecord(profile.merge) ? profile.merge : {};
  const asIs = merge['as-is'] === true || merge['as-is'] === 'true';
  if (isRecord(merge.custom)) problem([...base, 'merge', 'custom'], 'oscal.unsupported', 'Custom merge grouping is not applied: controls are listed flat', { severity: 'information' });

  const imports = asArray(profile.imports);
  if (imports.length === 0) problem(base, 'oscal.invalid-profile', 'Profile has no imports');
  imports.forEach((imp, i) => {
    const ip: JsonPath = [...base, 'imports', i];
    if (!isRecord(imp) || typeof imp.href !== 'string') {
      problem(ip, 'oscal.invalid-profile', 'Import without an href');
      return;
    }
    const info: ImportInfo = { path: [...ip, 'href'], href: imp.href };
    out.imports.push(info);
    const source = loadImport(imp.href, uri, backMatter, info, ctx);
    if (!source) return;
    const selected = selectControls(source, imp, ip, (path, code, message) => problem(path, code, message));
    const keep = new Set(selected);
    if (asIs) for (const id of selected) for (const a of ancestorsOf(source, id)) keep.add(a);
    for (const [id, entry] of source.controls) {
      if (!keep.has(id)) continue;
      // The same control from two imports: the first one wins, whatever `combine` asks.
      if (out.controls.has(id)) continue;
      const parentId = asIs ? entry.parentId : undefined;
      out.controls.set(id, {
        ...entry,
        control: { ...entry.control },
        parentId: parentId && keep.has(parentId) ? parentId : undefined,
        children: [],
        groups: asIs ? entry.groups : [],
        selected: selected.has(id) && entry.selected,
      });
    }
  });
  // Children lists and groups are rebuilt from what was kept.
  for (const entry of out.controls.values()) if (entry.parentId) out.controls.get(entry.parentId)?.children.push(entry.id);
  if (asIs) {
    const seen = new Set<string>();
    for (const entry of out.controls.values()) {
      const g = entry.groups[0];
      const key = g ? `${g.id ?? ''}\u0000${g.title}` : undefined;
      if (g && key && !seen.has(key)) {
        seen.add(key);
        out.groups.push(g);
      }
    }
  }
  collectParams(out);
  // With an import missing, unknown ids in modify are a consequence, not a second mistake.
  const importFailed = out.imports.some((i) => !i.uri);
  applyModify(out, profile.modify, [...base, 'modify'], (path, code, message) => {
    if (importFailed && (code === 'oscal.unknown-parameter' || code === 'oscal.unknown-control')) return;
    problem(path, code, message);
  });
  return out;
}

function loadImport(
  href: string,
  fromUri: string,
  backMatter: OscalBackMatter | undefined,
  info: ImportInfo,
  ctx: Context,
): CatalogModel | undefined {
  const target = resolveHref(href, fromUri, backMatter);
  const at = info.path;
  if (target.error) {
    ctx.problems.push({ uri: fromUri, path: at, code: 'oscal.unresolved-reference', message: target.error });
    return undefined;
  }
  const errors: string[] = [];
  let errorCode: ResolutionProblemCode = 'oscal.unresolved-reference';
  for (const candidate of target.candidates) {
    ctx.dependencies.add(candidate);
    if (ctx.stack.includes(candidate)) {
      ctx.problems.push({
        uri: fromUri,
        path: at,
        code: 'oscal.import-cycle',
        message: `Import cycle: ${[...ctx.stack.slice(ctx.stack.indexOf(candidate)), candidate].join(' → ')}`,
      });
      return undefined;
    }
    let result: LoadResult;
    try {
      result = ctx.load(candidate);
    } catch (e) {
      result = { error: e instanceof Error ? e.message : String(e) };
    }
    if (!result) continue;
    if ('error' in result) {
      errors.push(`${candidate}: ${result.error}`);
      if (result.code) errorCode = result.code;
      continue;
    }
    const v = result.value;
    if (isRecord(v) && isRecord(v.catalog)) {
      info.uri = candidate;
      info.kind = 'catalog';
      const model = loadCatalog(v, candidate);
      appendAll(ctx.problems, model.problems);
      return model;
    }
    if (isRecord(v) && isRecord(v.profile)) {
      info.uri = candidate;
      info.kind = 'profile';
      const inner: Context = { ...ctx, stack: [...ctx.stack, candidate] };
      return resolveInner(v, candidate, inner);
    }
    errors.push(`${candidate}: not an OSCAL catalog or profile`);
  }
  const tried = target.candidates;
  const message = errors.length
    ? `Cannot load import "${href}": ${errors.join('; ')}`
    : `Cannot find import "${href}" (tried ${tried.join(', ')})`;
  ctx.problems.push({ uri: fromUri, path: at, code: errorCode, message, tried });
  return undefined;
}

type Report = (path: JsonPath, code: ResolutionProblemCode, message: string) => void;

/**
 * Glob match (`*` any run, `?` one character) by the two-pointer method: linear in practice and at
 * worst pattern × text, where a regular expression built from a hostile pattern could backtrack for ever.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function matchSelectors(source: CatalogModel, selectors: unknown, path: JsonPath, report: Report): Set<string> {
  const out = new Set<string>();
  asArray(selectors).forEach((sel, j) => {
    if (!isRecord(sel)) return;
    const sp = [...path, j];
    const withChildren = sel['with-child-controls'] === 'yes';
    const add = (id: string): void => {
      out.add(id);
      if (withChildren) for (const d of descendantsOf(source, id)) out.add(d);
    };
    asArray(sel['with-ids']).forEach((id, k) => {
      if (typeof id !== 'string') return;
      if (source.controls.has(id)) add(id);
      else report([...sp, 'with-ids', k], 'oscal.unknown-control', `Control "${id}" is not in the imported ${source.kind}`);
    });
    asArray(sel.matching).forEach((m, k) => {
      const pattern = isRecord(m) ? asString(m.pattern) : undefined;
      if (!pattern) return;
      let hit = false;
      for (const id of source.controls.keys()) {
        if (globMatch(pattern, id)) {
          hit = true;
          add(id);
        }
      }
      if (!hit) report([...sp, 'matching', k, 'pattern'], 'oscal.unknown-control', `No control of the imported ${source.kind} matches "${pattern}"`);
    });
  });
  return out;
}

/** The ids an import selects, in the source's document order. */
function selectControls(source: CatalogModel, imp: Record<string, unknown>, path: JsonPath, report: Report): Set<string> {
  let chosen: Set<string>;
  if (imp['include-controls'] !== undefined) {
    chosen = matchSelectors(source, imp['include-controls'], [...path, 'include-controls'], report);
  } else {
    // include-all, and also the lenient reading of an import that says nothing.
    chosen = new Set(source.controls.keys());
  }
  if (imp['exclude-controls'] !== undefined) {
    for (const id of matchSelectors(source, imp['exclude-controls'], [...path, 'exclude-controls'], report)) chosen.delete(id);
  }
  return new Set([...source.controls.keys()].filter((id) => chosen.has(id)));
}

function collectParams(model: CatalogModel): void {
  model.params.clear();
  for (const entry of model.controls.values()) {
    for (const p of asArray(entry.control.params)) {
      if (isRecord(p) && typeof p.id === 'string' && !model.params.has(p.id)) model.params.set(p.id, { param: p as OscalParam, controlId: entry.id });
    }
  }
}

const PARAM_REPLACED = ['class', 'label', 'usage', 'values', 'select', 'constraints', 'guidelines', 'depends-on'] as const;
const PARAM_APPENDED = ['props', 'links'] as const;

function applyModify(
  model: ResolvedProfile,
  modify: unknown,
  path: JsonPath,
  problem: (path: JsonPath, code: ResolutionProblemCode, message: string) => void,
): void {
  if (!isRecord(modify)) return;
  asArray(modify['set-parameters']).forEach((sp, i) => {
    const at = [...path, 'set-parameters', i];
    if (!isRecord(sp) || typeof sp['param-id'] !== 'string') {
      problem(at, 'oscal.invalid-profile', 'set-parameters entry without a param-id');
      return;
    }
    const id = sp['param-id'];
    const target = model.params.get(id);
    if (!target) {
      problem([...at, 'param-id'], 'oscal.unknown-parameter', `Parameter "${id}" is not defined by any selected control`);
      return;
    }
    const updated: OscalParam = { ...target.param };
    for (const k of PARAM_REPLACED) if (sp[k] !== undefined) (updated as Record<string, unknown>)[k] = sp[k];
    // A value set by the profile supersedes a selection offered by the catalog, and vice versa.
    if (sp.values !== undefined && sp.select === undefined) delete updated.select;
    if (sp.select !== undefined && sp.values === undefined) delete updated.values;
    for (const k of PARAM_APPENDED) {
      if (Array.isArray(sp[k])) (updated as Record<string, unknown>)[k] = [...asArray(updated[k]), ...(sp[k] as unknown[])];
    }
    replaceParam(model, id, updated);
  });
  asArray(modify.alters).forEach((alter, i) => {
    const at = [...path, 'alters', i];
    if (!isRecord(alter) || typeof alter['control-id'] !== 'string') {
      problem(at, 'oscal.invalid-profile', 'alter without a control-id');
      return;
    }
    const entry = model.controls.get(alter['control-id']);
    if (!entry) {
      problem([...at, 'control-id'], 'oscal.unknown-control', `Control "${alter['control-id']}" is not selected by this profile`);
      return;
    }
    entry.control = alterControl(entry.control, alter, at, (p, m) => problem(p, 'oscal.unresolved-reference', m));
  });
  if (Array.isArray(modify.alters)) collectParams(model);
}

function replaceParam(model: CatalogModel, id: string, updated: OscalParam): void {
  const owner = model.params.get(id)?.controlId;
  model.params.set(id, { param: updated, controlId: owner });
  const entry = owner ? model.controls.get(owner) : undefined;
  if (!entry) return;
  entry.control = { ...entry.control, params: asArray(entry.control.params).map((p) => (isRecord(p) && p.id === id ? updated : p)) as OscalParam[] };
}

/** Resolves an href of a document to the absolute URI a loader would be asked for (first candidate). */
export function importUri(href: string, fromUri: string, backMatter?: OscalBackMatter): string | undefined {
  const t = resolveHref(href, fromUri, backMatter);
  return t.candidates[0] ?? absoluteUri(href, fromUri);
}
