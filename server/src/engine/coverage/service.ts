/**
 * The coverage model over a live engine. Evidence is collected per file and kept until that file, its
 * findings or the workspace's policies change; evidence is filed by control, and a control's verdict is
 * recomputed only when the evidence of a file that touches it changed. So an edit to one policy re-judges
 * the controls that policy (and the resources it checks) map to, and nothing else.
 */
import { appliesTo, type FileAnalyzer } from '../analysis';
import { displayControlId } from '../controls/ids';
import { severityOverride } from '../config/config';
import type { DocumentFamily } from '../documents/classify';
import { buildWorkspaceView, KUBERNETES_RULES, type KubernetesRule } from '../kubernetes';
import type { PssLevel } from '../kubernetes/pss/types';
import { parsePssVersion } from '../kubernetes/pss/version';
import { toPath, toUri, type Engine } from '../engine';
import type { Finding, Range } from '../types';
import type { IndexedFile } from '../workspace/index';
import { baselineChoices, resolveBaseline, type BaselineChoice, type ResolvedBaseline } from './baseline';
import { findingEvidence } from './collect/findings';
import { implementedEvidence } from './collect/oscal';
import { passEvidence, reconcile, type PassContext } from './collect/passes';
import { policiesOfFile, policyEvidence, ruleControls, type PolicyEngine, type PolicyInfo } from './collect/policies';
import { EVIDENCE_KINDS, type Evidence } from './evidence';
import { describeCounts, mergeCounts, partialCounts, STATUS_PRECEDENCE, type ControlCounts, type CoverageStatus, type PartialCounts } from './status';
import { appendAll } from '../arrays';

const POLICY_FAMILIES: DocumentFamily[] = ['kyverno', 'gatekeeper', 'vap'];
const CONFIG_FILE = /(^|\/)\.control-lens\.ya?ml$/;

export interface ControlCoverage {
  id: string;
  /** `AC-6(1)` */
  display: string;
  title: string;
  family: string;
  status: CoverageStatus;
  counts: ControlCounts;
  /** `2 policies · 14 resources · 1 failing` */
  description: string;
  /** Present when asked for (`includeEvidence`); strongest kinds first. */
  evidence?: Evidence[];
}

export interface StatusTally {
  total: number;
  /** Controls with any evidence at all. */
  covered: number;
  /** covered / total, in whole percent. */
  percent: number;
  byStatus: Record<CoverageStatus, number>;
}

export interface FamilyCoverage extends StatusTally {
  id: string;
  title: string;
}

export interface CoverageReport {
  baseline: Pick<ResolvedBaseline, 'name' | 'label' | 'title' | 'source' | 'uri' | 'problems'>;
  /** The folder the report is limited to, when it is. */
  root?: string;
  totals: StatusTally;
  families: FamilyCoverage[];
  controls: ControlCoverage[];
  /** Controls with evidence that the baseline does not select (mapped to, but out of scope). */
  outsideBaseline: string[];
}

export interface CoverageOptions {
  /** Baseline spec; defaults to the engine's configured `baseline`. */
  baseline?: string;
  /** Folder path (or URI) the report is limited to; relative baseline paths resolve against it. */
  root?: string;
  includeEvidence?: boolean;
}

interface FileEvidence {
  file: unknown;
  findings: readonly Finding[];
  policies: unknown;
  config: unknown;
  levels: unknown;
  hooks: string;
  evidence: Evidence[];
  controls: Set<string>;
}

interface Judged {
  status: CoverageStatus;
  counts: ControlCounts;
  evidence: Evidence[];
  sorted: boolean;
}

export class CoverageService {
  private readonly files = new Map<string, FileEvidence>();
  /** control → uri → that file's evidence for the control. */
  private readonly byControl = new Map<string, Map<string, { items: Evidence[]; partial: PartialCounts }>>();
  /** scope → control → verdict; entries are dropped when their evidence changes. */
  private readonly judged = new Map<string, Map<string, Judged>>();
  private readonly baselines = new Map<string, { config: unknown; stamp: number[]; value: ResolvedBaseline }>();
  /** How much work was done: tests read it to check that updates are incremental. */
  readonly stats = { filesCollected: 0, controlsJudged: 0 };

  constructor(private readonly engine: Engine) {}

  /** The workspace's policies, recomputed only when a policy document (or Rego module) changed. */
  policies(): PolicyInfo[] {
    const ws = this.engine.workspace;
    return ws.memo('coverage.policies', POLICY_FAMILIES, () => {
      const out: PolicyInfo[] = [];
      for (const entry of ws.all()) {
        if (entry.file.format === 'rego' || POLICY_FAMILIES.some((f) => entry.families.has(f))) appendAll(out, policiesOfFile(entry, this.engine.controls));
      }
      return out;
    });
  }

  /** Policy engines evaluated on manifests by an analyser that does not report its passes itself. */
  private policyEngines(): Set<PolicyEngine> {
    const evaluated = new Set<PolicyEngine>();
    for (const a of this.engine.analyzerList) {
      if (!runsOnResources(a) || a.evidence) continue;
      for (const f of a.dependsOn ?? []) if (f === 'kyverno' || f === 'gatekeeper' || f === 'vap') evaluated.add(f);
      if (a.dependsOn?.includes('gatekeeper')) evaluated.add('rego');
    }
    return evaluated;
  }

  /** Namespaces' pod security levels; the same object while no level changes, so manifests keep their evidence. */
  private namespaceLevels(): ReadonlyMap<string, PssLevel | 'privileged'> {
    const ws = this.engine.workspace;
    const levels = ws.memo('coverage.namespaceLevels', ['kubernetes'], () => buildWorkspaceView([...ws.all()].map((e) => e.file)).namespaceLevels);
    const key = JSON.stringify([...levels]);
    if (key !== this.levelsKey) {
      this.levelsKey = key;
      this.levels = levels;
    }
    return this.levels;
  }
  private levelsKey = '[]';
  private levels: ReadonlyMap<string, PssLevel | 'privileged'> = new Map();

  /** The built-in rules some analyser runs: those it describes, or all when the Kubernetes analyser is registered. */
  private builtinRules(): KubernetesRule[] {
    const analyzers = this.engine.analyzerList.filter((a) => /kubernetes/i.test(a.id) && a.families !== 'rego' && a.families.includes('kubernetes'));
    // The Kubernetes analyser reports its passes itself (it knows each namespace's level exactly).
    if (analyzers.some((a) => a.evidence)) return [];
    const kubernetes = analyzers.length > 0;
    return KUBERNETES_RULES.filter((r) => (kubernetes || this.engine.ruleHelp(r.id)) && severityOverride(this.engine.config, r.id) !== 'off');
  }

  private passContext(policies: PolicyInfo[]): PassContext {
    const config = this.engine.config;
    return {
      evaluated: this.policyEngines(),
      policies,
      builtinRules: this.builtinRules(),
      isOff: (code) => severityOverride(config, code) === 'off',
      namespaceLevels: this.namespaceLevels(),
      defaultLevel: config.podSecurity,
      pssVersion: parsePssVersion(undefined),
    };
  }

  /** Policy engines whose analyser reports its policies' mappings itself (the `evidence` hook): not counted twice. */
  private selfReportingEngines(): Set<PolicyEngine> {
    const out = new Set<PolicyEngine>();
    for (const a of this.engine.analyzerList) {
      if (!a.evidence) continue;
      const families = a.families === 'rego' ? ['rego'] : a.families;
      for (const f of families) {
        if (f === 'kyverno' || f === 'vap') out.add(f);
        if (f === 'gatekeeper' || f === 'rego') {
          out.add('gatekeeper');
          out.add('rego');
        }
      }
    }
    return out;
  }

  /** Generations of the families the file's evidence-reporting analysers depend on. */
  private hookStamp(entry: IndexedFile): string {
    const ws = this.engine.workspace;
    const parts: number[] = [];
    for (const a of this.engine.analyzerList) if (a.evidence && appliesTo(a, entry)) for (const f of a.dependsOn ?? []) parts.push(ws.generation(f));
    return parts.join(',');
  }

  private policyControlsLookup(policies: PolicyInfo[]): (code: string) => string[] {
    const byName = new Map<string, PolicyInfo>();
    for (const p of policies) if (!byName.has(p.name)) byName.set(p.name, p);
    return (code) => {
      const m = /^policy\.([^/]+)(?:\/(.+))?$/.exec(code);
      if (!m) return [];
      const policy = byName.get(m[1]);
      if (!policy) return [];
      return ruleControls(policy, policy.rules.find((r) => r.name === m[2]));
    };
  }

  private collect(entry: IndexedFile, findings: readonly Finding[], policies: PolicyInfo[], passCtx: () => PassContext): Evidence[] {
    const uri = entry.file.uri;
    const evidence: Evidence[] = [];
    if (entry.file.skipped) return evidence;
    appendAll(evidence, implementedEvidence(entry, this.engine.controls));
    const reported = this.selfReportingEngines();
    for (const p of policies) if (p.uri === uri && !reported.has(p.engine)) appendAll(evidence, policyEvidence(p));
    appendAll(evidence, findingEvidence(entry, findings, this.policyControlsLookup(policies)));
    if (entry.families.has('kubernetes')) appendAll(evidence, passEvidence(entry, findings, passCtx()));
    const config = this.engine.config;
    // Failures and exceptions come from findings; a check switched off proves nothing by passing.
    const accepted = (e: Evidence) => (e.kind === 'pass' && !(e.check && severityOverride(config, e.check) === 'off')) || e.kind === 'policy' || e.kind === 'implemented';
    for (const a of this.engine.analyzerList) {
      if (!a.evidence || !appliesTo(a, entry)) continue;
      appendAll(evidence, this.hookEvidence(a, entry).filter(accepted));
    }
    return reconcile(evidence);
  }

  /**
   * One analyser's evidence for a file, kept until the file or a family the analyser depends on changes: a
   * manifest edit re-runs the Kubernetes rules' hook everywhere, not the policy evaluators' that read policies.
   */
  private hookEvidence(a: FileAnalyzer, entry: IndexedFile): Evidence[] {
    const ws = this.engine.workspace;
    const stamp = `${(a.dependsOn ?? []).map((f) => ws.generation(f)).join(',')}`;
    let perFile = this.hookCache.get(a.id);
    if (!perFile) this.hookCache.set(a.id, (perFile = new Map()));
    const hit = perFile.get(entry.file.uri);
    if (hit && hit.file === entry.file && hit.stamp === stamp && hit.config === this.engine.config) return hit.evidence;
    let evidence: Evidence[] = [];
    try {
      evidence = a.evidence?.(entry, this.engine.analysisContext()) ?? [];
    } catch {
      // An analyser's evidence hook failing must not take coverage down; its findings still count.
    }
    perFile.set(entry.file.uri, { file: entry.file, stamp, config: this.engine.config, evidence });
    return evidence;
  }
  private readonly hookCache = new Map<string, Map<string, { file: unknown; stamp: string; config: unknown; evidence: Evidence[] }>>();

  /** Brings every file's evidence up to date; returns the number of files whose evidence changed. */
  refresh(): number {
    const pass = this.beginRefresh();
    for (const entry of [...this.engine.workspace.all()]) pass.step(entry);
    return pass.finish();
  }

  /**
   * The same, giving the event loop back every few milliseconds so that a language server keeps answering
   * while a large workspace is collected. Files changed meanwhile are caught by the next refresh.
   */
  async refreshAsync(isCancelled: () => boolean = () => false, sliceMs = 15): Promise<number> {
    const pass = this.beginRefresh();
    let sliceStart = performance.now();
    for (const entry of [...this.engine.workspace.all()]) {
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise((r) => setImmediate(r));
        if (isCancelled()) return 0;
        sliceStart = performance.now();
      }
      pass.step(entry);
    }
    return pass.finish();
  }

  private beginRefresh(): { step(entry: IndexedFile): void; finish(): number } {
    const policies = this.policies();
    const config = this.engine.config;
    let passCtx: PassContext | undefined;
    const lazyPassCtx = () => (passCtx ??= this.passContext(policies));
    const levels = this.namespaceLevels();
    const evaluating = this.policyEngines().size > 0;
    let changed = 0;
    const seen = new Set<string>();
    const step = (entry: IndexedFile): void => {
      const uri = entry.file.uri;
      if (CONFIG_FILE.test(uri) || !this.engine.workspace.has(uri)) return;
      seen.add(uri);
      const findings = this.engine.diagnostics(uri);
      const known = this.files.get(uri);
      // Only manifests read the workspace's policies (passes, controls of policy findings) and namespace levels.
      const readsWorkspace = entry.families.has('kubernetes');
      // Policies matter to a manifest when an evaluator turns them into passes, or its findings name policy rules.
      const filePolicies = readsWorkspace && (evaluating || findings.some((f) => f.code.startsWith('policy.'))) ? policies : undefined;
      const fileLevels = readsWorkspace ? levels : undefined;
      // What analysers report through the evidence hook can change with the families they depend on.
      const hooks = this.hookStamp(entry);
      if (known && known.file === entry.file && sameFindings(known.findings, findings) && known.policies === filePolicies && known.config === config && known.levels === fileLevels && known.hooks === hooks) return;
      const evidence = this.collect(entry, findings, policies, lazyPassCtx);
      this.stats.filesCollected++;
      const controls = new Set(evidence.flatMap((e) => e.controls));
      if (known && sameEvidence(known.evidence, evidence)) {
        this.files.set(uri, { ...known, file: entry.file, findings, policies: filePolicies, config, levels: fileLevels, hooks });
        return;
      }
      this.file(uri, known, { file: entry.file, findings, policies: filePolicies, config, levels: fileLevels, hooks, evidence, controls });
      changed++;
    };
    const finish = (): number => {
      for (const [uri, known] of this.files) {
        if (seen.has(uri) || (this.engine.workspace.has(uri) && !CONFIG_FILE.test(uri))) continue;
        for (const perFile of this.hookCache.values()) perFile.delete(uri);
        this.file(uri, known, undefined);
        changed++;
      }
      return changed;
    };
    return { step, finish };
  }

  private file(uri: string, before: FileEvidence | undefined, after: FileEvidence | undefined): void {
    const touched = new Set([...(before?.controls ?? []), ...(after?.controls ?? [])]);
    for (const c of touched) {
      const perFile = this.byControl.get(c) ?? new Map<string, { items: Evidence[]; partial: PartialCounts }>();
      const mine = after?.evidence.filter((e) => e.controls.includes(c)) ?? [];
      if (mine.length) perFile.set(uri, { items: mine, partial: partialCounts(mine) });
      else perFile.delete(uri);
      if (perFile.size) this.byControl.set(c, perFile);
      else this.byControl.delete(c);
      for (const scope of this.judged.values()) scope.delete(c);
    }
    if (after) this.files.set(uri, after);
    else this.files.delete(uri);
  }

  private judge(control: string, scope: string): Judged {
    let cache = this.judged.get(scope);
    if (!cache) this.judged.set(scope, (cache = new Map()));
    const hit = cache.get(control);
    if (hit) return hit;
    const evidence: Evidence[] = [];
    const parts: PartialCounts[] = [];
    for (const [uri, { items, partial }] of this.byControl.get(control) ?? []) {
      if (!inScope(uri, scope)) continue;
      for (const e of items) evidence.push(e);
      parts.push(partial);
    }
    // Sorted only when someone reads the evidence: verdicts and counts do not need the order.
    const result: Judged = { ...mergeCounts(parts), evidence, sorted: false };
    this.stats.controlsJudged++;
    cache.set(control, result);
    return result;
  }

  baseline(options: CoverageOptions = {}): ResolvedBaseline {
    const spec = options.baseline ?? this.engine.config.baseline;
    const root = options.root ? (toPath(toUri(options.root)) ?? options.root) : undefined;
    const ws = this.engine.workspace;
    const registry = this.engine.catalogs?.registry;
    // A baseline changes with the workspace's OSCAL documents, the settings, and what the registry fetched.
    const key = `${spec}\u0000${root ?? ''}`;
    const stamp = [ws.generation('oscal'), registry?.documents().length ?? 0];
    const hit = this.baselines.get(key);
    if (hit && hit.config === this.engine.config && hit.stamp.every((x, i) => x === stamp[i])) return hit.value;
    const value = resolveBaseline(spec, { workspace: ws, fs: this.engine.fs, registry }, root);
    this.baselines.set(key, { config: this.engine.config, stamp, value });
    return value;
  }

  baselineChoices(): BaselineChoice[] {
    return baselineChoices(this.engine.workspace);
  }

  /** The report after an asynchronous refresh (see refreshAsync). */
  async reportAsync(options: CoverageOptions = {}, isCancelled?: () => boolean, sliceMs?: number): Promise<CoverageReport> {
    await this.refreshAsync(isCancelled, sliceMs);
    return this.report(options);
  }

  report(options: CoverageOptions = {}): CoverageReport {
    this.refresh();
    const baseline = this.baseline(options);
    const scope = options.root ? scopeOf(options.root) : '';
    const controls: ControlCoverage[] = baseline.controls.map((c) => {
      const j = this.judge(c.id, scope);
      return {
        id: c.id,
        display: displayControlId(c.id),
        title: c.title,
        family: c.family,
        status: j.status,
        counts: j.counts,
        description: describeCounts(j.counts),
        ...(options.includeEvidence ? { evidence: sortedEvidence(j) } : {}),
      };
    });
    const families = baseline.families.map((f) => ({ id: f.id, title: f.title, ...tally(controls.filter((c) => c.family === f.id)) }));
    const inBaseline = new Set(baseline.controls.map((c) => c.id));
    const outsideBaseline = [...this.byControl.keys()].filter((id) => !inBaseline.has(id) && this.judge(id, scope).evidence.length > 0).sort();
    return {
      baseline: { name: baseline.name, label: baseline.label, title: baseline.title, source: baseline.source, uri: baseline.uri, problems: baseline.problems },
      ...(options.root ? { root: options.root } : {}),
      totals: tally(controls),
      families,
      controls,
      outsideBaseline,
    };
  }

  /** Evidence of one control (for a tree node opened lazily). */
  evidence(control: string, root?: string): Evidence[] {
    this.refresh();
    return sortedEvidence(this.judge(control, root ? scopeOf(root) : ''));
  }
}

/** An analyser that runs on Kubernetes manifests and reads policies: it evaluates them. */
function runsOnResources(a: FileAnalyzer): boolean {
  return a.families !== 'rego' && a.families.includes('kubernetes');
}

function scopeOf(root: string): string {
  const uri = toUri(root);
  return uri.endsWith('/') ? uri : `${uri}/`;
}

function inScope(uri: string, scope: string): boolean {
  return scope === '' || uri.startsWith(scope);
}

const KIND_ORDER = new Map(['fail', 'exception', 'pass', 'policy', 'implemented'].map((k, i) => [k, i]));

function byStrength(a: Evidence, b: Evidence): number {
  return (
    (KIND_ORDER.get(a.kind) ?? 9) - (KIND_ORDER.get(b.kind) ?? 9) ||
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character
  );
}

function sortedEvidence(j: Judged): Evidence[] {
  if (!j.sorted) {
    j.evidence.sort(byStrength);
    j.sorted = true;
  }
  return j.evidence;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
}

function sameEvidence(a: Evidence[], b: Evidence[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.kind !== y.kind || x.check !== y.check || x.uri !== y.uri || x.detail !== y.detail || !sameRange(x.range, y.range) || !sameList(x.controls, y.controls)) return false;
    if (x.resource?.document !== y.resource?.document || x.resource?.name !== y.resource?.name) return false;
  }
  return true;
}

/**
 * Analysers that read the whole workspace hand out new finding arrays after any edit of their family; equal
 * content means this file's evidence cannot have changed.
 */
function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.code !== y.code || x.message !== y.message || !sameRange(x.range, y.range) || !sameList(x.controls, y.controls)) return false;
    if (x.suppressed?.reason !== y.suppressed?.reason) return false;
  }
  return true;
}

export function tally(controls: readonly { status: CoverageStatus }[]): StatusTally {
  const byStatus = Object.fromEntries(STATUS_PRECEDENCE.map((s) => [s, 0])) as Record<CoverageStatus, number>;
  for (const c of controls) byStatus[c.status]++;
  const total = controls.length;
  const covered = total - byStatus.uncovered;
  return { total, covered, percent: total ? Math.round((covered / total) * 100) : 0, byStatus };
}

export { EVIDENCE_KINDS };
