import { displayControlId } from '../controls/ids';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { documentAt, pathAtOffset, rangeOfPath, type JsonPath } from '../documents/paths';
import { rangeContains, type Finding, type Position, type Range } from '../types';
import { ruleApplies, type CheckedObject, type KubernetesCheckResult } from './check';
import { podLocation } from './podSpec';
import { KUBERNETES_RULES } from './rules';
import { IGNORE_ANNOTATION } from './suppression';
import type { KubernetesRule } from './rules/types';

export interface KubernetesHoverOptions {
  /** A control's title from the catalogs in play (`Least Privilege`), when known. */
  controlTitle?: (id: string) => string | undefined;
}

function tokens(path: JsonPath): string[] {
  return path.map((s) => (typeof s === 'number' ? '[*]' : s));
}

function patternTokens(pattern: string): string[] {
  return pattern.split('.').flatMap((part) => {
    const m = /^(.*?)((?:\[\*\])*)$/.exec(part);
    const name = m?.[1] ?? part;
    const brackets = (m?.[2] ?? '').match(/\[\*\]/g) ?? [];
    return [...(name ? [name] : []), ...brackets];
  });
}

/** Whether a rule field pattern and a hovered path lie on one line of descent (either may be deeper). */
export function fieldRelated(pattern: string, path: JsonPath): boolean {
  const p = patternTokens(pattern);
  const t = tokens(path);
  const n = Math.min(p.length, t.length);
  for (let i = 0; i < n; i++) {
    if (p[i] === t[i]) continue;
    if (p[i] === '*' && t[i] !== '[*]') continue;
    return false;
  }
  return true;
}

/**
 * The field a hover is about, relative to what rule patterns are written against (the pod spec for pod
 * rules, the object otherwise). Too shallow a path (the spec itself, a whole container) concerns no field.
 */
function fieldPath(checked: CheckedObject, rel: JsonPath, rule: KubernetesRule): JsonPath | undefined {
  let path = rel;
  if (rule.appliesTo === 'pod') {
    const loc = podLocation(checked.object.kind);
    if (!loc || loc.specPath.some((s, i) => rel[i] !== s)) return undefined;
    path = rel.slice(loc.specPath.length);
    const inContainer = typeof path[1] === 'number' && /containers$/i.test(String(path[0]));
    if (path.length < (inContainer ? 3 : 1)) return undefined;
    return path;
  }
  return path.length >= 1 ? path : undefined;
}

/** When the hover is inside a container, the container's range: its state is what the hover reports. */
function containerScope(file: ParsedFile, doc: ParsedDocument, checked: CheckedObject, rel: JsonPath): Range | undefined {
  const loc = podLocation(checked.object.kind);
  if (!loc || loc.specPath.some((s, i) => rel[i] !== s)) return undefined;
  const inSpec = rel.slice(loc.specPath.length);
  if (typeof inSpec[1] !== 'number' || !/containers$/i.test(String(inSpec[0]))) return undefined;
  return rangeOfPath(file, doc, [...checked.object.path, ...loc.specPath, inSpec[0], inSpec[1]], 'value');
}

function controlLine(rule: KubernetesRule, options: KubernetesHoverOptions): string {
  return rule.controls
    .map((id) => {
      const title = options.controlTitle?.(id);
      return title ? `${displayControlId(id)} ${title}` : displayControlId(id);
    })
    .join(', ');
}

function references(rule: KubernetesRule): string {
  const parts: string[] = [];
  if (rule.references.pss) parts.push(`PSS: ${rule.references.pss}`);
  if (rule.references.cis?.length) parts.push(`CIS Kubernetes ${rule.references.cis.join(', ')}`);
  if (rule.references.nsa?.length) parts.push(`NSA/CISA: ${rule.references.nsa.join('; ')}`);
  return parts.join(' · ');
}

function state(rule: KubernetesRule, findings: Finding[], applies: boolean, level: string): string {
  const mine = findings.filter((f) => f.code === rule.id);
  if (mine.some((f) => !f.suppressed)) return '✗';
  if (mine.length) return '⊘ accepted exception';
  return applies ? '✓' : `not enforced at ${level}`;
}

/** On the ignore annotation: what it suppresses on this resource, and why. */
function ignoreHover(checked: CheckedObject): string[] {
  const suppressed = checked.findings.filter((f) => f.suppressed);
  if (suppressed.length === 0) return ['**control-lens.dev/ignore**: suppresses nothing on this resource at the level in force.'];
  return [
    [`**control-lens.dev/ignore**: ${suppressed.length} accepted exception${suppressed.length === 1 ? '' : 's'} on this resource`, '', ...suppressed.map((f) => `- ${f.code}: ${f.message} (reason: ${f.suppressed!.reason})`)].join('\n'),
  ];
}

/**
 * Markdown for a hover on a Kubernetes field: the rules that concern the field (or flagged it), each
 * with its controls, its state on this resource and, where it fired here, the message. One string per
 * rule; none when the position concerns no rule.
 */
export function kubernetesHover(file: ParsedFile, result: KubernetesCheckResult, position: Position, options: KubernetesHoverOptions = {}): string[] {
  const offset = file.lines.offsetAt(position);
  const doc = documentAt(file, offset);
  if (!doc) return [];
  const { path } = pathAtOffset(doc, offset);
  const candidates = result.objects.filter((o) => o.doc === doc && o.object.path.every((s, i) => path[i] === s));
  const checked = candidates.sort((a, b) => b.object.path.length - a.object.path.length)[0];
  if (!checked) return [];
  const rel = path.slice(checked.object.path.length);
  if (rel.length === 3 && rel[0] === 'metadata' && rel[1] === 'annotations' && rel[2] === IGNORE_ANNOTATION) return ignoreHover(checked);
  const here = checked.findings.filter((f) => rangeContains(f.range, position));
  const hasPod = podLocation(checked.object.kind) !== undefined;
  const scope = containerScope(file, doc, checked, rel);
  const inScope = scope ? checked.findings.filter((f) => rangeContains(scope, f.range.start)) : checked.findings;
  const rules = KUBERNETES_RULES.filter((rule) => {
    if (here.some((f) => f.code === rule.id)) return true;
    if (rule.appliesTo !== 'pod' && !rule.appliesTo.includes(checked.object.kind)) return false;
    if (rule.appliesTo === 'pod' && !hasPod) return false;
    const field = fieldPath(checked, rel, rule);
    return field !== undefined && rule.fields.some((p) => fieldRelated(p, field));
  });
  return rules.map((rule) => {
    const applies = ruleApplies(rule, checked.object, hasPod, checked.level, checked.version);
    const lines = [
      `**${rule.id}** ${rule.title}: ${state(rule, inScope, applies, checked.level)}`,
      '',
      `Controls: ${controlLine(rule, options)}`,
    ];
    const refs = references(rule);
    if (refs) lines.push('', refs);
    for (const f of here.filter((x) => x.code === rule.id)) {
      lines.push('', f.suppressed ? `~~${f.message}~~ (exception: ${f.suppressed.reason})` : f.message);
    }
    lines.push('', rule.rationale);
    return lines.join('\n');
  });
}
