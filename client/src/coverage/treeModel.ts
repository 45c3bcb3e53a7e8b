/**
 * What the coverage tree shows, as plain data: roots (workspace folders), families with counts, controls with
 * a status and a one-line description, evidence. No VS Code here, so it is unit-tested as is; the provider
 * only turns these nodes into TreeItems.
 */
import type { ControlDto, CoverageResult, EvidenceDto, FamilyDto, RootCoverageDto } from '../../../server/src/engine/coverage/protocol';
import type { CoverageStatus } from '../../../server/src/engine/coverage/status';

export type StatusFilter = 'all' | 'failing' | 'uncovered' | 'excepted';

export interface ViewState {
  filter: StatusFilter;
  /** Case-insensitive text matched against control ids (either form) and titles. */
  search: string;
}

export type CoverageNode =
  | { type: 'root'; id: string; root: RootCoverageDto }
  | { type: 'family'; id: string; root: RootCoverageDto; family: FamilyDto; controls: ControlDto[] }
  | { type: 'control'; id: string; root: RootCoverageDto; control: ControlDto }
  | { type: 'evidence'; id: string; root: RootCoverageDto; control: ControlDto; evidence: EvidenceDto }
  | { type: 'message'; id: string; text: string; detail?: string };

/** How a node looks: label, description, icon (a codicon id and a theme colour id), tooltip, and more. */
export interface NodePresentation {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** `contextValue`, for menus. */
  context: string;
  /** Where selecting the node goes (evidence only). */
  open?: { uri: string; range: EvidenceDto['range'] };
}

export const STATUS_ICON: Record<CoverageStatus, { id: string; color?: string }> = {
  failing: { id: 'error', color: 'testing.iconFailed' },
  excepted: { id: 'warning', color: 'list.warningForeground' },
  validated: { id: 'pass-filled', color: 'testing.iconPassed' },
  enforced: { id: 'shield', color: 'charts.blue' },
  implemented: { id: 'note', color: 'charts.purple' },
  uncovered: { id: 'circle-large-outline', color: 'disabledForeground' },
};

const EVIDENCE_ICON: Record<EvidenceDto['kind'], { id: string; color?: string }> = {
  implemented: { id: 'note' },
  policy: { id: 'law' },
  pass: { id: 'check', color: 'testing.iconPassed' },
  fail: { id: 'close', color: 'testing.iconFailed' },
  exception: { id: 'warning', color: 'list.warningForeground' },
};

export function matchesFilter(control: ControlDto, state: ViewState): boolean {
  if (state.filter !== 'all' && control.status !== state.filter) return false;
  const q = state.search.trim().toLowerCase();
  if (!q) return true;
  return control.id.includes(q) || control.display.toLowerCase().includes(q) || control.title.toLowerCase().includes(q);
}

export function rootNodes(result: CoverageResult | undefined, state: ViewState): CoverageNode[] {
  if (!result) return [{ type: 'message', id: 'loading', text: 'Computing coverage…' }];
  if (!result.roots.length) return [{ type: 'message', id: 'empty', text: 'Open a folder to see its control coverage.' }];
  // One folder: skip the root level, as the Explorer does.
  if (result.roots.length === 1) return childrenOf({ type: 'root', id: rootId(result.roots[0]), root: result.roots[0] }, state);
  return result.roots.map((root) => ({ type: 'root', id: rootId(root), root }));
}

function rootId(root: RootCoverageDto): string {
  return `root:${root.root}`;
}

/** The children of a node under the current filter and search; evidence is fetched separately. */
export function childrenOf(node: CoverageNode, state: ViewState): CoverageNode[] {
  if (node.type === 'root') {
    const root = node.root;
    const out: CoverageNode[] = root.baseline.problems.map((p, i) => ({ type: 'message', id: `${rootId(root)}:problem:${i}`, text: p }));
    for (const family of root.families) {
      const controls = root.controls.filter((c) => c.family === family.id && matchesFilter(c, state));
      if (!controls.length && (state.filter !== 'all' || state.search)) continue;
      out.push({ type: 'family', id: `${rootId(root)}:family:${family.id}`, root, family, controls });
    }
    if (out.length === 0 && root.controls.length) out.push({ type: 'message', id: `${rootId(root)}:nomatch`, text: 'No control matches the filter.' });
    const outside = root.outsideBaseline;
    if (outside.length && state.filter === 'all' && !state.search) {
      out.push({
        type: 'message',
        id: `${rootId(root)}:outside`,
        text: `${outside.length} mapped control${outside.length === 1 ? '' : 's'} outside this baseline`,
        detail: `Evidence names these controls, which ${root.baseline.label} does not select: ${outside.map(displayId).join(', ')}`,
      });
    }
    return out;
  }
  if (node.type === 'family') return node.controls.map((control) => ({ type: 'control', id: `${rootId(node.root)}:control:${control.id}`, root: node.root, control }));
  return [];
}

export function evidenceNodes(parent: Extract<CoverageNode, { type: 'control' }>, evidence: EvidenceDto[], total = evidence.length): CoverageNode[] {
  if (!evidence.length) return [{ type: 'message', id: `${parent.id}:none`, text: 'No evidence in this folder.' }];
  const nodes: CoverageNode[] = evidence.map((e, i) => ({ type: 'evidence', id: `${parent.id}:evidence:${i}`, root: parent.root, control: parent.control, evidence: e }));
  if (total > evidence.length) {
    nodes.push({ type: 'message', id: `${parent.id}:more`, text: `…and ${total - evidence.length} more`, detail: 'Export the coverage (JSON or OSCAL) for every piece of evidence.' });
  }
  return nodes;
}

/** `AC Access Control 12/25`: covered controls of the family over all of them. */
export function familyLabel(family: FamilyDto): string {
  return `${family.id.toUpperCase()} ${family.title} ${family.covered}/${family.total}`;
}

function familyDescription(family: FamilyDto): string {
  const parts: string[] = [];
  if (family.byStatus.failing) parts.push(`${family.byStatus.failing} failing`);
  if (family.byStatus.excepted) parts.push(`${family.byStatus.excepted} excepted`);
  return parts.join(' · ');
}

/** A short relative name for an evidence file: the path inside its root. */
export function relativeTo(root: string, uri: string): string {
  if (root && uri.startsWith(root.endsWith('/') ? root : `${root}/`)) return decodeURIComponent(uri.slice(root.replace(/\/$/, '').length + 1));
  const i = uri.lastIndexOf('/');
  return decodeURIComponent(i < 0 ? uri : uri.slice(i + 1));
}

export function present(node: CoverageNode): NodePresentation {
  switch (node.type) {
    case 'message':
      return { label: node.text, tooltip: node.detail ?? node.text, icon: { id: 'info' }, collapsible: 'none', context: 'message' };
    case 'root': {
      const t = node.root.totals;
      return {
        label: node.root.name,
        description: `${node.root.baseline.label} ${t.percent}%${t.byStatus.failing ? ` · ${t.byStatus.failing} failing` : ''}`,
        tooltip: `${node.root.baseline.title}: ${t.covered}/${t.total} controls have evidence`,
        icon: { id: 'root-folder' },
        collapsible: 'expanded',
        context: 'root',
      };
    }
    case 'family': {
      const f = node.family;
      return {
        label: familyLabel(f),
        description: familyDescription(f),
        tooltip: `${f.title}: ${f.covered} of ${f.total} controls have evidence (${f.percent}%)`,
        icon: f.byStatus.failing ? STATUS_ICON.failing : f.covered === f.total ? STATUS_ICON.validated : { id: 'folder' },
        collapsible: node.controls.some((c) => c.status === 'failing') ? 'expanded' : 'collapsed',
        context: 'family',
      };
    }
    case 'control': {
      const c = node.control;
      return {
        label: `${c.display} ${c.title}`.trim(),
        description: c.description || 'no evidence',
        tooltip: `${c.display} ${c.title}\n${capitalise(c.status)}${c.description ? `: ${c.description}` : ''}`,
        icon: STATUS_ICON[c.status],
        collapsible: c.status === 'uncovered' ? 'none' : 'collapsed',
        context: `control.${c.status}`,
      };
    }
    case 'evidence': {
      const e = node.evidence;
      const where = `${relativeTo(node.root.root, e.uri)}:${e.range.start.line + 1}`;
      return {
        label: e.detail,
        description: where,
        tooltip: `${capitalise(e.kind)} · ${where}${e.check ? `\n${e.check}` : ''}`,
        icon: EVIDENCE_ICON[e.kind],
        collapsible: 'none',
        context: `evidence.${e.kind}`,
        open: { uri: e.uri, range: e.range },
      };
    }
  }
}

function displayId(id: string): string {
  const m = /^([a-z]+)-(\d+)(?:\.(\d+))?$/.exec(id);
  return m ? `${m[1].toUpperCase()}-${m[2]}${m[3] ? `(${m[3]})` : ''}` : id;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The status bar text: `MODERATE 63% · 4 failing`, over every root. */
export function statusBarText(result: CoverageResult | undefined): { text: string; tooltip: string } | undefined {
  if (!result?.roots.length) return undefined;
  const labels = [...new Set(result.roots.map((r) => r.baseline.label))];
  const total = result.roots.reduce((n, r) => n + r.totals.total, 0);
  const covered = result.roots.reduce((n, r) => n + r.totals.covered, 0);
  const failing = result.roots.reduce((n, r) => n + r.totals.byStatus.failing, 0);
  const percent = total ? Math.round((covered / total) * 100) : 0;
  const label = labels.length === 1 ? labels[0] : `${labels.length} baselines`;
  return {
    text: `${label} ${percent}%${failing ? ` · ${failing} failing` : ''}${result.indexing ? ' (indexing)' : ''}`,
    tooltip: `Control coverage: ${covered} of ${total} controls have evidence; ${failing} failing. Click to open the coverage view.`,
  };
}

/** Finds the tree path (root, family, control) of a control, for "Show in coverage". */
export function pathToControl(result: CoverageResult, controlId: string, state: ViewState, nearUri?: string): CoverageNode[] | undefined {
  const top = rootNodes(result, state);
  // In a multi-root workspace, the folder of the file the user came from first.
  const inside = (root: RootCoverageDto) => (nearUri && root.root && nearUri.startsWith(`${root.root.replace(/\/$/, '')}/`) ? 0 : 1);
  const roots = [...result.roots].sort((a, b) => inside(a) - inside(b));
  for (const root of roots) {
    const control = root.controls.find((c) => c.id === controlId);
    if (!control) continue;
    const rootNode = top.find((n) => n.type === 'root' && n.root === root);
    const families = childrenOf({ type: 'root', id: rootId(root), root }, state);
    const family = families.find((f) => f.type === 'family' && f.family.id === control.family);
    if (!family) return undefined;
    const controlNode = childrenOf(family, state).find((n) => n.type === 'control' && n.control.id === controlId);
    if (!controlNode) return undefined;
    return [...(rootNode ? [rootNode] : []), family, controlNode];
  }
  return undefined;
}
