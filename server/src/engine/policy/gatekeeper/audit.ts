/**
 * Gatekeeper audit of the workspace: every constraint, through its template's Rego run by the built-in
 * interpreter, on every Kubernetes object of a file. Violations are `policy.<template>/<constraint>`
 * findings at the object; the constraint's enforcement action sets the severity. Templates whose Rego
 * calls functions the interpreter does not have are left out rather than guessed at. `data.inventory`
 * is empty (the cluster's synced objects are not the workspace's).
 */
import type { KubeObject } from '../../documents/classify';
import { kubeObjects } from '../../documents/classify';
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import { rangeOfPath } from '../../documents/paths';
import type { Finding, Severity } from '../../types';
import { RegoEvalError, RegoInterpreter } from '../rego/eval/interpreter';
import { isRecord } from './common';
import { annotationControls, gatekeeperKind } from './index';
import { constraintMatches, reviewOf, templateModules, unsupportedCalls, violationsFor } from './verify';

export interface AuditTemplate {
  name: string;
  kind: string;
  interp: RegoInterpreter;
  pkg: string[];
  controls: string[];
}

export interface AuditConstraint {
  name: string;
  kind: string;
  value: Record<string, unknown>;
  controls: string[];
  action: string;
}

export interface AuditWorkspace {
  templates: Map<string, AuditTemplate>;
  constraints: AuditConstraint[];
}

/** Templates the interpreter can run and the constraints of the workspace. */
export function collectAudit(files: Iterable<ParsedFile>, templateControls: (kind: string) => string[] = () => []): AuditWorkspace {
  const ws: AuditWorkspace = { templates: new Map(), constraints: [] };
  for (const file of files) {
    for (const doc of file.documents) {
      for (const object of kubeObjects(doc.value)) {
        const kind = gatekeeperKind(object);
        if (kind === 'template') {
          const spec = isRecord(object.value.spec) ? object.value.spec : {};
          const crdKind = isRecord(spec.crd) && isRecord(spec.crd.spec) && isRecord(spec.crd.spec.names) ? spec.crd.spec.names.kind : undefined;
          if (typeof crdKind !== 'string') continue;
          const { modules, main, errors } = templateModules(object.value);
          if (errors.length || !main || unsupportedCalls(modules).length) continue;
          ws.templates.set(crdKind, { name: object.name ?? crdKind.toLowerCase(), kind: crdKind, interp: new RegoInterpreter(modules), pkg: main, controls: [...new Set([...annotationControls(doc, object), ...templateControls(crdKind)])] });
        } else if (kind === 'constraint' && object.name) {
          const spec = isRecord(object.value.spec) ? object.value.spec : {};
          ws.constraints.push({ name: object.name, kind: object.kind, value: object.value, controls: annotationControls(doc, object), action: typeof spec.enforcementAction === 'string' ? spec.enforcementAction : 'deny' });
        }
      }
    }
  }
  return ws;
}

function severityOf(action: string): Severity {
  if (action === 'deny') return 'error';
  if (action === 'dryrun') return 'information';
  return 'warning';
}

export interface AuditPass {
  code: string;
  controls: string[];
  doc: ParsedDocument;
  object: KubeObject;
}

/** Violations of the workspace's constraints by the Kubernetes objects of one file. */
export function auditFile(file: ParsedFile, ws: AuditWorkspace, passes?: AuditPass[]): Finding[] {
  const out: Finding[] = [];
  if (!ws.constraints.length || !ws.templates.size) return out;
  for (const doc of file.documents) {
    for (const object of kubeObjects(doc.value)) {
      if (object.classification.family !== 'kubernetes') continue;
      for (const c of ws.constraints) {
        const t = ws.templates.get(c.kind);
        if (!t) continue;
        const match = isRecord(c.value.spec) && isRecord(c.value.spec.match) ? c.value.spec.match : {};
        if (match.namespaceSelector !== undefined) continue; // needs the cluster's namespaces
        if (!constraintMatches(c.value, reviewOf(object.value))) continue;
        let messages: string[];
        try {
          messages = violationsFor(t.interp, t.pkg, c.value, object.value);
        } catch (e) {
          if (e instanceof RegoEvalError) continue;
          throw e;
        }
        const code = `policy.${t.name}/${c.name}`;
        const controls = [...new Set([...c.controls, ...t.controls])];
        if (!messages.length) {
          passes?.push({ code, controls, doc, object });
          continue;
        }
        for (const msg of [...new Set(messages)]) {
          out.push({
            range: rangeOfPath(file, doc, [...object.path, 'metadata', 'name']),
            severity: severityOf(c.action),
            code,
            message: `${object.kind} ${object.name ?? ''} violates Gatekeeper constraint ${c.kind}/${c.name}: ${msg || 'violation'}`,
            controls,
            source: 'policy',
            resource: { kind: object.kind, ...(object.name ? { name: object.name } : {}), ...(object.namespace ? { namespace: object.namespace } : {}), document: doc.index },
          });
        }
      }
    }
  }
  return out;
}
