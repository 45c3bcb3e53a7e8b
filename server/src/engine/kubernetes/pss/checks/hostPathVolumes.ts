import { asArray, asRecord } from '../../podSpec';
import { isSet, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

export const hostPathVolumes: PssCheck = {
  id: 'hostpathvolumes',
  psaId: 'hostPathVolumes',
  level: 'baseline',
  controlName: 'HostPath Volumes',
  evaluate(pod) {
    const out: PssViolation[] = [];
    asArray(pod.spec.volumes).forEach((v, i) => {
      const volume = asRecord(v);
      if (!volume || !isSet(volume.hostPath)) return;
      const name = typeof volume.name === 'string' ? volume.name : `volumes[${i}]`;
      out.push({
        check: 'hostpathvolumes',
        controlName: 'HostPath Volumes',
        path: specPath(pod, 'volumes', i, 'hostPath'),
        restrictedField: 'spec.volumes[*].hostPath',
        values: [asRecord(volume.hostPath)?.path ?? volume.hostPath],
        message: `Volume "${name}" mounts a path of the host (hostPath); use an emptyDir, configMap, secret or persistentVolumeClaim instead.`,
      });
    });
    return out;
  },
};
