import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { evaluatePodSecurity, PSS_CHECKS } from '../../../server/src/engine/kubernetes/pss';

const POD_SPEC = {
  hostNetwork: true,
  initContainers: [{ name: 'init', image: 'busybox', securityContext: { privileged: true } }],
  containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80, hostPort: 8080 }] }],
  ephemeralContainers: [{ name: 'debug', image: 'busybox', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }],
};

const WRAPPERS: [kind: string, wrap: (spec: unknown) => Record<string, unknown>, specPath: (string | number)[]][] = [
  ['Pod', (spec) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec }), ['spec']],
  ...(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].map((kind) => [
    kind,
    (spec: unknown) => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'x' }, spec: { template: { metadata: {}, spec } } }),
    ['spec', 'template', 'spec'],
  ]) as [string, (spec: unknown) => Record<string, unknown>, (string | number)[]][]),
  ['CronJob', (spec) => ({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'x' }, spec: { jobTemplate: { spec: { template: { spec } } } } }), ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
  ['PodTemplate', (spec) => ({ apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'x' }, template: { spec } }), ['template', 'spec']],
];

describe('evaluatePodSecurity', () => {
  for (const [kind, wrap, specPath] of WRAPPERS) {
    test(`finds the pod of a ${kind} and points into it`, () => {
      const v = evaluatePodSecurity(wrap(POD_SPEC), 'baseline');
      assert.deepEqual(v.map((x) => x.check).sort(), ['capabilities_baseline', 'hostnamespaces', 'hostports', 'privileged']);
      const priv = v.find((x) => x.check === 'privileged')!;
      assert.deepEqual(priv.path, [...specPath, 'initContainers', 0, 'securityContext', 'privileged']);
      assert.equal(priv.container, 'init');
      assert.equal(priv.controlName, 'Privileged Containers');
      assert.equal(priv.restrictedField, 'spec.initContainers[*].securityContext.privileged');
      assert.deepEqual(priv.values, [true]);
      assert.match(priv.message, /"init".*privileged: false/);
      const cap = v.find((x) => x.check === 'capabilities_baseline')!;
      assert.equal(cap.container, 'debug');
      assert.equal(cap.restrictedField, 'spec.ephemeralContainers[*].securityContext.capabilities.add');
      assert.deepEqual(cap.values, ['SYS_PTRACE']);
    });
  }

  test('objects without pods, and pods at the privileged-free baseline, give nothing', () => {
    assert.deepEqual(evaluatePodSecurity({ apiVersion: 'v1', kind: 'ConfigMap', data: {} }, 'restricted'), []);
    assert.deepEqual(evaluatePodSecurity({ apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x' }] } }, 'baseline'), []);
  });

  test('restricted adds the restricted checks to the baseline ones', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', spec: { containers: [{ name: 'a', image: 'x' }] } };
    assert.deepEqual(
      evaluatePodSecurity(pod, 'restricted').map((v) => v.check).sort(),
      ['allowprivilegeescalation', 'capabilities_restricted', 'runasnonroot', 'seccompprofile_restricted'],
    );
    const missing = evaluatePodSecurity(pod, 'restricted').find((v) => v.check === 'runasnonroot')!;
    assert.equal(missing.missing, true);
    assert.deepEqual(missing.path, ['spec', 'containers', 0]);
    assert.equal(missing.controlName, 'Running as Non-root');
  });

  test('a fully restricted pod passes', () => {
    const pod = parse(`
apiVersion: v1
kind: Pod
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
  containers:
  - name: a
    image: x
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}}
  volumes: [{name: v, image: {reference: quay.io/x/y:1}}, {name: w, ephemeral: {volumeClaimTemplate: {spec: {}}}}]
`);
    assert.deepEqual(evaluatePodSecurity(pod, 'restricted'), []);
  });

  test('with the admission controller\'s overrides, each problem is reported once, under the restricted control', () => {
    const pod = parse(`
kind: Pod
spec:
  securityContext: {runAsNonRoot: true, seccompProfile: {type: Unconfined}}
  containers:
  - name: a
    securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [SYS_ADMIN]}}
  volumes: [{name: h, hostPath: {path: /}}]
`);
    const all = [...new Set(evaluatePodSecurity(pod, 'restricted').map((v) => v.check))].sort();
    assert.deepEqual(all, ['capabilities_baseline', 'capabilities_restricted', 'hostpathvolumes', 'restrictedvolumes', 'seccompprofile_baseline', 'seccompprofile_restricted']);
    const psa = [...new Set(evaluatePodSecurity(pod, 'restricted', { overrides: true }).map((v) => `${v.check}/${v.controlName}`))].sort();
    assert.deepEqual(psa, ['capabilities_restricted/Capabilities', 'restrictedvolumes/Volume Types', 'seccompprofile_restricted/Seccomp']);
    assert.equal(evaluatePodSecurity(pod, 'baseline', { overrides: true }).length, 3, 'baseline has nothing to override');
  });

  test('Windows pods are exempt from the Linux-only restricted checks', () => {
    const pod = { kind: 'Pod', spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', image: 'x' }] } };
    assert.deepEqual(evaluatePodSecurity(pod, 'restricted'), []);
  });

  test('every check has a Kyverno control name', () => {
    const names = new Set(PSS_CHECKS.map((c) => c.controlName));
    for (const n of ['Privileged Containers', 'Host Namespaces', 'Capabilities', 'Running as Non-root', 'Running as Non-root user', 'Seccomp', 'Volume Types', 'Privilege Escalation', 'HostPath Volumes', 'Host Ports', 'AppArmor', 'SELinux', '/proc Mount Type', 'Sysctls', 'HostProcess', 'Host Probes / Lifecycle Hooks']) {
      assert.ok(names.has(n), n);
    }
  });

  test('policy versions change the checks that changed', () => {
    const sysctl = (name: string) => ({ kind: 'Pod', spec: { securityContext: { sysctls: [{ name, value: '1' }] }, containers: [{ name: 'a' }] } });
    assert.deepEqual(evaluatePodSecurity(sysctl('net.ipv4.tcp_rmem'), 'baseline'), []);
    assert.equal(evaluatePodSecurity(sysctl('net.ipv4.tcp_rmem'), 'baseline', { version: 'v1.29' }).length, 1);
    assert.equal(evaluatePodSecurity(sysctl('net.ipv4.tcp_keepalive_time'), 'baseline', { version: 'v1.28' }).length, 1);
    assert.equal(evaluatePodSecurity(sysctl('net.ipv4.tcp_notsent_lowat'), 'baseline').length, 1);
    assert.deepEqual(evaluatePodSecurity(sysctl('net.ipv4.tcp_notsent_lowat'), 'baseline', { version: '1.37' }), []);
    const userns = { kind: 'Pod', spec: { hostUsers: false, securityContext: { seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'a', securityContext: { procMount: 'Unmasked', runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] } };
    assert.deepEqual(evaluatePodSecurity(userns, 'restricted').map((v) => v.check).sort(), ['procmount', 'runasnonroot', 'runasuser']);
    assert.deepEqual(evaluatePodSecurity(userns, 'restricted', { version: 'v1.35' }).map((v) => v.check), ['procmount_restricted']);
    assert.deepEqual(evaluatePodSecurity(userns, 'baseline', { version: 'v1.35' }), []);
    const windows = { kind: 'Pod', spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'a', securityContext: { runAsUser: 0 } }] } };
    assert.deepEqual(evaluatePodSecurity(windows, 'restricted', { version: 'v1.24' }).map((v) => v.check).sort(), ['allowprivilegeescalation', 'capabilities_restricted', 'runasuser', 'seccompprofile_restricted']);
    assert.deepEqual(evaluatePodSecurity(windows, 'restricted', { version: 'v1.22' }).map((v) => v.check).sort(), ['allowprivilegeescalation', 'capabilities_restricted', 'seccompprofile_restricted']);
    assert.deepEqual(evaluatePodSecurity(windows, 'restricted', { version: 'v1.21' }).map((v) => v.check).sort(), ['allowprivilegeescalation', 'seccompprofile_restricted']);
    assert.deepEqual(evaluatePodSecurity(windows, 'restricted', { version: 'v1.25' }).map((v) => v.check), ['runasuser']);
    const probe = { kind: 'Pod', spec: { containers: [{ name: 'a', livenessProbe: { httpGet: { host: 'x', port: 1 } } }] } };
    assert.equal(evaluatePodSecurity(probe, 'baseline', { version: 'v1.33' }).length, 0);
    assert.equal(evaluatePodSecurity(probe, 'baseline').length, 1);
  });

  test('SELinux, AppArmor annotations, seccomp and volume details', () => {
    const pod = parse(`
kind: Pod
metadata:
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: runtime/default
    container.apparmor.security.beta.kubernetes.io/b: unconfined
spec:
  securityContext:
    seLinuxOptions: {type: container_engine_t, level: "s0:c1"}
    seccompProfile: {type: Localhost, localhostProfile: p.json}
  containers:
  - name: a
    securityContext:
      seLinuxOptions: {role: sysadm_r}
  - name: b
    securityContext: {seccompProfile: {}}
  volumes:
  - {name: h, hostPath: {path: /etc}}
  - {name: c, cephfs: {monitors: [m]}}
`);
    const v = evaluatePodSecurity(pod, 'restricted');
    const byCheck = (c: string) => v.filter((x) => x.check === c);
    assert.deepEqual(byCheck('selinuxoptions').map((x) => x.restrictedField), ['spec.containers[*].securityContext.seLinuxOptions.role']);
    assert.deepEqual(byCheck('apparmorprofile').map((x) => x.container), ['b']);
    assert.deepEqual(byCheck('apparmorprofile')[0].path, ['metadata', 'annotations', 'container.apparmor.security.beta.kubernetes.io/b']);
    assert.deepEqual(byCheck('seccompprofile_baseline').map((x) => x.container), ['b']);
    assert.deepEqual(byCheck('restrictedvolumes').map((x) => x.values), [['hostPath'], ['cephfs']]);
    assert.deepEqual(byCheck('hostpathvolumes').map((x) => x.values), [['/etc']]);
  });

  test('half-typed and hostile input never throws', () => {
    const inputs: unknown[] = [
      { kind: 'Pod' },
      { kind: 'Pod', spec: null },
      { kind: 'Pod', spec: 'x' },
      { kind: 'Pod', spec: { containers: 'nginx', initContainers: [null, 3, 'x', []], volumes: [null, 'x'] } },
      { kind: 'Pod', spec: { containers: [{ name: 5, securityContext: 'x', ports: 'y' }], securityContext: { sysctls: [null, { name: 3 }], seLinuxOptions: 'x' } } },
      { kind: 'Deployment', spec: { template: 'x' } },
      { kind: 'Pod', metadata: { annotations: 'x' }, spec: { containers: [{ securityContext: { capabilities: { add: 'ALL', drop: 'ALL' } } }] } },
    ];
    for (const input of inputs) {
      for (const level of ['baseline', 'restricted'] as const) assert.doesNotThrow(() => evaluatePodSecurity(input as Record<string, unknown>, level));
    }
    const weird = evaluatePodSecurity({ kind: 'Pod', spec: { containers: [{}], securityContext: { sysctls: [{ name: 3 }] } } }, 'baseline');
    assert.equal(weird.length, 1);
    assert.equal(weird[0].check, 'sysctls');
  });
});
