import { valueAt } from '../../../documents/paths';
import { insertIntoMap } from '../../../fixes/yamlEdits';
import type { TextEdit } from '../../../types';
import { asRecord, describeContainer } from '../../podSpec';
import { fix, setAt } from '../fixHelpers';
import type { KubernetesRule } from '../types';
import { containersIn, deployment } from './helpers';

const REQUIRED: [section: 'requests' | 'limits', resource: string, placeholder: string][] = [
  ['requests', 'cpu', '100m'],
  ['requests', 'memory', '128Mi'],
  ['limits', 'memory', '128Mi'],
];

const rule: KubernetesRule = {
  id: 'k8s.resources',
  title: 'Resource requests and limits',
  severity: 'warning',
  rationale:
    'Without requests the scheduler cannot place the pod sensibly, and without a memory limit one container can exhaust the node and starve every other workload on it: a denial of service from the inside.',
  controls: ['sc-5', 'sc-6'],
  references: { nsa: ['Network separation and hardening: Resource policies'] },
  appliesTo: 'pod',
  fields: ['*[*].resources'],
  check(ctx) {
    return containersIn(ctx).flatMap(({ c, path }) => {
      const resources = asRecord(c.value.resources);
      const missing = REQUIRED.filter(([section, resource]) => asRecord(resources?.[section])?.[resource] === undefined);
      if (missing.length === 0) return [];
      const list = missing.map(([s, r]) => `${s}.${r}`).join(', ');
      return [{
        path: resources ? [...path, 'resources'] : path,
        missing: true,
        container: c.name,
        message: `${describeContainer(c)} sets no ${list}; declare resources so the scheduler and the kubelet can bound it.`,
        data: { containerPath: path, missing },
      }];
    });
  },
  fixes(ctx, hit) {
    const containerPath = hit.data?.containerPath as (string | number)[];
    const missing = hit.data?.missing as typeof REQUIRED;
    const wanted: Record<string, Record<string, string>> = {};
    for (const [section, resource, placeholder] of missing) (wanted[section] ??= {})[resource] = placeholder;
    const resources = asRecord(asRecord(valueAt(ctx.object.value, containerPath))?.resources);
    const edits: TextEdit[] = [];
    if (!resources) edits.push(...setAt(ctx, [...containerPath, 'resources'], wanted));
    else {
      const newSections: Record<string, unknown> = {};
      for (const [section, values] of Object.entries(wanted)) {
        const existing = asRecord(resources[section]);
        if (!existing && section in resources) edits.push(...setAt(ctx, [...containerPath, 'resources', section], values));
        else if (!existing) newSections[section] = values;
        else edits.push(...insertIntoMap({ file: ctx.file, doc: ctx.doc }, [...ctx.object.path, ...containerPath, 'resources', section], values));
      }
      edits.push(...insertIntoMap({ file: ctx.file, doc: ctx.doc }, [...ctx.object.path, ...containerPath, 'resources'], newSections));
    }
    return fix('Add resource requests and limits (review the values)', edits, false);
  },
  cases: {
    valid: [{ name: 'requests and a memory limit', yaml: deployment('        image: nginx:1.27\n        resources:\n          requests: {cpu: 50m, memory: 64Mi}\n          limits: {memory: 64Mi}\n') }],
    invalid: [
      { name: 'no resources', yaml: deployment('        image: nginx:1.27\n'), count: 1, message: 'requests.cpu, requests.memory, limits.memory' },
      { name: 'limits missing', yaml: deployment('        image: nginx:1.27\n        resources:\n          requests:\n            cpu: 50m\n            memory: 64Mi\n'), count: 1, message: 'limits.memory' },
    ],
  },
};
export default rule;
