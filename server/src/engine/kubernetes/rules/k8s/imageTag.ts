import { describeContainer } from '../../podSpec';
import type { KubernetesRule } from '../types';
import { containersIn, deployment, parseImage } from './helpers';

const rule: KubernetesRule = {
  id: 'k8s.image-tag',
  title: 'Image without a version tag',
  severity: 'warning',
  rationale:
    'An image with no tag, or tagged latest, names whatever was pushed last: the running software can change without any change to the manifest, so the deployed baseline is neither known nor reviewable.',
  controls: ['cm-2', 'cm-3'],
  references: { nsa: ['Pod security: Hardening container environments'] },
  appliesTo: 'pod',
  fields: ['*[*].image'],
  check(ctx) {
    return containersIn(ctx, ['initContainers', 'containers', 'ephemeralContainers']).flatMap(({ c, path }) => {
      const image = c.value.image;
      if (typeof image !== 'string' || !image.trim()) return [];
      const ref = parseImage(image);
      if (ref.digest) return [];
      if (ref.tag && ref.tag !== 'latest') return [];
      return [{
        path: [...path, 'image'],
        container: c.name,
        message: `${describeContainer(c)} uses image "${image}" ${ref.tag ? 'tagged latest' : 'with no tag'}; pin a version tag (or a digest).`,
      }];
    });
  },
  cases: {
    valid: [
      { name: 'version tag', yaml: deployment('        image: registry.example.com:5000/team/web:1.4.2\n') },
      { name: 'digest without a tag', yaml: deployment('        image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31\n') },
    ],
    invalid: [
      { name: 'latest', yaml: deployment('        image: nginx:latest\n'), count: 1, message: 'latest' },
      { name: 'no tag behind a registry port', yaml: deployment('        image: registry.example.com:5000/team/web\n'), count: 1, message: 'no tag' },
    ],
  },
};
export default rule;
