import { describeContainer } from '../../podSpec';
import { fix, setAt } from '../fixHelpers';
import type { KubernetesRule } from '../types';
import { containersIn, deployment, parseImage } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.image-pull-policy',
  title: 'Image pull policy for mutable images',
  severity: 'information',
  rationale:
    'With IfNotPresent or Never, a node reuses whatever image it cached under a tag: another pod on the node can run a private image without presenting credentials, and a moved tag is silently ignored. Always makes the registry check access and content on every start; digests make the policy moot.',
  controls: ['ac-3', 'cm-6'],
  references: {},
  appliesTo: 'pod',
  fields: ['*[*].imagePullPolicy'],
  check(ctx) {
    return containersIn(ctx, ['initContainers', 'containers']).flatMap(({ c, path }) => {
      const image = c.value.image;
      if (typeof image !== 'string' || parseImage(image).digest) return [];
      const policy = c.value.imagePullPolicy;
      if (policy === 'Always') return [];
      // Kubernetes defaults to Always for untagged and :latest images.
      const tag = parseImage(image).tag;
      if (policy === undefined && (!tag || tag === 'latest')) return [];
      return [{
        path: policy === undefined ? [...path, 'image'] : [...path, 'imagePullPolicy'],
        missing: policy === undefined,
        container: c.name,
        message: `${describeContainer(c)} pulls "${image}" with policy ${policy === undefined ? 'IfNotPresent (the default for tagged images)' : String(policy)}; set imagePullPolicy: Always or pin the image by digest.`,
        data: { containerPath: path },
      }];
    });
  },
  fixes: (ctx, hit) => fix('Set imagePullPolicy: Always', setAt(ctx, [...(hit.data?.containerPath as (string | number)[]), 'imagePullPolicy'], 'Always')),
  cases: {
    valid: [
      { name: 'Always', yaml: deployment('        image: nginx:1.27\n        imagePullPolicy: Always\n') },
      { name: 'digest with IfNotPresent', yaml: deployment('        image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\n        imagePullPolicy: IfNotPresent\n') },
    ],
    invalid: [
      { name: 'IfNotPresent on a tag', yaml: deployment('        image: nginx:1.27\n        imagePullPolicy: IfNotPresent\n'), count: 1, message: 'IfNotPresent' },
      { name: 'default for a tag', yaml: deployment('        image: nginx:1.27\n'), count: 1 },
    ],
  },
};
export default rule;
