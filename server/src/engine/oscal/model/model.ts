import { MODEL_DATA } from './generated';
import type { ArrayType, EnumType, ObjectType, OneOrManyType, TypeExpr } from './types';

export type { TypeExpr, ObjectType, ArrayType, EnumType, OneOrManyType, Primitive } from './types';

/** The OSCAL versions whose structure the project describes, oldest first. */
export const MODEL_VERSIONS = Object.keys(MODEL_DATA.versions).sort(compareVersions);
export const LATEST_MODEL_VERSION = MODEL_VERSIONS[MODEL_VERSIONS.length - 1];

/** One version of the OSCAL model: definitions looked up by name. */
export class OscalModel {
  private readonly names: Record<string, number>;
  readonly roots: Record<string, string>;

  constructor(readonly version: string) {
    const v = MODEL_DATA.versions[version];
    if (!v) throw new Error(`no OSCAL model for version ${version}`);
    this.names = v.names;
    this.roots = v.roots;
  }

  /** Follows named references (`@metadata:metadata`) to the type they name. */
  resolve(t: TypeExpr): Exclude<TypeExpr, string> | string {
    let cur = t;
    for (let guard = 0; typeof cur === 'string' && cur.startsWith('@') && guard < 10; guard++) {
      const i = this.names[cur.slice(1)];
      if (i === undefined) return 'text';
      cur = MODEL_DATA.defs[i];
    }
    return cur;
  }

  rootType(model: string): TypeExpr | undefined {
    return this.roots[model];
  }

  /** The type at a path below a model's root (array indices step into items). */
  typeAt(model: string, path: (string | number)[]): TypeExpr | undefined {
    let t: TypeExpr | undefined = this.roots[model];
    for (const step of path) {
      if (t === undefined) return undefined;
      const r = this.resolve(t);
      if (typeof r === 'string') return undefined;
      if (r.k === 'o' && typeof step === 'string') t = r.p[step];
      else if ((r.k === 'a' || r.k === 'm') && typeof step === 'number') t = r.i;
      else if (r.k === 'm' && typeof step === 'string') {
        const inner = this.resolve(r.i);
        t = typeof inner !== 'string' && inner.k === 'o' ? inner.p[step] : undefined;
      } else return undefined;
    }
    return t;
  }
}

const cache = new Map<string, OscalModel>();

export function modelFor(version: string): OscalModel {
  let m = cache.get(version);
  if (!m) {
    m = new OscalModel(version);
    cache.set(version, m);
  }
  return m;
}

export function isObjectType(t: unknown): t is ObjectType {
  return typeof t === 'object' && t !== null && (t as ObjectType).k === 'o';
}
export function isArrayType(t: unknown): t is ArrayType {
  return typeof t === 'object' && t !== null && (t as ArrayType).k === 'a';
}
export function isEnumType(t: unknown): t is EnumType {
  return typeof t === 'object' && t !== null && (t as EnumType).k === 'e';
}
export function isOneOrMany(t: unknown): t is OneOrManyType {
  return typeof t === 'object' && t !== null && (t as OneOrManyType).k === 'm';
}

/** Parses `1.1.2`, `1.0.0-rc1`, `v1.2`; undefined for anything else. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.-]*)?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a) ?? [0, 0, 0];
  const pb = parseVersion(b) ?? [0, 0, 0];
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

export interface VersionChoice {
  /** The model version used for checking. */
  model: string;
  /** False when the document's `oscal-version` is outside 1.0.x-1.2.x or unreadable. */
  supported: boolean;
}

/**
 * Picks the model that checks a document of a given `oscal-version`: the newest described version not
 * newer than it within the same minor line, else the oldest of that line. 1.0.x has no published schema in
 * the project's sources and is checked against the oldest 1.1 model, its closest successor.
 */
export function chooseModelVersion(oscalVersion: unknown): VersionChoice {
  if (typeof oscalVersion !== 'string') return { model: LATEST_MODEL_VERSION, supported: oscalVersion === undefined };
  const v = parseVersion(oscalVersion);
  if (!v || v[0] !== 1 || v[1] > 2) return { model: LATEST_MODEL_VERSION, supported: false };
  const minor = v[1] === 0 ? 1 : v[1];
  const line = MODEL_VERSIONS.filter((m) => parseVersion(m)?.[1] === minor);
  if (line.length === 0) return { model: LATEST_MODEL_VERSION, supported: true };
  if (v[1] === 0) return { model: line[0], supported: true };
  const notNewer = line.filter((m) => compareVersions(m, oscalVersion) <= 0);
  return { model: (notNewer.length ? notNewer[notNewer.length - 1] : line[0]), supported: true };
}
