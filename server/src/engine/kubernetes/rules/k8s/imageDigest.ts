import { describeContainer } from '../../podSpec';
import type { KubernetesRule } from '../types';
import { containersIn, deployment, parseImage } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.image-digest',
  title: 'Image not pinned by digest',
  severity: 'information',
  rationale:
    'Tags can be moved to other content; only a digest guarantees that the image that runs is byte for byte the one that was scanned, signed and approved.',
  controls: ['si-7', 'cm-14'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  appliesTo: 'pod',
  fields: ['*[*].image'],
  check(ctx) {
    return containersIn(ctx, ['initContainers', 'containers', 'ephemeralContainers']).flatMap(({ c, path }) => {
      const image = c.value.image;
      if (typeof image !== 'string' || !image.trim() || parseImage(image).digest) return [];
      return [{ path: [...path, 'image'], container: c.name, message: `${describeContainer(c)} uses image "${image}" by tag; pin it by digest (name@sha256:...) to run exactly what was approved.` }];
    });
  },
  cases: {
    valid: [{ name: 'digest', yaml: deployment('        image: nginx:1.27@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\n') }],
    invalid: [{ name: 'tag only', yaml: deployment('        image: nginx:1.27\n'), count: 1, message: 'digest' }],
  },
};
export default rule;
