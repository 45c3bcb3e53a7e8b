/**
 * `fail` and `exception` evidence from the engine's findings: a finding of a check on a resource (built-in
 * Kubernetes rules, workspace policies) is a failure of the controls it maps to; a suppressed one is an
 * exception with its reason. Problems in the policy or OSCAL files themselves are not evidence about controls.
 */
import { displayControlId } from '../../controls/ids';
import { documentAt } from '../../documents/paths';
import type { Finding, ResourceRef } from '../../types';
import type { IndexedFile } from '../../workspace/index';
import type { Evidence } from '../evidence';
import { ignoreFor, ignoresOfFile } from './ignores';

/** Finding codes that judge a resource against a control-bearing check. */
export function isCheckFinding(f: Finding): boolean {
  return f.source === 'kubernetes' || f.source === 'policy' || /^(pss|k8s|policy)\./.test(f.code);
}

/** Controls of a `policy.<policy>/<rule>` code when the finding itself carries none (see policies.ts). */
export type PolicyControlsLookup = (code: string) => string[];

/** The object a finding without a resource reference sits in, from its position. */
function resourceAt(entry: IndexedFile, f: Finding): ResourceRef | undefined {
  const offset = entry.file.lines.offsetAt(f.range.start);
  const doc = documentAt(entry.file, offset);
  if (!doc) return undefined;
  const indexed = entry.documents[doc.index];
  const object = indexed?.objects.length === 1 ? indexed.objects[0] : undefined;
  return object ? { kind: object.kind, name: object.name, namespace: object.namespace, document: doc.index } : undefined;
}

export function describeResource(r: ResourceRef | undefined): string {
  if (!r) return 'a resource';
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name ?? '(unnamed)'}`;
}

export function findingEvidence(entry: IndexedFile, findings: readonly Finding[], policyControls: PolicyControlsLookup): Evidence[] {
  const out: Evidence[] = [];
  let ignores: ReturnType<typeof ignoresOfFile> | undefined;
  for (const f of findings) {
    if (!isCheckFinding(f)) continue;
    const controls = f.controls.length ? f.controls : policyControls(f.code);
    if (!controls.length) continue;
    const resource = f.resource ?? resourceAt(entry, f);
    const suppressed = f.suppressed ?? ignoreFor((ignores ??= ignoresOfFile(entry)), f.code, resource);
    if (suppressed) {
      out.push({
        kind: 'exception',
        controls,
        uri: entry.file.uri,
        range: suppressed.range,
        detail: `${f.code} on ${describeResource(resource)} is excepted: ${suppressed.reason}`,
        check: f.code,
        resource,
      });
    } else {
      out.push({
        kind: 'fail',
        controls,
        uri: entry.file.uri,
        range: f.range,
        detail: `${f.code}: ${f.message}`,
        check: f.code,
        resource,
        severity: f.severity,
      });
    }
  }
  return out;
}

export function controlsLabel(ids: string[]): string {
  return ids.map(displayControlId).join(', ');
}
