import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalControlId } from '../../server/src/engine/controls/ids';
import { kubernetesRule } from '../../server/src/engine/kubernetes/rules';
import { hasCorpus, readCorpus } from '../support/corpus';

/**
 * Our rules against how an established project (ComplianceAsCode's OpenShift rules) maps the same checks to
 * SP 800-53: where both map a check, the two mappings share at least one control.
 */
const COUNTERPARTS: [ours: string, theirs: string][] = [
  ['pss.privileged', 'scc_limit_privileged_containers'],
  ['pss.hostnamespaces', 'scc_limit_network_namespace'],
  ['pss.hostnamespaces', 'scc_limit_process_id_namespace'],
  ['pss.hostnamespaces', 'scc_limit_ipc_namespace'],
  ['pss.capabilities_baseline', 'scc_limit_container_allowed_capabilities'],
  ['pss.capabilities_restricted', 'scc_drop_container_capabilities'],
  ['pss.hostpathvolumes', 'scc_limit_host_dir_volume_plugin'],
  ['pss.hostports', 'scc_limit_host_ports'],
  ['pss.allowprivilegeescalation', 'scc_limit_privilege_escalation'],
  ['pss.runasnonroot', 'scc_limit_root_containers'],
  ['pss.seccompprofile_restricted', 'general_default_seccomp_profile'],
  ['k8s.automount-service-account-token', 'accounts_restrict_service_account_tokens'],
  ['k8s.default-service-account', 'accounts_unique_service_account'],
  ['k8s.rbac-wildcard', 'rbac_wildcard_use'],
  ['k8s.cluster-admin-binding', 'rbac_limit_cluster_admin'],
  ['k8s.secret-in-env', 'secrets_no_environment_variables'],
  ['k8s.resources', 'resource_requests_limits_in_deployment'],
  ['k8s.network-policy', 'configure_network_policies_namespaces'],
];

/** Splits one CSV line, honouring double-quoted fields. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

describe('control mappings agree with ComplianceAsCode where both map a check', { skip: !hasCorpus() && 'no corpus' }, () => {
  const rows = new Map<string, string[]>();
  const lines = readCorpus('mappings', 'complianceascode-openshift-rules.csv').split(/\r?\n/);
  const header = csvFields(lines[0]);
  const nist = header.indexOf('nist_800_53');
  for (const line of lines.slice(1)) {
    if (!line.trim()) continue;
    const f = csvFields(line);
    rows.set(f[0], f[nist].split(',').map((s) => canonicalControlId(s.trim())).filter((s): s is string => !!s));
  }

  for (const [ours, theirs] of COUNTERPARTS) {
    test(`${ours} ~ ${theirs}`, () => {
      const rule = kubernetesRule(ours);
      assert.ok(rule, ours);
      const theirControls = rows.get(theirs);
      assert.ok(theirControls && theirControls.length > 0, `${theirs} has NIST controls`);
      const shared = rule.controls.filter((c) => theirControls.includes(c));
      assert.ok(shared.length > 0, `${ours} ${rule.controls.join(',')} vs ${theirs} ${theirControls.join(',')}`);
    });
  }
});
