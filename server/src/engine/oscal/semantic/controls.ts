import { SP800_53_FAMILIES } from '../../controls/builtinDirectory';
import type { CatalogModel } from '../../controls/catalog';
import { canonicalControlId, compareControlIds, displayControlId } from '../../controls/ids';
import type { JsonPath } from '../../documents/paths';
import type { FixHint, OscalIssue } from '../issues';
import { closestName } from '../structure';
import { forEachObject, isRecord } from './walk';

/** Where a document's controls come from: the href of an import and the object that carries it. */
export interface ControlSource {
  href: string;
  path: JsonPath;
  /** The part of the document whose control references this source governs. */
  scope: JsonPath;
  kind: 'import' | 'source' | 'import-profile';
}

/** The control sources of a document: profile imports, component-definition sources, an SSP's profile. */
export function controlSources(model: string, content: Record<string, unknown>, rootPath: JsonPath): ControlSource[] {
  const out: ControlSource[] = [];
  if (model === 'profile' && Array.isArray(content.imports)) {
    content.imports.forEach((imp, i) => {
      if (isRecord(imp) && typeof imp.href === 'string') out.push({ href: imp.href, path: [...rootPath, 'imports', i, 'href'], scope: [...rootPath, 'imports', i], kind: 'import' });
    });
  }
  if (model === 'component-definition') {
    forEachObject(content, rootPath, (o, path) => {
      if (path[path.length - 2] === 'control-implementations' && typeof o.source === 'string') {
        out.push({ href: o.source, path: [...path, 'source'], scope: path, kind: 'source' });
      }
    });
  }
  if (model === 'system-security-plan' && isRecord(content['import-profile']) && typeof content['import-profile'].href === 'string') {
    out.push({ href: content['import-profile'].href, path: [...rootPath, 'import-profile', 'href'], scope: rootPath, kind: 'import-profile' });
  }
  return out;
}

/** The controls a source brings into play; undefined when they are not known (the check is then skipped). */
export type ControlsLookup = (source: ControlSource) => CatalogModel | undefined;

function partIds(parts: unknown, out: Set<string>, depth = 0): Set<string> {
  if (!Array.isArray(parts) || depth > 32) return out;
  for (const p of parts) {
    if (!isRecord(p)) continue;
    if (typeof p.id === 'string') out.add(p.id);
    partIds(p.parts, out, depth + 1);
  }
  return out;
}

function title(catalog: CatalogModel): string {
  return catalog.title ? `"${catalog.title}"` : 'the imported catalog';
}

function unknownControl(catalog: CatalogModel, id: string, path: JsonPath): OscalIssue {
  const fixes: FixHint[] = [];
  const canonical = canonicalControlId(id);
  if (canonical && canonical !== id && catalog.controls.has(canonical)) {
    fixes.push({ kind: 'replace-value', title: `Write it in OSCAL form: \`${canonical}\``, value: canonical, preferred: true, safe: true });
    return {
      code: 'oscal.unknown-control',
      severity: 'error',
      path,
      part: 'value',
      message: `Control ids are written \`${canonical}\` in OSCAL, not \`${id}\``,
      controls: [canonical],
      fixes,
    };
  }
  const near = closestName(id, [...catalog.controls.keys()]);
  if (near) fixes.push({ kind: 'replace-value', title: `Replace with \`${near}\` (${displayControlId(near)})`, value: near, preferred: true });
  return {
    code: 'oscal.unknown-control',
    severity: 'error',
    path,
    part: 'value',
    message: `\`${id}\` is not a control of ${title(catalog)}${near ? `; did you mean \`${near}\`?` : ''}`,
    controls: canonical ? [canonical] : [],
    fixes,
  };
}

function unknownParam(catalog: CatalogModel, id: string, path: JsonPath): OscalIssue {
  const near = closestName(id, [...catalog.params.keys()]);
  return {
    code: 'oscal.unknown-parameter',
    severity: 'error',
    path,
    part: 'value',
    message: `\`${id}\` is not a parameter of ${title(catalog)}${near ? `; did you mean \`${near}\`?` : ''}`,
    fixes: near ? [{ kind: 'replace-value', title: `Replace with \`${near}\``, value: near, preferred: true }] : [],
  };
}

const aliasCache = new WeakMap<CatalogModel, Set<string>>();

/**
 * Parameter ids a catalog answers to: its own, and the `alt-identifier` of each (SP 800-53 5.1.1 renamed
 * `sc-8_prm_1` to `sc-08_odp` and keeps the old id as an alt-identifier, which documents still use).
 */
export function parameterIds(catalog: CatalogModel): Set<string> {
  let ids = aliasCache.get(catalog);
  if (!ids) {
    ids = new Set(catalog.params.keys());
    for (const { param } of catalog.params.values()) {
      if (!Array.isArray(param.props)) continue;
      for (const p of param.props) if (isRecord(p) && p.name === 'alt-identifier' && typeof p.value === 'string') ids.add(p.value);
    }
    aliasCache.set(catalog, ids);
  }
  return ids;
}

function checkSetParameters(list: unknown, path: JsonPath, catalog: CatalogModel, extra: Set<string>, issues: OscalIssue[]): void {
  if (!Array.isArray(list)) return;
  const known = parameterIds(catalog);
  list.forEach((sp, i) => {
    if (isRecord(sp) && typeof sp['param-id'] === 'string' && !known.has(sp['param-id']) && !extra.has(sp['param-id'])) {
      issues.push(unknownParam(catalog, sp['param-id'], [...path, i, 'param-id']));
    }
  });
}

/** Checks implemented requirements (SSP, component definition) against the controls of their source. */
function checkRequirements(owner: Record<string, unknown>, path: JsonPath, catalog: CatalogModel | undefined, issues: OscalIssue[], kind: 'ssp' | 'component'): void {
  const reqs = owner['implemented-requirements'];
  if (!Array.isArray(reqs)) return;
  const seen = new Map<string, number>();
  reqs.forEach((req, i) => {
    if (!isRecord(req) || typeof req['control-id'] !== 'string') return;
    const id = req['control-id'];
    const rp = [...path, 'implemented-requirements', i];
    const prior = seen.get(id);
    if (prior !== undefined) {
      issues.push({
        code: 'oscal.duplicate-requirement',
        severity: 'error',
        path: [...rp, 'control-id'],
        part: 'value',
        message: `\`${id}\` already has an implemented requirement (item ${prior + 1}); describe a control once and put the rest in its statements or by-components`,
        controls: [canonicalControlId(id) ?? id],
      });
    } else seen.set(id, i);
    if (!catalog) return;
    const control = catalog.controls.get(id);
    if (!control) {
      issues.push(unknownControl(catalog, id, [...rp, 'control-id']));
      return;
    }
    const parts = partIds(control.control.parts, new Set());
    if (Array.isArray(req.statements)) {
      req.statements.forEach((st, j) => {
        if (isRecord(st) && typeof st['statement-id'] === 'string' && !parts.has(st['statement-id'])) {
          const near = closestName(st['statement-id'], [...parts]);
          issues.push({
            code: 'oscal.unknown-statement',
            // The control itself is right; a misnamed statement loses only the statement-level detail.
            severity: 'warning',
            path: [...rp, 'statements', j, 'statement-id'],
            part: 'value',
            message: `\`${st['statement-id']}\` is not a statement of control \`${id}\`${near ? `; did you mean \`${near}\`?` : ''}`,
            controls: [canonicalControlId(id) ?? id],
            fixes: near ? [{ kind: 'replace-value', title: `Replace with \`${near}\``, value: near, preferred: true }] : [],
          });
        }
      });
    }
    checkSetParameters(req['set-parameters'], [...rp, 'set-parameters'], catalog, new Set(), issues);
    if (Array.isArray(req['by-components'])) {
      req['by-components'].forEach((bc, j) => {
        if (isRecord(bc)) checkSetParameters(bc['set-parameters'], [...rp, 'by-components', j, 'set-parameters'], catalog, new Set(), issues);
      });
    }
  });
  if (catalog) checkSetParameters(owner['set-parameters'], [...path, 'set-parameters'], catalog, new Set(), issues);
  if (catalog?.kind === 'profile') {
    const missing = [...catalog.controls.values()].filter((c) => c.selected && !c.withdrawn && !seen.has(c.id)).map((c) => c.id).sort(compareControlIds);
    if (missing.length && missing.length <= 2000) {
      const ssp = kind === 'ssp';
      const shown = missing.slice(0, 8).map((id) => displayControlId(id)).join(', ');
      issues.push({
        code: 'oscal.uncovered-controls',
        // An SSP answers for every control of its baseline; a component covers the controls it helps with.
        severity: ssp ? 'information' : 'hint',
        path: [...path, 'implemented-requirements'],
        part: 'key',
        message: `${missing.length} control${missing.length === 1 ? '' : 's'} of ${title(catalog)} ha${missing.length === 1 ? 's' : 've'} no implemented requirement here: ${shown}${missing.length > 8 ? ', ...' : ''}`,
        controls: missing.map((id) => canonicalControlId(id) ?? id),
        fixes: [{ kind: 'add-requirements', title: `Add implemented requirements for the ${missing.length} uncovered control${missing.length === 1 ? '' : 's'}`, controlIds: missing, withDescription: !ssp }],
      });
    }
  }
}

function checkSelections(list: unknown, path: JsonPath, catalog: CatalogModel, issues: OscalIssue[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((sel, i) => {
    if (!isRecord(sel) || !Array.isArray(sel['with-ids'])) return;
    sel['with-ids'].forEach((id, j) => {
      if (typeof id === 'string' && !catalog.controls.has(id)) issues.push(unknownControl(catalog, id, [...path, i, 'with-ids', j]));
    });
  });
}

/** Control, statement and parameter references checked against the controls each source brings into play. */
export function checkControls(model: string, content: Record<string, unknown>, rootPath: JsonPath, given: ControlsLookup): OscalIssue[] {
  const issues: OscalIssue[] = [];
  // A source with no controls at all was not really read: nothing can be said against it.
  const lookup: ControlsLookup = (s) => {
    const c = given(s);
    return c && c.controls.size > 0 ? c : undefined;
  };
  const sources = controlSources(model, content, rootPath);
  if (model === 'profile') {
    const catalogs: CatalogModel[] = [];
    let all = true;
    for (const s of sources) {
      const c = lookup(s);
      if (!c) {
        all = false;
        continue;
      }
      catalogs.push(c);
      const imp = content.imports as unknown[];
      const i = s.scope[s.scope.length - 1] as number;
      const o = imp[i] as Record<string, unknown>;
      checkSelections(o['include-controls'], [...s.scope, 'include-controls'], c, issues);
      checkSelections(o['exclude-controls'], [...s.scope, 'exclude-controls'], c, issues);
    }
    const modify = content.modify;
    if (all && catalogs.length && isRecord(modify)) {
      const union = catalogs.length === 1 ? catalogs[0] : mergeCatalogs(catalogs);
      // Parameters that the profile itself adds (`alters[].adds[].params`) are as real as the catalog's.
      const added = new Set<string>();
      forEachObject(modify.alters, [], (o, path) => {
        if (path.includes('params') && typeof o.id === 'string') added.add(o.id);
      });
      checkSetParameters(modify['set-parameters'], [...rootPath, 'modify', 'set-parameters'], union, added, issues);
      if (Array.isArray(modify.alters)) {
        modify.alters.forEach((a, i) => {
          if (isRecord(a) && typeof a['control-id'] === 'string' && !union.controls.has(a['control-id'])) {
            issues.push(unknownControl(union, a['control-id'], [...rootPath, 'modify', 'alters', i, 'control-id']));
          }
        });
      }
    }
    return issues;
  }
  if (model === 'component-definition') {
    for (const s of sources) {
      const owner = resolveObject(content, rootPath, s.scope);
      if (owner) checkRequirements(owner, s.scope, lookup(s), issues, 'component');
    }
    return issues;
  }
  if (model === 'system-security-plan') {
    const ci = content['control-implementation'];
    if (isRecord(ci)) checkRequirements(ci, [...rootPath, 'control-implementation'], sources[0] ? lookup(sources[0]) : undefined, issues, 'ssp');
  }
  return issues;
}

function resolveObject(content: unknown, rootPath: JsonPath, path: JsonPath): Record<string, unknown> | undefined {
  let v: unknown = content;
  for (const step of path.slice(rootPath.length)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[step];
  }
  return isRecord(v) ? v : undefined;
}

function mergeCatalogs(catalogs: CatalogModel[]): CatalogModel {
  const merged: CatalogModel = { ...catalogs[0], controls: new Map(), params: new Map(), title: catalogs.map((c) => c.title).filter(Boolean).join(' + ') };
  for (const c of catalogs) {
    for (const [k, v] of c.controls) if (!merged.controls.has(k)) merged.controls.set(k, v);
    for (const [k, v] of c.params) if (!merged.params.has(k)) merged.params.set(k, v);
  }
  return merged;
}

/**
 * Assessment plans, results and POA&Ms name controls in `control-id`s (reviewed controls, selections)
 * and statements in `statement-ids` and statement-typed finding targets; they get their controls through
 * the SSP they import (and its profile).
 */
export function checkAssessmentControls(content: Record<string, unknown>, rootPath: JsonPath, catalog: CatalogModel): OscalIssue[] {
  const issues: OscalIssue[] = [];
  let allStatements: Set<string> | undefined;
  forEachObject(content, rootPath, (o, path) => {
    const id = o['control-id'];
    if (typeof id === 'string') {
      const control = catalog.controls.get(id);
      if (!control) issues.push(unknownControl(catalog, id, [...path, 'control-id']));
      else if (Array.isArray(o['statement-ids'])) {
        const parts = partIds(control.control.parts, new Set());
        o['statement-ids'].forEach((sid, j) => {
          if (typeof sid === 'string' && !parts.has(sid)) {
            issues.push({
              code: 'oscal.unknown-statement',
              severity: 'warning',
              path: [...path, 'statement-ids', j],
              part: 'value',
              message: `\`${sid}\` is not a statement of control \`${id}\``,
              controls: [canonicalControlId(id) ?? id],
            });
          }
        });
      }
    }
    if (o.type === 'statement-id' && typeof o['target-id'] === 'string') {
      if (!allStatements) {
        allStatements = new Set();
        for (const c of catalog.controls.values()) partIds(c.control.parts, allStatements);
      }
      if (!allStatements.has(o['target-id'])) {
        issues.push({
          code: 'oscal.unknown-statement',
          severity: 'warning',
          path: [...path, 'target-id'],
          part: 'value',
          message: `\`${o['target-id']}\` is not a statement of any control of ${title(catalog)}`,
        });
      }
    }
  });
  return issues;
}

const CONTROL_ID_FIELDS = new Set(['control-id', 'with-ids']);

/**
 * Control ids written the way NIST prints them (`AC-2(1)`, `AC-02`) instead of OSCAL's form (`ac-2.1`):
 * OSCAL ids are case-sensitive, so such an id matches no SP 800-53 control. Only SP 800-53 families are
 * considered, so other catalogs' own id schemes are left alone.
 */
export function checkControlIdForms(content: Record<string, unknown>, rootPath: JsonPath): OscalIssue[] {
  const issues: OscalIssue[] = [];
  forEachObject(content, rootPath, (o, path) => {
    for (const field of CONTROL_ID_FIELDS) {
      const v = o[field];
      const values: [string, JsonPath][] = typeof v === 'string' ? [[v, [...path, field]]] : Array.isArray(v) ? v.flatMap((x, i): [string, JsonPath][] => (typeof x === 'string' ? [[x, [...path, field, i]]] : [])) : [];
      for (const [text, p] of values) {
        const canonical = canonicalControlId(text);
        if (!canonical || canonical === text || !SP800_53_FAMILIES[canonical.split('-')[0]]) continue;
        issues.push({
          code: 'oscal.control-id-form',
          severity: 'warning',
          path: p,
          part: 'value',
          message: `OSCAL writes this control id \`${canonical}\`; \`${text}\` matches no SP 800-53 control`,
          controls: [canonical],
          fixes: [{ kind: 'replace-value', title: `Write it in OSCAL form: \`${canonical}\``, value: canonical, preferred: true, safe: true }],
        });
      }
    }
  });
  return issues;
}

const INSERT_RE = /\{\{\s*insert:\s*param\s*,\s*([^\s}]+)\s*\}\}/g;

/** Every `{{ insert: param, id }}` in the strings of a value, with the path of the string holding it. */
export function parameterInsertions(content: unknown, rootPath: JsonPath): { id: string; path: JsonPath }[] {
  const out: { id: string; path: JsonPath }[] = [];
  const walk = (v: unknown, path: JsonPath, depth: number): void => {
    if (depth > 200) return;
    if (typeof v === 'string') {
      if (v.includes('{{')) for (const m of v.matchAll(INSERT_RE)) out.push({ id: m[1], path });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i], depth + 1));
    else if (isRecord(v)) for (const [k, x] of Object.entries(v)) walk(x, [...path, k], depth + 1);
  };
  walk(content, rootPath, 0);
  return out;
}

/**
 * Parameter insertions that name no parameter: in a catalog, against its own parameters; in a component
 * definition or SSP, against those of the controls in play (when known). A broken insertion prints as a
 * bare `[Assignment: id]`, so it is worth a warning, though the document stays valid.
 */
export function checkInsertions(model: string, content: Record<string, unknown>, rootPath: JsonPath, known: Set<string> | undefined): OscalIssue[] {
  if (!known) return [];
  const issues: OscalIssue[] = [];
  for (const ins of parameterInsertions(content, rootPath)) {
    if (known.has(ins.id)) continue;
    issues.push({
      code: 'oscal.unknown-parameter',
      severity: 'warning',
      path: ins.path,
      part: 'value',
      message: `\`{{ insert: param, ${ins.id} }}\` names no parameter ${model === 'catalog' ? 'of this catalog' : 'of the controls in play'}`,
    });
  }
  return issues;
}

/** Parameter ids a catalog document defines anywhere (groups, controls, enhancements). */
export function ownParameterIds(content: unknown): Set<string> {
  const ids = new Set<string>();
  forEachObject(content, [], (o, path) => {
    if (path[path.length - 2] === 'params' && typeof o.id === 'string') {
      ids.add(o.id);
      if (Array.isArray(o.props)) for (const p of o.props) if (isRecord(p) && p.name === 'alt-identifier' && typeof p.value === 'string') ids.add(p.value);
    }
  });
  return ids;
}
