/** The `spec.match` block of a Gatekeeper constraint (pkg/mutation/match's Match type). */
import type { JsonPath } from '../../documents/paths';
import { isRecord, typeName } from './common';

export interface MatchProblem {
  path: JsonPath;
  message: string;
  part?: 'key' | 'value';
  severity?: 'error' | 'warning';
}

const MATCH_KEYS = ['kinds', 'scope', 'namespaces', 'excludedNamespaces', 'labelSelector', 'namespaceSelector', 'name', 'source'];
const SCOPES = ['*', 'Cluster', 'Namespaced'];
const SOURCES = ['All', 'Generated', 'Original'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
// Namespace patterns may carry one `*` at the start or the end (a prefix or suffix match).
const NAMESPACE_PATTERN = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?|[a-z0-9][-a-z0-9]*\*|\*[-a-z0-9]*[a-z0-9])$/;

export function checkMatch(match: unknown, base: JsonPath): MatchProblem[] {
  const out: MatchProblem[] = [];
  if (!isRecord(match)) {
    out.push({ path: base, message: `\`match\` must be a map (it is ${typeName(match)}).` });
    return out;
  }
  for (const key of Object.keys(match)) {
    if (!MATCH_KEYS.includes(key)) out.push({ path: [...base, key], part: 'key', message: `Unknown match field \`${key}\`; known fields are ${MATCH_KEYS.join(', ')}.` });
  }
  if ('kinds' in match) {
    const kinds = match.kinds;
    if (!Array.isArray(kinds)) out.push({ path: [...base, 'kinds'], message: '`kinds` is a list of `{apiGroups, kinds}` entries.' });
    else kinds.forEach((k, i) => {
      const at = [...base, 'kinds', i];
      if (!isRecord(k)) return out.push({ path: at, message: 'Each `kinds` entry is a map with `apiGroups` and `kinds` lists.' });
      for (const f of Object.keys(k)) if (f !== 'apiGroups' && f !== 'kinds') out.push({ path: [...at, f], part: 'key', message: `Unknown field \`${f}\` in a kinds entry; use apiGroups and kinds.` });
      for (const f of ['apiGroups', 'kinds']) {
        if (!(f in k)) continue;
        if (!Array.isArray(k[f]) || (k[f] as unknown[]).some((x) => typeof x !== 'string')) out.push({ path: [...at, f], message: `\`${f}\` is a list of strings ("" is the core group, "*" any).` });
      }
      if (!('kinds' in k)) out.push({ path: at, message: 'A kinds entry without `kinds` matches nothing; list the kinds (or "*").', severity: 'warning' });
    });
  }
  if ('scope' in match && !SCOPES.includes(match.scope as string)) out.push({ path: [...base, 'scope'], message: `\`scope\` is one of ${SCOPES.map((s) => `"${s}"`).join(', ')}.` });
  if ('source' in match && !SOURCES.includes(match.source as string)) out.push({ path: [...base, 'source'], message: `\`source\` is one of ${SOURCES.join(', ')}.` });
  if ('name' in match && (typeof match.name !== 'string' || !match.name)) out.push({ path: [...base, 'name'], message: '`name` is an object name (a `*` prefix or suffix is allowed).' });
  for (const f of ['namespaces', 'excludedNamespaces']) {
    if (!(f in match)) continue;
    const list = match[f];
    if (!Array.isArray(list)) {
      out.push({ path: [...base, f], message: `\`${f}\` is a list of namespace names.` });
      continue;
    }
    list.forEach((ns, i) => {
      if (typeof ns !== 'string' || !NAMESPACE_PATTERN.test(ns)) out.push({ path: [...base, f, i], message: `"${String(ns)}" is not a namespace name or a pattern with one leading or trailing \`*\`.` });
    });
  }
  for (const f of ['labelSelector', 'namespaceSelector']) if (f in match) checkSelector(match[f], [...base, f], out);
  if ('namespaceSelector' in match && match.scope === 'Cluster') {
    out.push({ path: [...base, 'namespaceSelector'], part: 'key', severity: 'warning', message: 'A namespaceSelector has no effect with `scope: Cluster`.' });
  }
  return out;
}

export function checkSelector(sel: unknown, at: JsonPath, out: MatchProblem[]): void {
  if (!isRecord(sel)) {
    out.push({ path: at, message: 'A label selector is a map with `matchLabels` and/or `matchExpressions`.' });
    return;
  }
  for (const key of Object.keys(sel)) {
    if (key !== 'matchLabels' && key !== 'matchExpressions') out.push({ path: [...at, key], part: 'key', message: `Unknown selector field \`${key}\`; use matchLabels or matchExpressions.` });
  }
  if ('matchLabels' in sel) {
    const ml = sel.matchLabels;
    if (!isRecord(ml)) out.push({ path: [...at, 'matchLabels'], message: '`matchLabels` is a map of label keys to string values.' });
    else for (const [k, v] of Object.entries(ml)) {
      if (typeof v !== 'string') out.push({ path: [...at, 'matchLabels', k], message: `Label values are strings: quote ${JSON.stringify(v)}.` });
    }
  }
  if ('matchExpressions' in sel) {
    const me = sel.matchExpressions;
    if (!Array.isArray(me)) {
      out.push({ path: [...at, 'matchExpressions'], message: '`matchExpressions` is a list of `{key, operator, values}`.' });
      return;
    }
    me.forEach((e, i) => {
      const p = [...at, 'matchExpressions', i];
      if (!isRecord(e)) return out.push({ path: p, message: 'A match expression is a map with `key`, `operator` and `values`.' });
      if (typeof e.key !== 'string' || !e.key) out.push({ path: [...p, 'key'], part: 'key' in e ? 'value' : 'key', message: 'A match expression needs a `key`.' });
      if (!OPERATORS.includes(e.operator as string)) out.push({ path: [...p, 'operator'], part: 'operator' in e ? 'value' : 'key', message: `\`operator\` is one of ${OPERATORS.join(', ')}.` });
      const values = e.values;
      const needsValues = e.operator === 'In' || e.operator === 'NotIn';
      if (values !== undefined && (!Array.isArray(values) || values.some((v) => typeof v !== 'string'))) out.push({ path: [...p, 'values'], message: '`values` is a list of strings.' });
      else if (needsValues && (!Array.isArray(values) || values.length === 0)) out.push({ path: [...p, 'values' in e ? 'values' : 'operator'], message: `Operator ${String(e.operator)} needs a non-empty \`values\` list.` });
      else if (!needsValues && Array.isArray(values) && values.length > 0 && OPERATORS.includes(e.operator as string)) out.push({ path: [...p, 'values'], message: `Operator ${String(e.operator)} takes no values.` });
    });
  }
}
