import { isMap, isScalar } from 'yaml';
import type { ControlDirectory } from '../analysis';
import { displayControlId, parseControlId } from '../controls/ids';
import type { KubeObject } from '../documents/classify';
import type { ParsedDocument, ParsedFile } from '../documents/parse';
import { resolvePath } from '../documents/paths';
import { scalarMap } from '../documents/scalarMap';
import type { Finding, Range } from '../types';

export const CONTROLS_ANNOTATION = 'control-lens.dev/controls';
export const RULE_CONTROLS_PREFIX = 'control-lens.dev/rule-controls.';

/** An object's `metadata.annotations` as read from its plain value (undefined when absent or not a map). */
export function annotationsOf(object: KubeObject): Record<string, unknown> | undefined {
  const metadata = (object.value as { metadata?: unknown } | undefined)?.metadata;
  const annotations = metadata && typeof metadata === 'object' ? (metadata as { annotations?: unknown }).annotations : undefined;
  return annotations && typeof annotations === 'object' && !Array.isArray(annotations) ? (annotations as Record<string, unknown>) : undefined;
}

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

/** Reads the control annotations of one object and checks each id against the controls in play. */
export function readControlAnnotations(file: ParsedFile, doc: ParsedDocument, object: KubeObject, controls: ControlDirectory): AnnotationMapping {
  const result: AnnotationMapping = { controls: [], ruleControls: new Map(), problems: [] };
  // Most objects carry none of these annotations: the plain value says so without walking the syntax tree.
  const annotations = annotationsOf(object);
  if (!annotations || !Object.keys(annotations).some((k) => k === CONTROLS_ANNOTATION || k.startsWith(RULE_CONTROLS_PREFIX))) return result;
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
    // Each id gets its own range inside the value, whatever the scalar's style (quotes, escapes, folding).
    const map = value.range ? scalarMap(file.text, doc.base + value.range[0], doc.base + value.range[1], str) : undefined;
    for (const m of str.matchAll(/[^,;\s][^,;]*/g)) {
      const token = m[0].trim();
      const at = m.index ?? 0;
      const range = map ? file.lines.range(map.toFile(at), map.toFile(at + token.length)) : keyRange!;
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
