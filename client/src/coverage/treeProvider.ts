import * as vscode from 'vscode';
import { childrenOf, evidenceNodes, present, rootNodes, type CoverageNode, type ViewState } from './treeModel';
import type { CoverageResult, EvidenceResult } from '../../../server/src/engine/coverage/protocol';

/** Renders the coverage model; all data comes from the server (see index.ts). */
export class CoverageTreeProvider implements vscode.TreeDataProvider<CoverageNode> {
  private readonly changed = new vscode.EventEmitter<CoverageNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private result: CoverageResult | undefined;
  private readonly parents = new Map<string, CoverageNode>();
  state: ViewState = { filter: 'all', search: '' };

  constructor(private readonly fetchEvidence: (root: string, control: string) => Promise<EvidenceResult>) {}

  get current(): CoverageResult | undefined {
    return this.result;
  }

  update(result: CoverageResult): void {
    this.result = result;
    this.refreshView();
  }

  refreshView(): void {
    this.parents.clear();
    this.changed.fire(undefined);
  }

  getTreeItem(node: CoverageNode): vscode.TreeItem {
    const p = present(node);
    const state =
      p.collapsible === 'none'
        ? vscode.TreeItemCollapsibleState.None
        : p.collapsible === 'expanded'
          ? vscode.TreeItemCollapsibleState.Expanded
          : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(p.label, state);
    item.id = node.id;
    item.description = p.description;
    item.tooltip = p.tooltip;
    item.contextValue = p.context;
    if (p.icon) item.iconPath = new vscode.ThemeIcon(p.icon.id, p.icon.color ? new vscode.ThemeColor(p.icon.color) : undefined);
    if (p.open) {
      const r = p.open.range;
      item.command = {
        command: 'vscode.open',
        title: 'Open',
        arguments: [vscode.Uri.parse(p.open.uri), { selection: new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), preview: true }],
      };
    }
    if (node.type === 'root' && node.root.root) item.resourceUri = vscode.Uri.parse(node.root.root);
    return item;
  }

  async getChildren(node?: CoverageNode): Promise<CoverageNode[]> {
    let children: CoverageNode[];
    if (!node) children = rootNodes(this.result, this.state);
    else if (node.type === 'control') {
      const evidence = await this.fetchEvidence(node.root.root, node.control.id).catch(() => ({ items: [], total: 0 }));
      children = evidenceNodes(node, evidence.items, evidence.total);
    } else children = childrenOf(node, this.state);
    for (const c of children) if (node) this.parents.set(c.id, node);
    return children;
  }

  getParent(node: CoverageNode): CoverageNode | undefined {
    return this.parents.get(node.id);
  }

  /** Records parents along a path computed outside the view (for reveal before the view was expanded). */
  rememberPath(path: CoverageNode[]): void {
    for (let i = 1; i < path.length; i++) this.parents.set(path[i].id, path[i - 1]);
  }
}
