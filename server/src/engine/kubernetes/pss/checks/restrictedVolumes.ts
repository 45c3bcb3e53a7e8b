import { asArray, asRecord } from '../../podSpec';
import { isSet, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

/** Volume sources the restricted level allows: none of them reaches outside what the pod was given. */
export const ALLOWED_VOLUME_SOURCES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'image', 'persistentVolumeClaim', 'projected', 'secret'];

const KNOWN_RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
];

export const restrictedVolumes: PssCheck = {
  id: 'restrictedvolumes',
  psaId: 'restrictedVolumes',
  level: 'restricted',
  overrides: ['hostpathvolumes'],
  controlName: 'Volume Types',
  evaluate(pod) {
    const out: PssViolation[] = [];
    asArray(pod.spec.volumes).forEach((v, i) => {
      const volume = asRecord(v);
      if (!volume) return;
      if (ALLOWED_VOLUME_SOURCES.some((s) => isSet(volume[s]))) return;
      const source = KNOWN_RESTRICTED_SOURCES.find((s) => isSet(volume[s]));
      const name = typeof volume.name === 'string' ? volume.name : `volumes[${i}]`;
      out.push({
        check: 'restrictedvolumes',
        controlName: 'Volume Types',
        path: source ? specPath(pod, 'volumes', i, source) : specPath(pod, 'volumes', i),
        missing: !source,
        restrictedField: source ? `spec.volumes[*].${source}` : 'spec.volumes[*]',
        values: [source ?? 'unknown'],
        message: `Volume "${name}" uses ${source ? `volume type ${source}` : 'no allowed volume type'}; the restricted level allows only ${ALLOWED_VOLUME_SOURCES.join(', ')}.`,
      });
    });
    return out;
  },
};
