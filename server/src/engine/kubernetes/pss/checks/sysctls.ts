import { asArray, asRecord } from '../../podSpec';
import { podSecurityContext, show, specPath } from '../helpers';
import type { PssCheck, PssViolation } from '../types';

/** Namespaced sysctls that cannot affect other pods on the node, by the policy version that allowed them. */
const SAFE_SYSCTLS: [since: number, names: string[]][] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

const safeByVersion = new Map<number, ReadonlySet<string>>();

export function safeSysctls(version: number): ReadonlySet<string> {
  let safe = safeByVersion.get(version);
  if (!safe) {
    safe = new Set(SAFE_SYSCTLS.filter(([since]) => since <= version).flatMap(([, names]) => names));
    safeByVersion.set(version, safe);
  }
  return safe;
}

export const sysctls: PssCheck = {
  id: 'sysctls',
  psaId: 'sysctls',
  level: 'baseline',
  controlName: 'Sysctls',
  evaluate(pod) {
    const out: PssViolation[] = [];
    const sysctls = asArray(podSecurityContext(pod)?.sysctls);
    if (!sysctls.length) return out;
    const safe = safeSysctls(pod.version);
    sysctls.forEach((s, i) => {
      const name = asRecord(s)?.name;
      if (typeof name === 'string' && safe.has(name)) return;
      out.push({
        check: 'sysctls',
        controlName: 'Sysctls',
        path: specPath(pod, 'securityContext', 'sysctls', i, ...(name === undefined ? [] : ['name'])),
        restrictedField: 'spec.securityContext.sysctls[*].name',
        values: [name],
        message: `The pod sets sysctl ${show(name ?? '')}, which is not in the safe set; remove it (safe: ${[...safe].join(', ')}).`,
      });
    });
    return out;
  },
};
