import { asRecord, describeContainer, type ContainerRef, type Obj } from '../../podSpec';
import { containerField, containerPath, podSecurityContext, securityContextOf, show, specPath } from '../helpers';
import type { PodView, PssCheck, PssViolation } from '../types';

const TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
const TYPES_1_31 = [...TYPES_1_0, 'container_engine_t'];

export function allowedSeLinuxTypes(version: number): string[] {
  return version >= 31 ? TYPES_1_31 : TYPES_1_0;
}

function inspect(pod: PodView, options: Obj, where: { c?: ContainerRef }, out: PssViolation[]): void {
  const allowed = allowedSeLinuxTypes(pod.version);
  const who = where.c ? describeContainer(where.c) : 'The pod';
  const pathOf = (field: string) => (where.c ? containerPath(pod, where.c, 'securityContext', 'seLinuxOptions', field) : specPath(pod, 'securityContext', 'seLinuxOptions', field));
  const fieldOf = (field: string) => (where.c ? containerField(where.c, `securityContext.seLinuxOptions.${field}`) : `spec.securityContext.seLinuxOptions.${field}`);
  const push = (field: string, value: unknown, message: string) =>
    out.push({ check: 'selinuxoptions', controlName: 'SELinux', path: pathOf(field), container: where.c?.name, restrictedField: fieldOf(field), values: [value], message });
  const type = options.type;
  if (type !== undefined && type !== null && !allowed.includes(type as string)) {
    push('type', type, `${who} sets SELinux type ${show(type)}; leave it unset or use one of ${allowed.filter(Boolean).join(', ')}.`);
  }
  for (const field of ['user', 'role']) {
    const v = options[field];
    if (v !== undefined && v !== null && v !== '') push(field, v, `${who} sets SELinux ${field} ${show(v)}; remove seLinuxOptions.${field}.`);
  }
}

export const seLinuxOptions: PssCheck = {
  id: 'selinuxoptions',
  psaId: 'seLinuxOptions',
  level: 'baseline',
  controlName: 'SELinux',
  evaluate(pod) {
    const out: PssViolation[] = [];
    const podOptions = asRecord(podSecurityContext(pod)?.seLinuxOptions);
    if (podOptions) inspect(pod, podOptions, {}, out);
    for (const c of pod.containers) {
      const options = asRecord(securityContextOf(c)?.seLinuxOptions);
      if (options) inspect(pod, options, { c }, out);
    }
    return out;
  },
};
