import { rangeOfPath, type JsonPath } from '../../documents/paths';
import type { ParsedFile } from '../../documents/parse';
import type { Position, Range } from '../../types';
import type { OscalEnvironment } from '../analyze';
import { resolveHref } from '../../controls/href';
import { displayControlId } from '../../controls/ids';
import type { OscalBackMatter } from '../../controls/oscal';
import { cursorAt, scalarRange, type CursorContext } from './context';
import { targetAt, usagesOf, valueAtPath, type Target } from './targets';
import { isRecord } from '../semantic/walk';

/** A place in a file: a range when the file is the one being edited, else a path for the caller to place. */
export interface OscalLocation {
  uri: string;
  range?: Range;
  path?: JsonPath;
}

export interface HoverResult {
  markdown: string;
  range: Range;
}

function here(ctx: CursorContext, path: JsonPath, part: 'key' | 'value' = 'value'): OscalLocation {
  return { uri: ctx.file.uri, range: rangeOfPath(ctx.file, ctx.doc, path, part), path };
}

function definitionLocations(ctx: CursorContext, target: Target): OscalLocation[] {
  if (target.kind === 'uuid') {
    return target.definitions.map((d) => (d.uri ? { uri: d.uri, path: [...d.path, target.role ? 'id' : 'uuid'] } : here(ctx, [...d.path, target.role ? 'id' : 'uuid'])));
  }
  if (target.kind === 'control') {
    const control = target.catalog?.controls.get(target.id);
    return control ? [{ uri: control.uri, path: [...control.path, 'id'] }] : [];
  }
  if (target.kind === 'href') {
    const backMatter = ctx.analysis.root.content['back-matter'] as OscalBackMatter | undefined;
    return resolveHref(target.href, ctx.file.uri, backMatter).candidates.slice(0, 1).map((uri) => ({ uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } }));
  }
  if (target.local) return [here(ctx, [...target.local, 'id'])];
  if (target.catalog) {
    const p = target.catalog.params.get(target.id);
    const control = p?.controlId ? target.catalog.controls.get(p.controlId) : undefined;
    if (control) {
      const params = Array.isArray(control.control.params) ? control.control.params : [];
      const i = params.findIndex((x) => x.id === target.id);
      return [{ uri: control.uri, path: i >= 0 ? [...control.path, 'params', i, 'id'] : control.path }];
    }
  }
  return [];
}

/** Go to definition for uuid references, role ids and parameter ids. */
export function oscalDefinition(file: ParsedFile, position: Position, env: OscalEnvironment = {}): OscalLocation[] {
  const ctx = cursorAt(file, position, env);
  if (!ctx) return [];
  const target = targetAt(ctx, env);
  return target ? definitionLocations(ctx, target) : [];
}

/** Find references: the definition (when asked) and every use of the uuid, role id or parameter id. */
export function oscalReferences(file: ParsedFile, position: Position, includeDeclaration = true, env: OscalEnvironment = {}): OscalLocation[] {
  const ctx = cursorAt(file, position, env);
  if (!ctx) return [];
  const target = targetAt(ctx, env);
  if (!target) return [];
  const out = includeDeclaration ? definitionLocations(ctx, target).filter((l) => !l.uri || l.uri === file.uri) : [];
  for (const p of usagesOf(ctx, target)) out.push(here(ctx, p));
  return out;
}

function describeDefinition(ctx: CursorContext, target: Extract<Target, { kind: 'uuid' }>): string {
  const d = target.definitions[0];
  const obj = valueAtPath(d.uri ? undefined : { [ctx.analysis.root.model]: ctx.analysis.root.content }, d.path);
  const lines = [`**${d.kind}** ${d.name ? `"${d.name}"` : `\`${d.key}\``}`];
  if (isRecord(obj)) {
    if (typeof obj.type === 'string') lines.push(`type: \`${obj.type}\``);
    const email = Array.isArray(obj['email-addresses']) ? obj['email-addresses'][0] : undefined;
    if (typeof email === 'string') lines.push(`email: ${email}`);
    const rlink = Array.isArray(obj.rlinks) ? obj.rlinks.find((l) => isRecord(l) && typeof l.href === 'string') : undefined;
    if (isRecord(rlink)) lines.push(`link: ${String(rlink.href)}`);
    if (isRecord(obj.citation) && typeof obj.citation.text === 'string') lines.push(`citation: ${obj.citation.text}`);
    if (typeof obj.description === 'string' && obj.description !== d.name) lines.push('', obj.description.length > 300 ? `${obj.description.slice(0, 297)}...` : obj.description);
  }
  if (d.uri) lines.push('', `defined in ${d.uri}`);
  return lines.join('\n\n').replace(/\n\n\n\n/g, '\n\n');
}

function paramMarkdown(id: string, param: Record<string, unknown>, controlId: string | undefined, usages: number): string {
  const lines = [`**parameter** \`${id}\`${controlId ? ` of ${displayControlId(controlId)}` : ''}`];
  if (typeof param.label === 'string') lines.push(`label: ${param.label}`);
  if (Array.isArray(param.values) && param.values.length) lines.push(`values: ${param.values.map((v) => `\`${String(v)}\``).join(', ')}`);
  const select = param.select;
  if (isRecord(select) && Array.isArray(select.choice)) lines.push(`choose ${select['how-many'] === 'one-or-more' ? 'one or more' : 'one'} of: ${select.choice.map((c) => `\`${String(c)}\``).join(', ')}`);
  if (typeof param.usage === 'string') lines.push(`usage: ${param.usage}`);
  if (Array.isArray(param.guidelines)) for (const g of param.guidelines) if (isRecord(g) && typeof g.prose === 'string') lines.push(`guideline: ${g.prose}`);
  if (usages > 0) lines.push(`set ${usages} time${usages === 1 ? '' : 's'} in this document`);
  return lines.join('\n\n');
}

/** Hover on a uuid reference or definition (what it is, how often it is used) and on a parameter id. */
export function oscalHover(file: ParsedFile, position: Position, env: OscalEnvironment = {}): HoverResult | undefined {
  const ctx = cursorAt(file, position, env);
  if (!ctx) return undefined;
  const target = targetAt(ctx, env);
  const range = scalarRange(ctx);
  if (!target || !range || target.kind === 'control' || target.kind === 'href') return undefined;
  const uses = usagesOf(ctx, target).length;
  if (target.kind === 'uuid') {
    if (target.definitions.length === 0) {
      return { markdown: `\`${target.key}\` points to nothing in this document${target.reference?.kinds ? ` (expected a ${target.reference.kinds.join(' or ')})` : ''}`, range };
    }
    const refs = target.reference ? '' : `\n\nreferenced ${uses} time${uses === 1 ? '' : 's'} in this document`;
    return { markdown: describeDefinition(ctx, target) + refs, range };
  }
  if (target.local) {
    const param = valueAtPath({ [ctx.analysis.root.model]: ctx.analysis.root.content }, target.local);
    if (isRecord(param)) return { markdown: paramMarkdown(target.id, param, undefined, uses), range };
  }
  if (target.catalog) {
    const p = target.catalog.params.get(target.id);
    if (p) return { markdown: paramMarkdown(target.id, p.param as Record<string, unknown>, p.controlId, uses), range };
  }
  return { markdown: `parameter \`${target.id}\` is not defined in the catalogs in play`, range };
}
