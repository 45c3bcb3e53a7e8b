/**
 * Which controls coverage is computed for. A baseline is a built-in NIST SP 800-53 rev5 baseline
 * (`NIST_SP-800-53_rev5_MODERATE`, or just `MODERATE`), an OSCAL profile or catalog in the workspace or on
 * disk (by path), or a file URI. Profiles are resolved with the same resolver the editor uses; an import of
 * NIST's rev5 catalog that is not in the workspace resolves against the built-in index, so a profile that
 * tailors a NIST baseline works offline.
 */
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { builtinIndex, parseBaseline, type Baseline as BuiltinBaseline } from '../controls/builtin';
import { loadCatalog, toOscalCatalog, type CatalogModel } from '../controls/catalog';
import { compareControlIds, parseControlId } from '../controls/ids';
import { isRecord } from '../controls/oscal';
import { resolveProfile, type LoadResult } from '../controls/profile';
import type { ControlRegistry } from '../controls/registry';
import { decodeBytes } from '../documents/decode';
import { toPath, toUri } from '../engine';
import type { FileSystemHost } from '../workspace/fileSystem';
import type { WorkspaceIndex } from '../workspace/index';

export interface BaselineControl {
  id: string;
  title: string;
  family: string;
  familyTitle: string;
}

export interface BaselineFamily {
  id: string;
  title: string;
}

export interface ResolvedBaseline {
  /** What the user asked for, normalised (`NIST_SP-800-53_rev5_MODERATE`, or the profile's path/URI). */
  name: string;
  /** Short label for a status bar: `MODERATE`, or the profile's title. */
  label: string;
  title: string;
  source: 'builtin' | 'profile' | 'catalog';
  /** The document the baseline came from (profiles and catalogs). */
  uri?: string;
  controls: BaselineControl[];
  families: BaselineFamily[];
  /** Why the baseline is empty or partial; shown to the user. */
  problems: string[];
  /** Every URI the resolution read: a change to any of them changes the baseline. */
  dependencies: string[];
}

export const BUILTIN_BASELINE_NAMES = ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'].map((b) => `NIST_SP-800-53_rev5_${b}`);

/** `NIST_SP-800-53_rev5_MODERATE`, `nist_sp-800-53_rev5_moderate`, `MODERATE`, `mod`: the built-in baseline, if it names one. */
export function builtinBaselineOf(spec: string): BuiltinBaseline | undefined {
  const t = spec.trim();
  const m = /^(?:NIST[_ ]SP[-_ ]?800[-_ ]?53[_ ]rev5[_ ])?([A-Za-z]+)$/i.exec(t);
  return m ? parseBaseline(m[1]) : undefined;
}

export interface BaselineHost {
  workspace: WorkspaceIndex;
  fs: FileSystemHost;
  /** The engine's catalogs and profiles: those named in settings and those fetched over https (with consent). */
  registry?: Pick<ControlRegistry, 'kindOf' | 'model'>;
}

// NIST's published rev5 catalog, by the file names it is distributed under (JSON, YAML, min or not).
const NIST_REV5_CATALOG = /NIST_SP-800-53_rev5_catalog(?:-min)?\.(?:json|ya?ml)$/i;

/** Resolves a baseline spec; relative paths resolve against `root`. Never throws. */
export function resolveBaseline(spec: string, host: BaselineHost, root?: string): ResolvedBaseline {
  const trimmed = spec.trim();
  const location = locate(trimmed, host, root);
  if (location) return fromDocument(trimmed, location, host);
  const builtin = builtinBaselineOf(trimmed);
  if (builtin) return fromBuiltin(builtin);
  if (/^https?:/i.test(trimmed)) {
    return {
      ...emptyBaseline(trimmed),
      problems: [`Baseline ${trimmed} has not been fetched: remote profiles are read only when controlLens.allowRemoteCatalogs is on in a trusted workspace.`],
    };
  }
  return {
    ...emptyBaseline(trimmed),
    problems: [
      trimmed
        ? `Baseline "${trimmed}" is neither a built-in baseline (${BUILTIN_BASELINE_NAMES.join(', ')}) nor an OSCAL profile or catalog that can be found.`
        : 'No baseline is set.',
    ],
  };
}

function emptyBaseline(spec: string): ResolvedBaseline {
  return { name: spec, label: spec || '(none)', title: spec, source: 'profile', controls: [], families: [], problems: [], dependencies: [] };
}

function fromBuiltin(b: BuiltinBaseline): ResolvedBaseline {
  const index = builtinIndex();
  const controls: BaselineControl[] = [];
  for (const id of index.baseline(b)) {
    const c = index.get(id);
    if (!c || c.withdrawn) continue;
    controls.push({ id, title: c.title, family: c.family, familyTitle: c.familyTitle });
  }
  controls.sort((x, y) => compareControlIds(x.id, y.id));
  return {
    name: `NIST_SP-800-53_rev5_${b}`,
    label: b,
    title: `${index.name} ${b} baseline`,
    source: 'builtin',
    controls,
    families: familiesOf(controls),
    problems: controls.length ? [] : [`The built-in index holds no controls for the ${b} baseline.`],
    dependencies: [],
  };
}

/** Finds the document a spec names: a workspace or disk path (relative to root), or a file URI. */
function locate(spec: string, host: BaselineHost, root?: string): string | undefined {
  if (!spec) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) return host.workspace.has(spec) || host.registry?.kindOf(spec) || spec.startsWith('file:') ? spec : undefined;
  if (!/\.(json|ya?ml)$/i.test(spec)) return undefined;
  const candidates = isAbsolute(spec) ? [spec] : [...(root ? [resolve(root, spec)] : []), resolve(spec)];
  for (const p of candidates) {
    const uri = toUri(p);
    if (host.workspace.has(uri) || host.fs.existsSync(p)) return uri;
  }
  return undefined;
}

/** Loads an OSCAL document for the resolver: the workspace's copy first (it may be unsaved), then the disk. */
export function oscalLoader(host: BaselineHost): (uri: string) => LoadResult {
  return (uri) => {
    const known = host.workspace.get(uri);
    if (known) {
      const value = known.file.documents[0]?.value;
      return value === undefined ? { error: 'the document could not be read' } : { value };
    }
    const path = toPath(uri);
    if (path && host.fs.existsSync(path)) {
      try {
        const text = decodeBytes(host.fs.readFileSync(path)).text;
        return { value: /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 1000 }) };
      } catch (e) {
        return { error: e instanceof Error ? e.message : String(e) };
      }
    }
    const registered = host.registry?.kindOf(uri) ? host.registry.model(uri) : undefined;
    if (registered) return { value: toOscalCatalog(registered) };
    if (NIST_REV5_CATALOG.test(uri)) return { value: builtinCatalogDocument() };
    if (/^https?:/i.test(uri)) return { error: 'remote catalogs are not fetched for coverage; add the catalog to the workspace or to controlLens.catalogs' };
    return undefined;
  };
}

let builtinCatalog: { catalog: Record<string, unknown> } | undefined;

/** The built-in index as a minimal OSCAL catalog (ids, titles, family groups), for profiles importing NIST's. */
export function builtinCatalogDocument(): { catalog: Record<string, unknown> } {
  if (builtinCatalog) return builtinCatalog;
  const index = builtinIndex();
  const groups = new Map<string, { id: string; class: string; title: string; controls: Record<string, unknown>[] }>();
  for (const f of index.families()) groups.set(f.id, { id: f.id, class: 'family', title: f.title, controls: [] });
  const byId = new Map<string, Record<string, unknown>>();
  for (const id of index.ids().sort(compareControlIds)) {
    const c = index.get(id)!;
    const control: Record<string, unknown> = { id, class: 'SP800-53', title: c.title };
    if (c.withdrawn) control.props = [{ name: 'status', value: 'withdrawn' }];
    byId.set(id, control);
    const parsed = parseControlId(id);
    const parent = parsed?.enhancement !== undefined ? byId.get(`${parsed.family}-${parsed.number}`) : undefined;
    if (parent) ((parent.controls ??= []) as Record<string, unknown>[]).push(control);
    else groups.get(c.family)?.controls.push(control);
  }
  builtinCatalog = {
    catalog: {
      uuid: '00000000-0000-4000-8000-000000000053',
      metadata: { title: `${index.name} (built-in index)`, version: index.version },
      groups: [...groups.values()].filter((g) => g.controls.length),
    },
  };
  return builtinCatalog;
}

function fromDocument(spec: string, uri: string, host: BaselineHost): ResolvedBaseline {
  const load = oscalLoader(host);
  // A document only the registry has (fetched over https, or named in settings) comes resolved from it.
  const registered = !host.workspace.has(uri) && host.registry?.kindOf(uri) ? host.registry.model(uri) : undefined;
  const loaded = registered ? { value: { [registered.kind]: {} } } : load(uri);
  const base = { name: spec, uri, families: [] as BaselineFamily[], controls: [] as BaselineControl[], dependencies: [uri] };
  if (!loaded || 'error' in loaded) {
    const why = loaded && 'error' in loaded ? loaded.error : 'not found';
    return { ...base, label: spec, title: spec, source: 'profile', problems: [`Baseline ${spec}: ${why}`] };
  }
  let model: CatalogModel;
  let source: ResolvedBaseline['source'];
  let dependencies = [uri];
  if (registered) {
    model = registered;
    source = registered.kind;
  } else if (isRecord(loaded.value) && isRecord(loaded.value.profile)) {
    const resolved = resolveProfile(loaded.value, uri, load);
    model = resolved;
    dependencies = [...resolved.dependencies];
    source = 'profile';
  } else if (isRecord(loaded.value) && isRecord(loaded.value.catalog)) {
    model = loadCatalog(loaded.value, uri);
    source = 'catalog';
  } else {
    return { ...base, label: spec, title: spec, source: 'profile', problems: [`Baseline ${spec} is not an OSCAL profile or catalog.`] };
  }
  const index = builtinIndex();
  const controls: BaselineControl[] = [];
  for (const c of model.controls.values()) {
    if (!c.selected || c.withdrawn) continue;
    const parsed = parseControlId(c.id);
    // Catalogs other than SP 800-53 have ids of their own shape; keep them as written.
    const id = parsed?.id ?? c.id;
    const family = c.groups[0]?.id ?? parsed?.family ?? 'other';
    const familyTitle = c.groups[0]?.title ?? index.familyTitle(family) ?? family.toUpperCase();
    controls.push({ id, title: c.control.title || index.get(id)?.title || '', family: family.toLowerCase(), familyTitle });
  }
  const problems = model.problems.filter((p) => p.severity !== 'information').map((p) => p.message);
  if (!controls.length && !problems.length) problems.push(`Baseline ${spec} selects no controls.`);
  const title = model.title ?? spec;
  return { ...base, label: title.length > 24 ? `${title.slice(0, 23)}…` : title, title, source, controls, families: familiesOf(controls), problems, dependencies };
}

function familiesOf(controls: BaselineControl[]): BaselineFamily[] {
  const seen = new Map<string, string>();
  for (const c of controls) if (!seen.has(c.family)) seen.set(c.family, c.familyTitle);
  return [...seen].map(([id, title]) => ({ id, title }));
}

export interface BaselineChoice {
  name: string;
  label: string;
  description: string;
  uri?: string;
}

/** What a baseline picker offers: the built-in baselines, then every profile in the workspace. */
export function baselineChoices(workspace: WorkspaceIndex): BaselineChoice[] {
  const index = builtinIndex();
  const out: BaselineChoice[] = BUILTIN_BASELINE_NAMES.map((name) => {
    const b = builtinBaselineOf(name)!;
    return { name, label: name, description: `built-in · ${index.baseline(b).length} controls` };
  });
  for (const { file, entry } of workspace.documentsOf('oscal')) {
    if (entry.classification.type !== 'profile') continue;
    const profile = isRecord(entry.doc.value) ? entry.doc.value.profile : undefined;
    const title = isRecord(profile) && isRecord(profile.metadata) && typeof profile.metadata.title === 'string' ? profile.metadata.title : undefined;
    out.push({ name: toPath(file.uri) ?? file.uri, label: title ?? (toPath(file.uri) ?? file.uri), description: 'workspace profile', uri: file.uri });
  }
  return out;
}
