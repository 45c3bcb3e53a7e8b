/** Kubernetes manifests in the engine: the rule pack's findings, coverage passes, hovers and inline control hints. */
import type { AnalysisContext, FileAnalyzer, InlayHintAnswer, RuleHelp } from '../analysis';
import type { Evidence } from '../coverage/evidence';
import type { ParsedFile } from '../documents/parse';
import { rangeOfPath } from '../documents/paths';
import type { IndexedFile } from '../workspace/index';
import { checkKubernetesObjects, type KubernetesCheckResult } from './check';
import { fixAllKubernetes } from './fixAll';
import { kubernetesHover } from './hover';
import { KUBERNETES_RULES, kubernetesRule } from './rules';
import type { KubernetesWorkspaceView } from './rules/types';
import { resourceSummaries } from './summary';
import { buildWorkspaceView } from './workspaceView';

function workspaceView(ctx: AnalysisContext): KubernetesWorkspaceView {
  return ctx.workspace.memo('kubernetes:namespaces', ['kubernetes'], () => {
    const files: ParsedFile[] = [];
    for (const f of ctx.workspace.all()) if (f.families.has('kubernetes')) files.push(f.file);
    return buildWorkspaceView(files);
  });
}

/** What the rule pack reads from the rest of the workspace, as a string that changes only when that does. */
function viewKey(ctx: AnalysisContext): string {
  return ctx.workspace.memo('kubernetes:view-key', ['kubernetes'], () => {
    const v = workspaceView(ctx);
    const sorted = (m?: ReadonlyMap<string, string>) => (m ? [...m.entries()].sort() : null);
    return JSON.stringify([sorted(v.namespaceLevels), sorted(v.namespaceVersions), v.networkPolicyNamespaces ? [...v.networkPolicyNamespaces].sort() : null]);
  });
}

// One check per file version, workspace view and level serves findings, evidence, hovers and hints alike.
const results = new WeakMap<ParsedFile, { stamp: string; result: KubernetesCheckResult }>();

function checked(entry: IndexedFile, ctx: AnalysisContext): KubernetesCheckResult {
  const stamp = `${viewKey(ctx)}|${ctx.config.podSecurity}`;
  const hit = results.get(entry.file);
  if (hit && hit.stamp === stamp) return hit.result;
  const result = checkKubernetesObjects(entry.file, { level: ctx.config.podSecurity, workspace: workspaceView(ctx) });
  results.set(entry.file, { stamp, result });
  return result;
}

function help(code: string): RuleHelp | undefined {
  const rule = kubernetesRule(code);
  if (!rule) return undefined;
  const references: string[] = [];
  if (rule.references.pss) references.push(`Pod Security Standards: ${rule.references.pss}`);
  for (const c of rule.references.cis ?? []) references.push(`CIS Kubernetes Benchmark ${c}`);
  for (const n of rule.references.nsa ?? []) references.push(`NSA/CISA Kubernetes Hardening Guide: ${n}`);
  return { title: rule.title, help: rule.rationale, controls: rule.controls, references };
}

export const kubernetesAnalyzer: FileAnalyzer = {
  id: 'kubernetes',
  families: ['kubernetes'],
  // Namespace labels and NetworkPolicies elsewhere in the workspace change what this file's findings are.
  dependsOn: ['kubernetes'],
  dependencyKey: viewKey,
  analyze(entry, ctx) {
    return checked(entry, ctx).findings;
  },
  evidence(entry, ctx) {
    const out: Evidence[] = [];
    for (const o of checked(entry, ctx).objects) {
      const range = rangeOfPath(entry.file, o.doc, [...o.object.path, 'metadata', 'name'], 'pair');
      for (const rule of o.rules) {
        if (o.findings.some((f) => f.code === rule.id)) continue;
        out.push({
          kind: 'pass',
          controls: rule.controls,
          uri: entry.file.uri,
          range,
          detail: `${rule.title}: ${o.object.kind} ${o.object.name ?? ''} passes`,
          check: rule.id,
          resource: o.resource,
        });
      }
    }
    return out;
  },
  describeRule: help,
  fixAll(entry, ctx) {
    return fixAllKubernetes(entry.file, { level: ctx.config.podSecurity, workspace: workspaceView(ctx) });
  },
  hover(entry, offset, ctx) {
    const position = entry.file.lines.positionAt(offset);
    const parts = kubernetesHover(entry.file, checked(entry, ctx), position, { controlTitle: (id) => ctx.controls.lookup(id)?.title });
    return parts.length ? { markdown: parts.join('\n\n---\n\n') } : undefined;
  },
  inlayHints(entry, ctx) {
    if (!ctx.config.inlayHints) return [];
    return resourceSummaries(entry.file, checked(entry, ctx)).map((s): InlayHintAnswer => ({
      position: s.nameRange.end,
      label: ` ${s.compactText}`,
      tooltip: s.controls
        .map((c) => `${c.display}${ctx.controls.lookup(c.id)?.title ? ` ${ctx.controls.lookup(c.id)?.title}` : ''}: ${c.state}${c.failing.length ? ` (${c.failing.join(', ')})` : ''}`)
        .join('\n'),
    }));
  },
};

/** Every finding code the rule pack can emit, for SARIF rule tables. */
export const KUBERNETES_CODES: readonly string[] = [...KUBERNETES_RULES.map((r) => r.id), 'k8s.ignore-reason', 'k8s.rule-error'];
