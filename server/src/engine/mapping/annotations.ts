import { isMap, isScalar, type Scalar } from 'yaml';
import type { ControlDirectory } from '../analysis';
import { displayControlId, parseControlId } from '../controls/ids';
import type { KubeObject } from '../documents/classify';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { resolvePath } from '../documents/paths';
import type { Finding, Range } from '../types';

export const CONTROLS_ANNOTATION = 'control-lens.dev/controls';
export const RULE_CONTROLS_PREFIX = 'control-lens.dev/rule-controls.';
export const IGNORE_ANNOTATION = 'control-lens.dev/ignore';

export interface ControlReference {
  id: string;
  /** The text as written (`AC-6(1)`). */
  text: string;
  range: Range;
}

export interface AnnotationMapping {
  /** Controls named for the whole object. */
  controls: ControlReference[];
  /** Controls named for one rule of a policy (`control-lens.dev/rule-controls.<rule>`). */
  ruleControls: Map<string, ControlReference[]>;
  problems: Finding[];
}

/**
 * Offset inside the file of character `index` of a scalar's value. Plain and quoted single-line scalars map
 * one to one after the opening quote; escapes and folded lines are rare in annotations, and for those the
 * whole scalar is the best honest answer.
 */
function scalarValueOffset(scalar: Scalar, text: string, base: number, index: number): [number, number] | undefined {
  const r = scalar.range;
  if (!r) return undefined;
  const raw = text.slice(base + r[0], base + r[1]);
  const value = String(scalar.value);
  const quote = raw[0] === '"' || raw[0] === "'" ? 1 : 0;
  if (raw.slice(quote, quote + value.length) === value) return [base + r[0] + quote + index, base + r[0] + quote + index];
  return undefined;
}

/** Reads the control annotations of one object and checks each id against the controls in play. */
export function readControlAnnotations(file: ParsedFile, doc: ParsedDocument, object: KubeObject, controls: ControlDirectory): AnnotationMapping {
  const result: AnnotationMapping = { controls: [], ruleControls: new Map(), problems: [] };
  const annotationsPath = [...object.path, 'metadata', 'annotations'];
  const target = resolvePath(doc, annotationsPath);
  if (!target.exact || !isMap(target.node)) return result;
  for (const pair of target.node.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const isObjectLevel = key === CONTROLS_ANNOTATION;
    const isRuleLevel = key.startsWith(RULE_CONTROLS_PREFIX);
    if (!isObjectLevel && !isRuleLevel) continue;
    const value = pair.value;
    const keyRange = pair.key.range ? file.lines.range(doc.base + pair.key.range[0], doc.base + pair.key.range[1]) : undefined;
    if (!isScalar(value) || typeof value.value !== 'string') {
      if (keyRange) {
        result.problems.push({
          range: keyRange,
          severity: 'error',
          code: 'controls.annotation',
          message: `\`${key}\` must be a string of control ids such as "AC-6, CM-7(1)".`,
          controls: [],
          source: 'controls',
        });
      }
      continue;
    }
    const refs: ControlReference[] = [];
    const str = value.value;
    const scalarRange = value.range ? file.lines.range(doc.base + value.range[0], doc.base + value.range[1]) : keyRange!;
    for (const m of str.matchAll(/[^,;\s][^,;]*/g)) {
      const token = m[0].trim();
      const at = m.index ?? 0;
      const offsets = scalarValueOffset(value, file.text, doc.base, at);
      const range = offsets ? file.lines.range(offsets[0], offsets[0] + token.length) : scalarRange;
      const parsed = parseControlId(token);
      if (!parsed) {
        result.problems.push({
          range,
          severity: 'error',
          code: 'controls.malformed-id',
          message: `"${token}" is not a control id; write ids as NIST does ("AC-6", "CM-7(1)") or as OSCAL does ("ac-6", "cm-7.1").`,
          controls: [],
          source: 'controls',
        });
        continue;
      }
      if (!controls.isKnownFamily(parsed.family) || !controls.lookup(parsed.id)) {
        result.problems.push({
          range,
          severity: controls.isKnownFamily(parsed.family) ? 'warning' : 'error',
          code: 'controls.unknown-control',
          message: controls.isKnownFamily(parsed.family)
            ? `${displayControlId(parsed.id)} is not a control of the catalogs in play (the built-in index holds the controls of the NIST SP 800-53 rev5 baselines; add a full catalog to \`catalogs\` for the others).`
            : `${displayControlId(parsed.id)}: "${parsed.family.toUpperCase()}" is not a control family of the catalogs in play.`,
          controls: [],
          source: 'controls',
        });
      }
      refs.push({ id: parsed.id, text: token, range });
    }
    if (isObjectLevel) result.controls.push(...refs);
    else result.ruleControls.set(key.slice(RULE_CONTROLS_PREFIX.length), refs);
  }
  return result;
}
