import { asArray, asRecord, describeContainer } from '../../podSpec';
import type { KubernetesRule } from '../types';
import { containersIn, deployment } from './helpers';

const SECRET_NAME = /(pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key|auth)/i;
/** Values that are references or switches rather than secrets. */
const NOT_A_SECRET = /^(\$\(.*\)|\$\{.*\}|true|false|yes|no|on|off|\d{1,5}|none|null|)$/i;

const rule: KubernetesRule = {
  id: 'k8s.secret-in-env',
  title: 'Secret written into an environment variable',
  severity: 'warning',
  rationale:
    'A password or token written as a literal env value lives in the manifest, in version control and in every copy of the object the API server hands out; secrets belong in a Secret referenced by secretKeyRef or mounted as a file.',
  controls: ['cm-6', 'ia-5.7', 'sc-28'],
  references: { cis: ['5.4.1'], nsa: ['Secrets'] },
  appliesTo: 'pod',
  fields: ['*[*].env'],
  check(ctx) {
    return containersIn(ctx, ['initContainers', 'containers', 'ephemeralContainers']).flatMap(({ c, path }) =>
      asArray(c.value.env).flatMap((e, i) => {
        const env = asRecord(e);
        const name = env?.name;
        const value = env?.value;
        if (typeof name !== 'string' || !SECRET_NAME.test(name) || value === undefined || value === null) return [];
        if (NOT_A_SECRET.test(String(value).trim())) return [];
        return [{
          path: [...path, 'env', i, 'value'],
          container: c.name,
          message: `${describeContainer(c)} sets ${name} to a literal value that looks like a secret; move it to a Secret and use valueFrom.secretKeyRef.`,
        }];
      }),
    );
  },
  cases: {
    valid: [{ name: 'secretKeyRef and harmless values', yaml: deployment('        image: nginx:1.27\n        env:\n        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: db, key: password}\n        - name: AUTH_ENABLED\n          value: "true"\n        - name: LOG_LEVEL\n          value: debug\n') }],
    invalid: [{ name: 'literal password', yaml: deployment('        image: nginx:1.27\n        env:\n        - name: DB_PASSWORD\n          value: hunter2\n'), count: 1, message: 'DB_PASSWORD' }],
  },
};
export default rule;
