import { checksFor, parsePssVersion, type PssCheckId } from '../../kubernetes/pss';
import { kubernetesRule } from '../../kubernetes/rules';
import { isObj, type Obj } from './types';

/**
 * Controls for Kyverno's Pod Security Standards policies that name none themselves: a podSecurity rule covers the
 * controls of every check of its level; the library's single-check policies, known by name, those of their check.
 */

/** The Kyverno policy library's PSS policies and the Pod Security Admission check each one enforces. */
const POLICY_CHECKS: Record<string, PssCheckId> = {
  'disallow-capabilities': 'capabilities_baseline',
  'disallow-capabilities-strict': 'capabilities_restricted',
  'disallow-host-namespaces': 'hostnamespaces',
  'disallow-host-path': 'hostpathvolumes',
  'disallow-host-ports': 'hostports',
  'disallow-host-ports-range': 'hostports',
  'disallow-host-process': 'windowshostprocess',
  'disallow-privileged-containers': 'privileged',
  'disallow-proc-mount': 'procmount',
  'disallow-selinux': 'selinuxoptions',
  'restrict-apparmor-profiles': 'apparmorprofile',
  'restrict-seccomp': 'seccompprofile_baseline',
  'restrict-sysctls': 'sysctls',
  'disallow-privilege-escalation': 'allowprivilegeescalation',
  'require-run-as-non-root-user': 'runasuser',
  'require-run-as-nonroot': 'runasnonroot',
  'restrict-seccomp-strict': 'seccompprofile_restricted',
  'restrict-volume-types': 'restrictedvolumes',
};

function controlsOfCheck(check: string): string[] {
  return kubernetesRule(`pss.${check}`)?.controls ?? [];
}

export function pssControlsOf(policy: Obj): string[] {
  const meta = isObj(policy.metadata) ? policy.metadata : {};
  const ann = isObj(meta.annotations) ? meta.annotations : {};
  const category = String(ann['policies.kyverno.io/category'] ?? '');
  const spec = isObj(policy.spec) ? policy.spec : {};
  const rules = Array.isArray(spec.rules) ? spec.rules.filter(isObj) : [];
  const out = new Set<string>();
  for (const rule of rules) {
    const ps = isObj(rule.validate) && isObj(rule.validate.podSecurity) ? rule.validate.podSecurity : undefined;
    if (ps && (ps.level === 'baseline' || ps.level === 'restricted')) {
      const version = parsePssVersion(typeof ps.version === 'string' ? ps.version : 'latest');
      for (const c of checksFor(ps.level, version)) for (const id of controlsOfCheck(c.id)) out.add(id);
    }
  }
  if (/pod security standards/i.test(category)) {
    const check = POLICY_CHECKS[String(meta.name ?? '')];
    if (check) for (const id of controlsOfCheck(check)) out.add(id);
  }
  return [...out].sort();
}
