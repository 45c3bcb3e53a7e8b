/**
 * An OSCAL catalog (or a resolved profile) as an index: controls by id in document order, with the
 * groups around them, their parent, and where each one sits in its source document so that callers
 * can turn it into a range.
 */
import {
  asArray,
  asString,
  isRecord,
  isWithdrawn,
  type JsonPath,
  type OscalBackMatter,
  type OscalControl,
  type OscalParam,
} from './oscal';
import type { ResolutionProblem } from './problems';

export interface GroupInfo {
  id?: string;
  title: string;
  class?: string;
}

export interface CatalogControl {
  /** The id as the document writes it (OSCAL ids are case-sensitive: `ac-2.1`). */
  id: string;
  /** The control itself; its `controls` (children) are listed in `children` instead. */
  control: OscalControl;
  parentId?: string;
  children: string[];
  /** Enclosing groups, outermost first (in SP 800-53 the first is the family). */
  groups: GroupInfo[];
  /** The document the control came from and where in it. */
  uri: string;
  path: JsonPath;
  withdrawn: boolean;
  /**
   * In a resolved profile: false for a control that is present only because a selected enhancement
   * needs its parent (`merge: as-is` keeps the catalog's structure). Always true in a catalog.
   */
  selected: boolean;
}

export interface CatalogParam {
  param: OscalParam;
  /** The control that defines it (undefined for group-level parameters). */
  controlId?: string;
}

export interface CatalogModel {
  uri: string;
  kind: 'catalog' | 'profile';
  uuid?: string;
  title?: string;
  version?: string;
  /** Controls in document order (depth first: a control, then its enhancements). */
  controls: Map<string, CatalogControl>;
  params: Map<string, CatalogParam>;
  /** Top-level groups in document order. */
  groups: GroupInfo[];
  backMatter?: OscalBackMatter;
  problems: ResolutionProblem[];
}

// Deeper nesting than any real catalog has; bounds recursion on hostile input.
const MAX_DEPTH = 64;

export function emptyCatalog(uri: string, kind: 'catalog' | 'profile'): CatalogModel {
  return { uri, kind, controls: new Map(), params: new Map(), groups: [], problems: [] };
}

/** Builds the index of a catalog document (`{catalog: {...}}` or the inner object). */
export function loadCatalog(value: unknown, uri: string): CatalogModel {
  const model = emptyCatalog(uri, 'catalog');
  const root = isRecord(value) && isRecord(value.catalog) ? value.catalog : value;
  const rootPath: JsonPath = isRecord(value) && isRecord(value.catalog) ? ['catalog'] : [];
  if (!isRecord(root)) {
    model.problems.push({ uri, path: rootPath, code: 'oscal.invalid-catalog', message: 'Not an OSCAL catalog: expected an object' });
    return model;
  }
  model.uuid = asString(root.uuid);
  if (isRecord(root.metadata)) {
    model.title = asString(root.metadata.title);
    model.version = asString(root.metadata.version);
  }
  if (isRecord(root['back-matter'])) model.backMatter = root['back-matter'] as OscalBackMatter;

  addParams(model, root.params, undefined);
  const walkGroups = (groups: unknown, path: JsonPath, enclosing: GroupInfo[], depth: number): void => {
    asArray(groups).forEach((g, i) => {
      if (!isRecord(g) || depth > MAX_DEPTH) return;
      const info: GroupInfo = { id: asString(g.id), title: asString(g.title) ?? asString(g.id) ?? '', class: asString(g.class) };
      if (depth === 0) model.groups.push(info);
      const gp = [...path, i];
      addParams(model, g.params, undefined);
      walkControls(model, g.controls, [...gp, 'controls'], [...enclosing, info], undefined, depth + 1);
      walkGroups(g.groups, [...gp, 'groups'], [...enclosing, info], depth + 1);
    });
  };
  walkGroups(root.groups, [...rootPath, 'groups'], [], 0);
  walkControls(model, root.controls, [...rootPath, 'controls'], [], undefined, 0);
  return model;
}

function walkControls(
  model: CatalogModel,
  controls: unknown,
  path: JsonPath,
  groups: GroupInfo[],
  parentId: string | undefined,
  depth: number,
): void {
  if (depth > MAX_DEPTH) {
    if (asArray(controls).length) model.problems.push({ uri: model.uri, path, code: 'oscal.invalid-catalog', message: `Controls nested deeper than ${MAX_DEPTH} levels are ignored` });
    return;
  }
  asArray(controls).forEach((c, i) => {
    const cp = [...path, i];
    if (!isRecord(c) || typeof c.id !== 'string' || !c.id) {
      model.problems.push({ uri: model.uri, path: cp, code: 'oscal.invalid-catalog', message: 'Control without an id' });
      return;
    }
    if (model.controls.has(c.id)) {
      model.problems.push({ uri: model.uri, path: [...cp, 'id'], code: 'oscal.duplicate-id', message: `Control id "${c.id}" is defined twice` });
      return;
    }
    const { controls: _children, ...own } = c;
    const control = own as unknown as OscalControl;
    if (typeof control.title !== 'string') control.title = '';
    const entry: CatalogControl = {
      id: c.id,
      control,
      parentId,
      children: [],
      groups,
      uri: model.uri,
      path: cp,
      withdrawn: isWithdrawn(control),
      selected: true,
    };
    model.controls.set(c.id, entry);
    if (parentId) model.controls.get(parentId)?.children.push(c.id);
    addParams(model, c.params, c.id);
    walkControls(model, c.controls, [...cp, 'controls'], groups, c.id, depth + 1);
  });
}

function addParams(model: CatalogModel, params: unknown, controlId: string | undefined): void {
  for (const p of asArray(params)) {
    if (isRecord(p) && typeof p.id === 'string' && !model.params.has(p.id)) {
      model.params.set(p.id, { param: p as OscalParam, controlId });
    }
  }
}

/** All descendants of a control, in document order. */
export function descendantsOf(model: CatalogModel, id: string): string[] {
  const out: string[] = [];
  const visit = (cid: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    for (const child of model.controls.get(cid)?.children ?? []) {
      out.push(child);
      visit(child, depth + 1);
    }
  };
  visit(id, 0);
  return out;
}

/** Ancestors of a control, nearest first. */
export function ancestorsOf(model: CatalogModel, id: string): string[] {
  const out: string[] = [];
  let cur = model.controls.get(id)?.parentId;
  while (cur && out.length <= MAX_DEPTH) {
    out.push(cur);
    cur = model.controls.get(cur)?.parentId;
  }
  return out;
}

/** The OSCAL document form of a model: `{catalog: {...}}` with groups and nested controls, as a resolver emits. */
export function toOscalCatalog(model: CatalogModel): { catalog: Record<string, unknown> } {
  const nest = (id: string): OscalControl => {
    const entry = model.controls.get(id)!;
    const children = entry.children.filter((c) => model.controls.has(c)).map(nest);
    return children.length ? { ...entry.control, controls: children } : { ...entry.control };
  };
  const roots = [...model.controls.values()].filter((c) => !c.parentId || !model.controls.has(c.parentId));
  const groups: Record<string, unknown>[] = [];
  const loose: OscalControl[] = [];
  for (const r of roots) {
    const g = r.groups[0];
    if (!g) {
      loose.push(nest(r.id));
      continue;
    }
    let target = groups.find((x) => x.id === g.id && x.title === g.title);
    if (!target) {
      target = { ...(g.id ? { id: g.id } : {}), ...(g.class ? { class: g.class } : {}), title: g.title, controls: [] };
      groups.push(target);
    }
    (target.controls as OscalControl[]).push(nest(r.id));
  }
  const catalog: Record<string, unknown> = { uuid: model.uuid ?? '', metadata: { title: model.title ?? '' } };
  if (groups.length) catalog.groups = groups;
  if (loose.length) catalog.controls = loose;
  return { catalog };
}
