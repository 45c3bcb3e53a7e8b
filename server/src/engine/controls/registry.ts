/**
 * Every control the engine knows about, for hover, diagnostics, coverage and completion: the OSCAL
 * catalogs and profiles of the workspace (kept up to date by uri as files change), those they import,
 * and the built-in SP 800-53 rev5 index underneath, so ids and titles work with no catalog at all.
 */
import { builtinIndex, parseBaseline, type Baseline, type BuiltinIndex } from './builtin';
import { loadCatalog, type CatalogControl, type CatalogModel } from './catalog';
import { isRemoteUri, resolveHref } from './href';
import { canonicalControlId, displayControlId, parseControlId } from './ids';
import { asArray, asString, isRecord, type JsonPath, type OscalBackMatter, type OscalParam } from './oscal';
import type { ResolutionProblem, ResolutionProblemCode } from './problems';
import { resolveProfile, type LoadResult, type OscalLoader, type ResolvedProfile } from './profile';
import { paramText, renderStatement, type ParamLookup } from './render';
import { appendAll } from '../arrays';

export type ControlSource =
  | { kind: 'builtin'; name: string; version: string }
  /** `uri` is the document that defines the control and `path` where (for rangeOfPath); `profile` the profile it was seen through. */
  | { kind: 'catalog'; uri: string; path: JsonPath; catalogTitle?: string; profile?: string };

export interface ParamInfo {
  id: string;
  label?: string;
  values?: string[];
  /** As shown inside the statement: the value, `[Selection: ...]` or `[Assignment: ...]`. */
  text: string;
}

export interface ControlInfo {
  /** Canonical id (`ac-6.1`); for catalogs whose ids are not SP 800-53-like, the id as written. */
  id: string;
  /** As NIST writes it: `AC-6(1)`. */
  display: string;
  title: string;
  family: string;
  familyTitle?: string;
  /** NIST rev5 baselines that select this control (from the built-in index). */
  baselines: Baseline[];
  withdrawn?: boolean;
  /** Markdown with parameter values substituted; only when a real catalog defines the control. */
  statement?: string;
  params?: ParamInfo[];
  source: ControlSource;
}

export interface ControlSummaryItem {
  id: string;
  display: string;
  title: string;
  withdrawn?: boolean;
}

export interface FamilyInfo {
  id: string;
  title: string;
}

export interface LookupOptions {
  /** Look through this profile first (its parameter settings and alterations apply). */
  profile?: string;
}

export interface RegistryOptions {
  /** Reads documents that are not registered (settings paths on disk, the fetch cache). Must not throw. */
  loader?: OscalLoader;
  /** The built-in index; `false` for none (tests). */
  builtin?: BuiltinIndex | false;
}

export type DocumentKind = 'catalog' | 'profile';

export interface ReferenceTarget {
  /** The URI that was loaded. */
  uri?: string;
  model?: CatalogModel;
  problem?: { code: ResolutionProblemCode; message: string; tried: string[] };
}

interface Entry {
  kind: DocumentKind;
  value: unknown;
  model?: CatalogModel;
}

export class ControlRegistry {
  private readonly docs = new Map<string, Entry>();
  private readonly resolved = new Map<string, ResolvedProfile>();
  /** Models of documents the external loader served (imports of non-registered files), by uri. */
  private readonly external = new Map<string, { model: CatalogModel; dependencies: Set<string> }>();
  private readonly builtin: BuiltinIndex | undefined;
  private readonly externalLoader: OscalLoader | undefined;
  private familyCache: Map<string, string> | undefined;
  /** Why a remote URI could not be supplied (fetch refused or failed), by URI. */
  private readonly remoteErrors = new Map<string, string>();

  constructor(options: RegistryOptions = {}) {
    this.builtin = options.builtin === false ? undefined : (options.builtin ?? builtinIndex());
    this.externalLoader = options.loader;
  }

  /**
   * Registers or replaces the document at `uri` if it is an OSCAL catalog or profile (a parsed
   * document's plain value). Anything else removes a previous registration. Returns what it was.
   */
  setDocument(uri: string, value: unknown): DocumentKind | undefined {
    const kind = isRecord(value) && isRecord(value.catalog) ? 'catalog' : isRecord(value) && isRecord(value.profile) ? 'profile' : undefined;
    if (!kind) {
      this.removeDocument(uri);
      return undefined;
    }
    this.docs.set(uri, { kind, value });
    this.invalidate(uri);
    return kind;
  }

  removeDocument(uri: string): boolean {
    const had = this.docs.delete(uri);
    this.invalidate(uri);
    return had;
  }

  /**
   * Forgets everything derived from `uri` (or everything): call it when a document the external loader
   * serves has changed, e.g. a catalog named in settings was edited on disk or fetched.
   */
  invalidate(uri?: string): void {
    this.familyCache = undefined;
    if (uri === undefined) {
      this.resolved.clear();
      this.external.clear();
      for (const e of this.docs.values()) e.model = undefined;
      return;
    }
    const entry = this.docs.get(uri);
    if (entry) entry.model = undefined;
    for (const [key, r] of this.resolved) if (r.dependencies.has(uri)) this.resolved.delete(key);
    for (const [key, r] of this.external) if (r.dependencies.has(uri)) this.external.delete(key);
  }

  documents(): { uri: string; kind: DocumentKind }[] {
    return [...this.docs].map(([uri, e]) => ({ uri, kind: e.kind }));
  }

  kindOf(uri: string): DocumentKind | undefined {
    return this.docs.get(uri)?.kind;
  }

  /** The catalog at `uri`, or the resolved catalog of the profile at `uri`. */
  model(uri: string): CatalogModel | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    if (entry.kind === 'profile') return this.resolve(uri);
    entry.model ??= loadCatalog(entry.value, uri);
    return entry.model;
  }

  /** The resolution of a registered profile (cached until one of its dependencies changes). */
  resolve(uri: string): ResolvedProfile | undefined {
    const entry = this.docs.get(uri);
    if (entry?.kind !== 'profile') return undefined;
    let r = this.resolved.get(uri);
    if (!r) {
      r = resolveProfile(entry.value, uri, (u) => this.load(u));
      this.resolved.set(uri, r);
    }
    return r;
  }

  /**
   * The catalog or resolved profile that an href of any OSCAL document points to: an SSP's
   * `import-profile`, a component-definition's `source`, an assessment plan's `import-ssp` is not one.
   * `backMatter` is the referring document's, for `#uuid` hrefs. Registered documents first, then the loader.
   */
  referenceTarget(href: string, fromUri: string, backMatter?: OscalBackMatter): ReferenceTarget {
    const target = resolveHref(href, fromUri, backMatter);
    if (target.error) return { problem: { code: 'oscal.unresolved-reference', message: target.error, tried: [] } };
    const errors: string[] = [];
    let code: ResolutionProblemCode = 'oscal.unresolved-reference';
    for (const uri of target.candidates) {
      if (this.docs.has(uri)) return { uri, model: this.model(uri) };
      const cached = this.external.get(uri);
      if (cached) return { uri, model: cached.model };
      const result = this.load(uri);
      if (!result) continue;
      if ('error' in result) {
        errors.push(`${uri}: ${result.error}`);
        if (result.code) code = result.code;
        continue;
      }
      const v = result.value;
      let model: CatalogModel | undefined;
      let dependencies = new Set([uri]);
      if (isRecord(v) && isRecord(v.catalog)) model = loadCatalog(v, uri);
      else if (isRecord(v) && isRecord(v.profile)) {
        const r = resolveProfile(v, uri, (u) => this.load(u));
        model = r;
        dependencies = r.dependencies;
      }
      if (!model) {
        errors.push(`${uri}: not an OSCAL catalog or profile`);
        continue;
      }
      this.external.set(uri, { model, dependencies });
      return { uri, model };
    }
    const message = errors.length ? `Cannot load "${href}": ${errors.join('; ')}` : `Cannot find "${href}" (tried ${target.candidates.join(', ')})`;
    return { problem: { code, message, tried: target.candidates } };
  }

  private load(uri: string): LoadResult {
    const entry = this.docs.get(uri);
    if (entry) return { value: entry.value };
    try {
      const external = this.externalLoader?.(uri);
      if (external) return external;
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    if (!isRemoteUri(uri)) return undefined;
    return { error: this.remoteErrors.get(uri) ?? 'remote document not fetched yet', code: 'oscal.remote-fetch' };
  }

  /** Problems located in the document `uri`: its own load problems and those of profiles resolved through it. */
  problems(uri: string): ResolutionProblem[] {
    const out: ResolutionProblem[] = [];
    const entry = this.docs.get(uri);
    if (entry?.kind === 'catalog') appendAll(out, this.model(uri)?.problems ?? []);
    if (entry?.kind === 'profile') this.resolve(uri);
    const seen = new Set<string>();
    for (const r of this.resolved.values()) {
      for (const p of r.problems) {
        if (p.uri !== uri) continue;
        const key = `${p.code}|${p.path.join('/')}|${p.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push(p);
        }
      }
    }
    return out;
  }

  /**
   * Records why a remote URI could not be supplied; profiles importing it report this message on
   * the import's href. `undefined` forgets it (e.g. after the consent setting changed).
   */
  setRemoteError(uri: string, message: string | undefined): void {
    if (message === undefined) this.remoteErrors.delete(uri);
    else this.remoteErrors.set(uri, message);
    this.invalidate(uri);
  }

  clearRemoteErrors(): void {
    for (const uri of [...this.remoteErrors.keys()]) this.setRemoteError(uri, undefined);
  }

  /** Remote URIs that imports need and that were neither supplied nor failed: the ones to fetch. */
  pendingRemoteImports(): string[] {
    const out = new Set<string>();
    for (const { uri, kind } of this.documents()) {
      if (kind !== 'profile') continue;
      for (const p of this.resolve(uri)?.problems ?? []) {
        if (p.code !== 'oscal.remote-fetch') continue;
        for (const t of p.tried ?? []) if (isRemoteUri(t) && !this.docs.has(t) && !this.remoteErrors.has(t)) out.add(t);
      }
    }
    return [...out];
  }

  private catalogModels(): CatalogModel[] {
    const cats: CatalogModel[] = [];
    const profiles: CatalogModel[] = [];
    for (const [uri, e] of this.docs) {
      const m = this.model(uri);
      if (m) (e.kind === 'catalog' ? cats : profiles).push(m);
    }
    return [...cats, ...profiles];
  }

  private findControl(text: string, options: LookupOptions): { model: CatalogModel; control: CatalogControl } | undefined {
    const canonical = canonicalControlId(text);
    const keys = canonical && canonical !== text ? [canonical, text.trim()] : [text.trim()];
    const models = this.catalogModels();
    if (options.profile) {
      const p = this.model(options.profile);
      if (p) models.unshift(p);
    }
    for (const model of models) {
      for (const k of keys) {
        const control = model.controls.get(k);
        if (control) return { model, control };
      }
      if (canonical) {
        // Catalogs may write ids with zero padding or another case; fall back to a canonical comparison.
        const id = canonicalIndex(model).get(canonical);
        const control = id === undefined ? undefined : model.controls.get(id);
        if (control) return { model, control };
      }
    }
    return undefined;
  }

  /** What is known about a control id in any accepted form (`AC-6(1)`, `ac-6.1`, `AC-06(01)`). */
  lookup(text: string, options: LookupOptions = {}): ControlInfo | undefined {
    if (typeof text !== 'string' || !text.trim() || text.length > 200) return undefined;
    const canonical = canonicalControlId(text);
    const builtin = canonical ? this.builtin?.get(canonical) : undefined;
    const found = this.findControl(text, options);
    if (found) {
      const { model, control } = found;
      const id = canonicalControlId(control.id) ?? control.id;
      const family = parseControlId(control.id)?.family ?? control.groups[0]?.id ?? '';
      const lookupParam: ParamLookup = (pid) => model.params.get(pid)?.param;
      const params = asArray(control.control.params)
        .filter((p): p is OscalParam => isRecord(p) && typeof p.id === 'string')
        .map((p) => paramInfo(p, lookupParam));
      const info: ControlInfo = {
        id,
        display: parseControlId(control.id) ? displayControlId(control.id) : control.id,
        title: control.control.title || builtin?.title || '',
        family,
        familyTitle: control.groups[0]?.title ?? this.builtin?.familyTitle(family),
        baselines: builtin?.baselines ?? [],
        statement: renderStatement(control.control, lookupParam),
        source: {
          kind: 'catalog',
          uri: control.uri,
          path: control.path,
          catalogTitle: model.title,
          ...(model.kind === 'profile' ? { profile: model.uri } : {}),
        },
      };
      if (params.length) info.params = params;
      if (control.withdrawn || builtin?.withdrawn) info.withdrawn = true;
      return info;
    }
    if (!builtin || !this.builtin) return undefined;
    const info: ControlInfo = {
      id: builtin.id,
      display: displayControlId(builtin.id),
      title: builtin.title,
      family: builtin.family,
      familyTitle: builtin.familyTitle,
      baselines: builtin.baselines,
      source: { kind: 'builtin', name: this.builtin.name, version: this.builtin.version },
    };
    if (builtin.withdrawn) info.withdrawn = true;
    return info;
  }

  /**
   * Every control id known, for completion: the given profile's (when any), the loaded catalogs' and
   * profiles', then the built-in index's; each id once, first source wins.
   */
  knownControls(options: LookupOptions = {}): ControlSummaryItem[] {
    const out = new Map<string, ControlSummaryItem>();
    const models = this.catalogModels();
    if (options.profile) {
      const p = this.model(options.profile);
      if (p) models.unshift(p);
    }
    for (const model of models) {
      for (const c of model.controls.values()) {
        const id = canonicalControlId(c.id) ?? c.id;
        if (out.has(id)) continue;
        out.set(id, { id, display: parseControlId(c.id) ? displayControlId(c.id) : c.id, title: c.control.title, withdrawn: c.withdrawn || undefined });
      }
    }
    for (const id of this.builtin?.ids() ?? []) {
      if (out.has(id)) continue;
      const b = this.builtin!.get(id)!;
      out.set(id, { id, display: displayControlId(id), title: b.title, withdrawn: b.withdrawn });
    }
    return [...out.values()];
  }

  isKnownControl(text: string, options: LookupOptions = {}): boolean {
    return this.lookup(text, options) !== undefined;
  }

  private familyMap(): Map<string, string> {
    if (this.familyCache) return this.familyCache;
    const map = new Map<string, string>();
    for (const f of this.builtin?.families() ?? []) map.set(f.id, f.title);
    for (const model of this.catalogModels()) {
      for (const c of model.controls.values()) {
        const fam = parseControlId(c.id)?.family;
        if (fam && !map.has(fam)) map.set(fam, c.groups[0]?.title ?? fam.toUpperCase());
      }
    }
    this.familyCache = map;
    return map;
  }

  /** Whether `family` (`ac`, `AC`) is a control family of the built-in index or of a loaded catalog. */
  isKnownFamily(family: string): boolean {
    return this.familyMap().has(family.toLowerCase());
  }

  families(): FamilyInfo[] {
    return [...this.familyMap()].map(([id, title]) => ({ id, title }));
  }

  /**
   * The control ids of a baseline (`LOW`, `moderate`, ...: the built-in NIST selection) or of a
   * registered catalog or profile (by uri), in order. For a profile, only the controls it selects
   * unless `includeStructural` (parents that `merge: as-is` keeps for its enhancements).
   */
  controlsOf(target: string, options: { includeStructural?: boolean } = {}): string[] | undefined {
    const model = this.docs.has(target) ? this.model(target) : undefined;
    if (model) {
      return [...model.controls.values()]
        .filter((c) => options.includeStructural || c.selected)
        .map((c) => canonicalControlId(c.id) ?? c.id);
    }
    const b = parseBaseline(target);
    return b && this.builtin ? this.builtin.baseline(b) : undefined;
  }
}

const canonicalIndexes = new WeakMap<CatalogModel, Map<string, string>>();

/** Canonical id → the id as the model writes it; models are replaced, never mutated, when documents change. */
function canonicalIndex(model: CatalogModel): Map<string, string> {
  let index = canonicalIndexes.get(model);
  if (!index) {
    index = new Map();
    for (const id of model.controls.keys()) {
      const c = canonicalControlId(id);
      if (c && !index.has(c)) index.set(c, id);
    }
    canonicalIndexes.set(model, index);
  }
  return index;
}

function paramInfo(p: OscalParam, lookup: ParamLookup): ParamInfo {
  const info: ParamInfo = { id: p.id, text: paramText(p, p.id, lookup) };
  const label = asString(p.label);
  if (label) info.label = label;
  const values = asArray(p.values).filter((v): v is string => typeof v === 'string');
  if (values.length) info.values = values;
  return info;
}
