/** Small helpers shared by the Gatekeeper checks: findings at paths, plain-value readers. */
import type { KubeObject } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { rangeOfPath, type JsonPath, type RangePart } from '../../documents/paths';
import type { Finding, Fix, ResourceRef, Severity } from '../../types';

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ObjectContext {
  file: ParsedFile;
  doc: ParsedDocument;
  object: KubeObject;
  /** Controls the object maps to, attached to its findings. */
  controls: string[];
}

export function resourceOf(ctx: ObjectContext): ResourceRef {
  const r: ResourceRef = { kind: ctx.object.kind, document: ctx.doc.index };
  if (ctx.object.name) r.name = ctx.object.name;
  if (ctx.object.namespace) r.namespace = ctx.object.namespace;
  return r;
}

/** A finding at `path` (relative to the object) of the object's document. */
export function findingAt(
  ctx: ObjectContext,
  path: JsonPath,
  severity: Severity,
  code: string,
  message: string,
  part: RangePart = 'value',
  fixes?: Fix[],
): Finding {
  const f: Finding = {
    range: rangeOfPath(ctx.file, ctx.doc, [...ctx.object.path, ...path], part),
    severity,
    code,
    message,
    controls: ctx.controls,
    source: code.startsWith('rego.') ? 'rego' : 'gatekeeper',
    resource: resourceOf(ctx),
  };
  if (fixes?.length) f.fixes = fixes;
  return f;
}

/** `/a/b~1c/0` as a path; numeric steps stay numbers where the value there is an array. */
export function pointerToPath(pointer: string, root: unknown): JsonPath {
  if (!pointer) return [];
  const path: JsonPath = [];
  let v: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(v) && /^\d+$/.test(step)) {
      path.push(Number(step));
      v = v[Number(step)];
    } else {
      path.push(step);
      v = isRecord(v) ? v[step] : undefined;
    }
  }
  return path;
}

export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

/** RFC 1123 subdomain, as Kubernetes requires of most object names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Compiles a Go (RE2) pattern with JavaScript: leading `(?flags)` become flags, `(?P<name>` a named group. */
export function goRegExp(pattern: string): RegExp {
  let flags = '';
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    body = body.slice(lead[0].length);
    for (const f of lead[1]) if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
  }
  body = body.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^');
  return new RegExp(body, flags);
}
