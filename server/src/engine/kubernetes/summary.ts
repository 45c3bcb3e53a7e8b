import { compareControlIds, displayControlId } from '../controls/ids';
import type { ParsedFile } from '../documents/parse';
import { rangeOfPath } from '../documents/paths';
import type { Range, ResourceRef } from '../types';
import type { CheckedObject, KubernetesCheckResult } from './check';

export type ControlState = 'pass' | 'fail' | 'exception';

export interface ControlStatus {
  /** Canonical id (`ac-6`). */
  id: string;
  /** As NIST writes it (`AC-6`). */
  display: string;
  state: ControlState;
  /** Ids of the rules that map to the control and ran on the resource. */
  rules: string[];
  /** Ids of those rules with an open (unsuppressed) finding. */
  failing: string[];
}

export interface ResourceSummary {
  resource: ResourceRef;
  /** The object's first line (for a code lens). */
  range: Range;
  /** The `metadata.name` pair, or the first line when there is none (for an inlay hint at its end). */
  nameRange: Range;
  controls: ControlStatus[];
  /** `AC-6 ✗ · CM-7 ✓ · SC-39 ⊘`: ✗ an open finding, ✓ none, ⊘ only accepted exceptions. */
  text: string;
  /** `text` cut down for an inlay hint (see compactSummaryText). */
  compactText: string;
}

const MARK: Record<ControlState, string> = { fail: '✗', pass: '✓', exception: '⊘' };

/** Controls one checked object touches and whether it meets them. */
export function controlStatuses(checked: CheckedObject): ControlStatus[] {
  const byControl = new Map<string, ControlStatus>();
  for (const rule of checked.rules) {
    for (const id of rule.controls) {
      const s = byControl.get(id) ?? { id, display: displayControlId(id), state: 'pass' as ControlState, rules: [], failing: [] };
      s.rules.push(rule.id);
      byControl.set(id, s);
    }
  }
  for (const f of checked.findings) {
    for (const id of f.controls) {
      const s = byControl.get(id);
      if (!s) continue;
      if (!f.suppressed) {
        s.state = 'fail';
        if (!s.failing.includes(f.code)) s.failing.push(f.code);
      } else if (s.state === 'pass') s.state = 'exception';
    }
  }
  return [...byControl.values()].sort((a, b) => compareControlIds(a.id, b.id));
}

export function summaryText(controls: ControlStatus[]): string {
  return controls.map((c) => `${c.display} ${MARK[c.state]}`).join(' · ');
}

/**
 * The summary short enough to sit at the end of a line: every control when there are few, otherwise the
 * failing and excepted ones by name (up to `max`) and the passing ones as a count (`AC-6 ✗ · CM-6 ✗ · +19 ✓`).
 */
export function compactSummaryText(controls: ControlStatus[], max = 6): string {
  if (controls.length <= max) return summaryText(controls);
  const named = controls.filter((c) => c.state !== 'pass');
  const passing = controls.length - named.length;
  const parts = named.slice(0, max).map((c) => `${c.display} ${MARK[c.state]}`);
  if (named.length > max) parts.push(`+${named.length - max} more`);
  if (passing) parts.push(`${named.length ? '+' : ''}${passing} ✓`);
  return parts.join(' · ');
}

/** One summary per Kubernetes object of the file, for inlay hints and code lenses. */
export function resourceSummaries(file: ParsedFile, result: KubernetesCheckResult): ResourceSummary[] {
  return result.objects
    .filter((o) => o.rules.length > 0)
    .map((o) => {
      const controls = controlStatuses(o);
      const range = rangeOfPath(file, o.doc, o.object.path, 'key');
      const nameRange = o.object.name !== undefined ? rangeOfPath(file, o.doc, [...o.object.path, 'metadata', 'name'], 'pair') : range;
      return { resource: o.resource, range, nameRange, controls, text: summaryText(controls), compactText: compactSummaryText(controls) };
    });
}
