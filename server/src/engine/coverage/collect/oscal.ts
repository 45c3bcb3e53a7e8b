/**
 * `implemented` evidence from OSCAL: the implemented-requirements of component-definitions and system
 * security plans, and Kubernetes objects that declare controls of their own (a NetworkPolicy annotated with
 * SC-7 is an implementation of SC-7). In the OSCAL Compass way, the rules a requirement names through
 * `Rule_Id` props (and the checks those rules declare) are part of the evidence's detail.
 */
import type { ControlDirectory } from '../../analysis';
import { parseControlId } from '../../controls/ids';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { rangeOfPath, type JsonPath } from '../../documents/paths';
import { readControlAnnotations } from '../../mapping/annotations';
import type { IndexedFile } from '../../workspace/index';
import type { Evidence } from '../evidence';
import { appendAll } from '../../arrays';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function propValues(props: unknown, name: string): string[] {
  return asArray(props)
    .filter(isRecord)
    .filter((p) => p.name === name && typeof p.value === 'string')
    .map((p) => p.value as string);
}

/** Compass rule declarations on a component: Rule_Id → its Check_Id/Policy_Id, grouped by `remarks` (the rule set). */
function compassRules(component: Record<string, unknown>): Map<string, string[]> {
  const bySet = new Map<string, { rule?: string; checks: string[] }>();
  for (const p of asArray(component.props)) {
    if (!isRecord(p) || typeof p.value !== 'string') continue;
    const set = str(p.remarks) ?? '';
    const entry = bySet.get(set) ?? { checks: [] };
    if (p.name === 'Rule_Id') entry.rule = p.value;
    if (p.name === 'Check_Id' || p.name === 'Policy_Id') entry.checks.push(p.value);
    bySet.set(set, entry);
  }
  const out = new Map<string, string[]>();
  for (const { rule, checks } of bySet.values()) if (rule) out.set(rule, [...(out.get(rule) ?? []), ...checks]);
  return out;
}

/** The component uuids a requirement's by-components (its own and its statements') name. */
function byComponents(req: Record<string, unknown>): string[] {
  return [...asArray(req['by-components']), ...asArray(req.statements).flatMap((s) => (isRecord(s) ? asArray(s['by-components']) : []))]
    .filter(isRecord)
    .map((b) => str(b['component-uuid']))
    .filter((u): u is string => !!u);
}

/** True when every by-component of a requirement says it is only planned (not yet in place). */
function onlyPlanned(req: Record<string, unknown>): boolean {
  const states = [...asArray(req['by-components']), ...asArray(req.statements).flatMap((s) => (isRecord(s) ? asArray(s['by-components']) : []))]
    .filter(isRecord)
    .map((b) => (isRecord(b['implementation-status']) ? str(b['implementation-status'].state) : undefined))
    .filter((s): s is string => !!s);
  return states.length > 0 && states.every((s) => s === 'planned' || s === 'not-applicable');
}

function requirementEvidence(
  file: ParsedFile,
  doc: ParsedDocument,
  req: unknown,
  path: JsonPath,
  who: string,
  rules: Map<string, string[]>,
  componentTitles: Map<string, string> = new Map(),
): Evidence | undefined {
  if (!isRecord(req)) return undefined;
  const controlId = str(req['control-id']);
  const parsed = controlId ? parseControlId(controlId) : undefined;
  if (!parsed || onlyPlanned(req)) return undefined;
  const ruleIds = [...propValues(req.props, 'Rule_Id'), ...asArray(req.statements).flatMap((s) => (isRecord(s) ? propValues(s.props, 'Rule_Id') : []))];
  let detail = `${who} implements it`;
  const by = byComponents(req)
    .map((uuid) => componentTitles.get(uuid))
    .filter((t): t is string => !!t);
  if (by.length) detail += ` (by ${[...new Set(by)].slice(0, 3).join(', ')}${new Set(by).size > 3 ? ', …' : ''})`;
  if (ruleIds.length) {
    const checks = ruleIds.flatMap((r) => rules.get(r) ?? []);
    detail += ` through rule${ruleIds.length === 1 ? '' : 's'} ${ruleIds.join(', ')}${checks.length ? ` (checked by ${[...new Set(checks)].join(', ')})` : ''}`;
  }
  return { kind: 'implemented', controls: [parsed.id], uri: file.uri, range: rangeOfPath(file, doc, [...path, 'control-id'], 'value'), detail, check: ruleIds[0] };
}

function componentDefinitionEvidence(file: ParsedFile, doc: ParsedDocument, cd: Record<string, unknown>): Evidence[] {
  const out: Evidence[] = [];
  asArray(cd.components).forEach((component, ci) => {
    if (!isRecord(component)) return;
    const title = str(component.title) ?? `component ${ci + 1}`;
    const rules = compassRules(component);
    asArray(component['control-implementations']).forEach((impl, ii) => {
      if (!isRecord(impl)) return;
      asArray(impl['implemented-requirements']).forEach((req, ri) => {
        const path: JsonPath = ['component-definition', 'components', ci, 'control-implementations', ii, 'implemented-requirements', ri];
        const e = requirementEvidence(file, doc, req, path, `Component "${title}"`, rules);
        if (e) out.push(e);
      });
    });
  });
  return out;
}

function sspEvidence(file: ParsedFile, doc: ParsedDocument, ssp: Record<string, unknown>): Evidence[] {
  const out: Evidence[] = [];
  const sc = isRecord(ssp['system-characteristics']) ? ssp['system-characteristics'] : {};
  const system = str(sc['system-name']) ?? 'The system';
  const ci = isRecord(ssp['control-implementation']) ? ssp['control-implementation'] : {};
  const si = isRecord(ssp['system-implementation']) ? ssp['system-implementation'] : {};
  const titles = new Map<string, string>();
  for (const c of asArray(si.components)) if (isRecord(c) && typeof c.uuid === 'string' && typeof c.title === 'string') titles.set(c.uuid, c.title.replace(/\s+/g, ' ').trim());
  asArray(ci['implemented-requirements']).forEach((req, ri) => {
    const path: JsonPath = ['system-security-plan', 'control-implementation', 'implemented-requirements', ri];
    const e = requirementEvidence(file, doc, req, path, `SSP of ${system}`, new Map(), titles);
    if (e) out.push(e);
  });
  return out;
}

/** `implemented` evidence of one file. */
export function implementedEvidence(entry: IndexedFile, controls: ControlDirectory): Evidence[] {
  const out: Evidence[] = [];
  for (const { doc, classification, objects } of entry.documents) {
    const v = doc.value;
    if (classification.family === 'oscal' && isRecord(v)) {
      if (classification.type === 'component-definition' && isRecord(v['component-definition'])) appendAll(out, componentDefinitionEvidence(entry.file, doc, v['component-definition']));
      if (classification.type === 'system-security-plan' && isRecord(v['system-security-plan'])) appendAll(out, sspEvidence(entry.file, doc, v['system-security-plan']));
      continue;
    }
    for (const object of objects) {
      if (object.classification.family !== 'kubernetes') continue;
      const mapping = readControlAnnotations(entry.file, doc, object, controls);
      for (const ref of mapping.controls) {
        out.push({
          kind: 'implemented',
          controls: [ref.id],
          uri: entry.file.uri,
          range: ref.range,
          detail: `${object.kind} ${object.name ?? '(unnamed)'} declares it`,
          resource: { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index },
        });
      }
    }
  }
  return out;
}
