import { asRecord, describeContainer } from '../../podSpec';
import { fix, setAt } from '../fixHelpers';
import type { KubernetesRule } from '../types';
import { containersIn, deployment } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.readonly-root-filesystem',
  title: 'Writable root filesystem',
  severity: 'warning',
  rationale:
    'A read-only root filesystem stops an intruder from dropping tools or altering binaries inside the container; state belongs in volumes that are declared and visible.',
  controls: ['cm-7', 'si-7'],
  references: { nsa: ['Pod security: Immutable container file systems'] },
  appliesTo: 'pod',
  fields: ['*[*].securityContext.readOnlyRootFilesystem'],
  check(ctx) {
    return containersIn(ctx).flatMap(({ c, path }) => {
      const sc = asRecord(c.value.securityContext);
      const value = sc?.readOnlyRootFilesystem;
      if (value === true) return [];
      const present = value !== undefined;
      return [{
        path: present ? [...path, 'securityContext', 'readOnlyRootFilesystem'] : path,
        missing: !present,
        container: c.name,
        message: `${describeContainer(c)} has a writable root filesystem; set securityContext.readOnlyRootFilesystem: true and mount volumes where it must write.`,
        data: { containerPath: path },
      }];
    });
  },
  // The application may need to write somewhere: review before applying.
  fixes: (ctx, hit) => fix('Set readOnlyRootFilesystem: true', setAt(ctx, [...(hit.data?.containerPath as (string | number)[]), 'securityContext', 'readOnlyRootFilesystem'], true), false),
  cases: {
    valid: [{ name: 'read-only', yaml: deployment('        image: nginx:1.27\n        securityContext:\n          readOnlyRootFilesystem: true\n') }],
    invalid: [
      { name: 'unset', yaml: deployment('        image: nginx:1.27\n'), count: 1, message: 'readOnlyRootFilesystem: true' },
      { name: 'false', yaml: deployment('        image: nginx:1.27\n        securityContext: {readOnlyRootFilesystem: false}\n'), count: 1 },
    ],
  },
};
export default rule;
