import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonPath } from '../documents/paths';
import type { OscalIssue } from './issues';
import { compareVersions, parseVersion } from './model/model';

/** File names of the official per-model schemas. */
const MODEL_FILES: Record<string, string> = {
  catalog: 'oscal_catalog_schema.json',
  profile: 'oscal_profile_schema.json',
  'component-definition': 'oscal_component_schema.json',
  'system-security-plan': 'oscal_ssp_schema.json',
  'assessment-plan': 'oscal_assessment-plan_schema.json',
  'assessment-results': 'oscal_assessment-results_schema.json',
  'plan-of-action-and-milestones': 'oscal_poam_schema.json',
  'mapping-collection': 'oscal_mapping_schema.json',
};
const COMPLETE = 'oscal_complete_schema.json';

/** Gives the official validator for a model and OSCAL version, when one is available. */
export interface OfficialSchemas {
  validatorFor(model: string, oscalVersion: string | undefined): { validate: ValidateFunction; version: string } | undefined;
  /** Where the schemas come from and which versions it has, for messages. */
  describe?(): { location: string; versions: string[] };
}

/**
 * Official schemas from a folder: either the schema files themselves (one version) or one sub-folder per
 * version (`1.1.2/`, `1.2.1/`). A document is checked with its own version's schema, else the newest
 * schema of the same minor version; other versions are not checked here.
 */
export function officialSchemasFromDirectory(dir: string): OfficialSchemas {
  const versions = new Map<string, string>();
  const versionOfFile = (file: string): string | undefined => {
    try {
      const id = (JSON.parse(readFileSync(file, 'utf8')) as { $id?: string }).$id ?? '';
      return /\/(\d+\.\d+\.\d+)\//.exec(id)?.[1];
    } catch {
      return undefined;
    }
  };
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const sub = join(dir, name);
      if (statSync(sub).isDirectory() && parseVersion(name)) versions.set(name, sub);
    }
    if (versions.size === 0) {
      const probe = [COMPLETE, ...Object.values(MODEL_FILES)].map((f) => join(dir, f)).find((f) => existsSync(f));
      const v = probe ? versionOfFile(probe) : undefined;
      if (v) versions.set(v, dir);
    }
  }
  const compiled = new Map<string, ValidateFunction | null>();
  const compile = (file: string): ValidateFunction | undefined => {
    if (!compiled.has(file)) {
      try {
        // One Ajv per file: the schemas of different versions reuse the same definition ids.
        const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
        addFormats(ajv);
        compiled.set(file, ajv.compile(JSON.parse(readFileSync(file, 'utf8')) as object));
      } catch {
        compiled.set(file, null);
      }
    }
    return compiled.get(file) ?? undefined;
  };
  return {
    describe: () => ({ location: dir, versions: [...versions.keys()].sort(compareVersions) }),
    validatorFor(model, oscalVersion) {
      const version = pickVersion([...versions.keys()], oscalVersion);
      if (!version) return undefined;
      const folder = versions.get(version) as string;
      const candidates = [MODEL_FILES[model], COMPLETE].filter(Boolean).map((f) => join(folder, f));
      for (const file of candidates) {
        if (!existsSync(file)) continue;
        const validate = compile(file);
        if (validate) return { validate, version };
      }
      return undefined;
    },
  };
}

function pickVersion(available: string[], wanted: string | undefined): string | undefined {
  const sorted = available.sort(compareVersions);
  if (!wanted) return sorted[sorted.length - 1];
  if (available.includes(wanted)) return wanted;
  const w = parseVersion(wanted);
  if (!w) return undefined;
  const line = sorted.filter((v) => {
    const p = parseVersion(v);
    return p && p[0] === w[0] && p[1] === w[1];
  });
  return line[line.length - 1];
}

function pointerToPath(pointer: string): JsonPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function fieldName(path: JsonPath): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === 'string') return String(path[i]);
  return 'document';
}

/**
 * Drops the errors of the branches of an `anyOf` that the value was plainly not meant to match. Each error
 * belongs to the innermost failed `anyOf` whose branch it sits in (schemas are recursive, so the same
 * schema path recurs at several depths). A branch with no errors of its own failed only through errors
 * reported deeper down: it is the intended one. Otherwise the branch with the fewest errors is kept. The
 * `anyOf` error itself goes, since the kept errors say more.
 */
export function pruneAnyOfNoise(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (alternatives.length === 0) return errors;
  const within = (e: ErrorObject, a: ErrorObject): boolean =>
    e !== a && e.schemaPath.startsWith(`${a.schemaPath}/`) && (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`));
  const owner = new Map<ErrorObject, ErrorObject>();
  for (const e of errors) {
    let best: ErrorObject | undefined;
    for (const a of alternatives) if (within(e, a) && (!best || a.instancePath.length > best.instancePath.length)) best = a;
    if (best) owner.set(e, best);
  }
  const dropped = new Set<ErrorObject>(alternatives);
  for (const a of alternatives) {
    const branches = new Map<string, ErrorObject[]>();
    for (const [e, o] of owner) {
      if (o !== a) continue;
      const branch = e.schemaPath.slice(a.schemaPath.length + 1).split('/')[0];
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    const count = Array.isArray(a.schema) ? a.schema.length : branches.size;
    let keep: string | undefined;
    for (let i = 0; i < count && keep === undefined; i++) if (!branches.has(String(i))) keep = String(i);
    keep ??= [...branches.entries()].sort((x, y) => x[1].length - y[1].length)[0]?.[0];
    for (const [b, list] of branches) if (b !== keep) list.forEach((e) => dropped.add(e));
  }
  return errors.filter((e) => !dropped.has(e));
}

/** The official schema's findings, in plain words, as issues (code `oscal.schema`). */
export function officialIssues(validate: ValidateFunction, value: unknown): OscalIssue[] {
  if (validate(value)) return [];
  const errors = pruneAnyOfNoise(validate.errors ?? []);
  const issues: OscalIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath);
    const name = `\`${fieldName(path)}\``;
    const params = e.params as Record<string, unknown>;
    let issue: OscalIssue;
    switch (e.keyword) {
      case 'required':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'key', message: `${name} needs \`${String(params.missingProperty)}\`` };
        break;
      case 'additionalProperties':
        issue = {
          code: 'oscal.schema',
          severity: 'error',
          path: [...path, String(params.additionalProperty)],
          part: 'key',
          message: `${name} has no field \`${String(params.additionalProperty)}\``,
        };
        break;
      case 'enum':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} must be one of ${(params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}` };
        break;
      case 'type':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} must be of type ${String(params.type)}` };
        break;
      case 'format':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} is not a valid ${String(params.format)}` };
        break;
      case 'pattern':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} does not have the form its datatype requires` };
        break;
      case 'minItems':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} must not be empty` };
        break;
      case 'minimum':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name} must be at least ${String(params.limit)}` };
        break;
      case 'anyOf':
      case 'oneOf':
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'key', message: `${name} does not match any of the forms the official schema allows` };
        break;
      default:
        issue = { code: 'oscal.schema', severity: 'error', path, part: 'value', message: `${name}: the official schema reports "${e.message ?? e.keyword}"` };
    }
    const key = `${JSON.stringify(issue.path)}|${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function related(a: JsonPath, b: JsonPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Keeps the official findings that the built-in checks did not already make: an official issue is a
 * duplicate when a built-in issue sits on the same path (or, for a missing field or a form error, on the
 * same object or inside it).
 */
export function dedupeOfficial(official: OscalIssue[], builtIn: OscalIssue[]): OscalIssue[] {
  const paths = new Set(builtIn.map((i) => JSON.stringify(i.path)));
  return official.filter((o) => {
    if (paths.has(JSON.stringify(o.path))) return false;
    if (o.part === 'key') return !builtIn.some((b) => related(b.path, o.path) && b.path.length >= o.path.length - 1);
    return true;
  });
}
