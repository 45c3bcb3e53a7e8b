/** Generated inputs for the benchmarks: realistic manifests, deterministic, so runs compare. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A ConfigMap whose annotation names an unknown control, so every version of a file has a finding to publish. */
export const ALWAYS_A_FINDING = `apiVersion: v1
kind: ConfigMap
metadata:
  name: bench-marker
  annotations:
    control-lens.dev/controls: "AC-6, QQ-9"
`;

function deployment(i: number): string {
  const name = `svc-${i}`;
  // Alternate between a hardened and a careless workload, so rules have something to say on half of them.
  const hardened = i % 2 === 0;
  const security = hardened
    ? `          securityContext:
            runAsNonRoot: true
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: ["ALL"]
            seccompProfile:
              type: RuntimeDefault`
    : `          securityContext:
            privileged: ${i % 4 === 1 ? 'true' : 'false'}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: ${name}
    tier: backend
  annotations:
    control-lens.dev/controls: "AC-6, CM-7(1), SC-7"
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      serviceAccountName: ${name}
      containers:
        - name: app
          image: registry.example.com/shop/${name}:${hardened ? '1.4.2' : 'latest'}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
${security}
`;
}

function service(i: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: svc-${i}
  namespace: shop
spec:
  selector:
    app: svc-${i}
  ports:
    - port: 80
      targetPort: 8080
`;
}

function configMap(i: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
  namespace: shop
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "a,b,c"
`;
}

/** One manifest of about `lines` lines: a marker, then Deployments, Services and ConfigMaps in turn. */
export function generateManifest(lines: number): string {
  const docs = [ALWAYS_A_FINDING];
  let count = ALWAYS_A_FINDING.split('\n').length;
  for (let i = 0; count < lines; i++) {
    const doc = i % 3 === 0 ? deployment(i) : i % 3 === 1 ? service(i) : configMap(i);
    docs.push(doc);
    count += doc.split('\n').length;
  }
  return docs.join('---\n');
}

/** A repository of `count` manifest files, 100 to a folder, one to three documents each. */
export function generateRepository(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const dir = join(root, `team-${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) mkdirSync(dir, { recursive: true });
    const docs = i % 5 === 0 ? [deployment(i), service(i)] : i % 5 === 1 ? [configMap(i)] : i % 7 === 0 ? [deployment(i), service(i), configMap(i)] : [deployment(i)];
    writeFileSync(join(dir, `app-${i}.yaml`), docs.join('---\n'));
  }
}
