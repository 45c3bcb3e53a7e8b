/**
 * The coverage view: a "Control Lens" activity-bar container with the Coverage tree, a status-bar summary,
 * the report webview, and their commands. Everything shown is asked of the server (custom requests, see
 * protocol.ts); this side only renders and keeps the user's choices (baseline, filter, search).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  COVERAGE_BASELINES_REQUEST,
  COVERAGE_CONTROLS_AT_REQUEST,
  COVERAGE_EVIDENCE_REQUEST,
  COVERAGE_EXPORT_REQUEST,
  COVERAGE_REQUEST,
  type BaselinesResult,
  type CoverageResult,
  type EvidenceResult,
  type ExportFormat,
  type ExportResult,
} from '../../../server/src/engine/coverage/protocol';
import { ShowInCoverageActions } from './codeActions';
import { CoverageHoverLink } from './hoverLink';
import { reportBody, reportHtml } from './reportHtml';
import { pathToControl, statusBarText, type StatusFilter } from './treeModel';
import { CoverageTreeProvider } from './treeProvider';

export const VIEW_ID = 'controlLens.coverage';
const BASELINE_KEY = 'controlLens.coverage.baseline';

export interface CoverageApi {
  /** Fetches coverage now and returns what the view shows. */
  refresh(): Promise<CoverageResult | undefined>;
  readonly current: CoverageResult | undefined;
  /** The tree's data provider, so integration tests can read the items a user sees. */
  readonly tree: vscode.TreeDataProvider<unknown>;
}

export function registerCoverage(context: vscode.ExtensionContext, client: LanguageClient): CoverageApi {
  const provider = new CoverageTreeProvider((root, control) => client.sendRequest<EvidenceResult>(COVERAGE_EVIDENCE_REQUEST, { root, control }));
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const status = vscode.window.createStatusBarItem('controlLens.coverage', vscode.StatusBarAlignment.Left, 9);
  status.name = 'Control Lens coverage';
  status.command = 'controlLens.showCoverage';
  let panel: vscode.WebviewPanel | undefined;
  let lastVersion = -1;
  let lastBaseline: string | undefined;
  let inFlight: Promise<CoverageResult | undefined> | undefined;
  let again = false;

  const baseline = (): string | undefined => context.workspaceState.get<string>(BASELINE_KEY) || undefined;

  const render = (result: CoverageResult): void => {
    provider.update(result);
    const s = statusBarText(result);
    if (s) {
      status.text = `$(shield) ${s.text}`;
      status.tooltip = s.tooltip;
      status.show();
    } else status.hide();
    const first = result.roots[0];
    view.description = first ? `${first.baseline.label} · ${first.totals.percent}%` : undefined;
    view.message = result.indexing ? 'Indexing the workspace…' : filterMessage();
    if (panel) void panel.webview.postMessage({ type: 'update', body: reportBody(result) });
  };

  const fetch = async (): Promise<CoverageResult | undefined> => {
    const result = await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () =>
      client.sendRequest<CoverageResult>(COVERAGE_REQUEST, { baseline: baseline() }),
    );
    if (result.version !== lastVersion || baseline() !== lastBaseline || result.indexing) {
      lastVersion = result.version;
      lastBaseline = baseline();
      render(result);
    }
    if (result.indexing) schedule(1500);
    return result;
  };

  // One request at a time; changes that arrive meanwhile coalesce into one more.
  const refresh = async (): Promise<CoverageResult | undefined> => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = fetch()
      .catch((e) => {
        view.message = `Coverage is unavailable: ${e instanceof Error ? e.message : String(e)}`;
        return undefined;
      })
      .finally(() => {
        inFlight = undefined;
        if (again) {
          again = false;
          void refresh();
        }
      });
    return inFlight;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = (ms = 600): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void refresh(), ms);
  };

  const filterMessage = (): string | undefined => {
    const parts: string[] = [];
    if (provider.state.filter !== 'all') parts.push(`showing ${provider.state.filter} controls`);
    if (provider.state.search) parts.push(`matching "${provider.state.search}"`);
    return parts.length ? `Filtered: ${parts.join(', ')}` : undefined;
  };

  const applyView = (): void => {
    void vscode.commands.executeCommand('setContext', 'controlLens.coverage.filtered', provider.state.filter !== 'all' || !!provider.state.search);
    view.message = filterMessage();
    provider.refreshView();
  };

  const reveal = async (controlId: string, nearUri?: string): Promise<boolean> => {
    const result = provider.current ?? (await refresh());
    if (!result) return false;
    let path = pathToControl(result, controlId, provider.state, nearUri);
    if (!path && (provider.state.filter !== 'all' || provider.state.search)) {
      // The filter hides it: clear the filter rather than fail.
      provider.state = { filter: 'all', search: '' };
      applyView();
      path = pathToControl(result, controlId, provider.state, nearUri);
    }
    if (!path) {
      void vscode.window.showInformationMessage(`${controlId.toUpperCase()} is not in the coverage baseline ${result.roots[0]?.baseline.label ?? ''}.`);
      return false;
    }
    provider.rememberPath(path);
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    await view.reveal(path[path.length - 1], { select: true, focus: true, expand: true });
    return true;
  };

  const controlsUnderCursor = async (): Promise<string[]> => {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return [];
    const sel = editor.selection;
    const range = { start: { line: sel.start.line, character: sel.start.character }, end: { line: sel.end.line, character: sel.end.character } };
    return client.sendRequest<string[]>(COVERAGE_CONTROLS_AT_REQUEST, { uri: editor.document.uri.toString(), range }).catch(() => []);
  };

  context.subscriptions.push(
    view,
    status,
    vscode.commands.registerCommand('controlLens.showCoverage', async () => {
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
      void refresh();
    }),
    vscode.commands.registerCommand('controlLens.coverage.refresh', () => refresh()),
    vscode.commands.registerCommand('controlLens.coverage.selectBaseline', async () => {
      const choices = await client.sendRequest<BaselinesResult>(COVERAGE_BASELINES_REQUEST);
      const current = baseline();
      const items: (vscode.QuickPickItem & { value?: string })[] = [
        { label: '$(settings-gear) Configured baseline', description: 'controlLens.baseline or .control-lens.yaml', value: undefined, picked: !current },
        ...choices.map((c) => ({ label: c.label, description: c.description, detail: c.uri ? vscode.workspace.asRelativePath(vscode.Uri.parse(c.uri)) : undefined, value: c.name, picked: c.name === current })),
      ];
      const pick = await vscode.window.showQuickPick(items, { title: 'Coverage baseline', placeHolder: current ?? 'the configured baseline' });
      if (!pick) return;
      await context.workspaceState.update(BASELINE_KEY, pick.value);
      await refresh();
    }),
    vscode.commands.registerCommand('controlLens.coverage.filter', async (filter?: StatusFilter) => {
      const value =
        filter ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'All controls', value: 'all' as const },
              { label: '$(error) Failing', value: 'failing' as const },
              { label: '$(circle-large-outline) Uncovered', value: 'uncovered' as const },
              { label: '$(warning) Excepted', value: 'excepted' as const },
            ],
            { title: 'Show controls' },
          )
        )?.value;
      if (!value) return;
      provider.state = { ...provider.state, filter: value };
      applyView();
    }),
    vscode.commands.registerCommand('controlLens.coverage.search', async (text?: string) => {
      const q = text ?? (await vscode.window.showInputBox({ title: 'Search controls', prompt: 'Control id or words of its title (empty clears)', value: provider.state.search }));
      if (q === undefined) return;
      provider.state = { ...provider.state, search: q };
      applyView();
    }),
    vscode.commands.registerCommand('controlLens.coverage.clearFilter', () => {
      provider.state = { filter: 'all', search: '' };
      applyView();
    }),
    vscode.commands.registerCommand('controlLens.showInCoverage', async (controlId?: string, fromUri?: string) => {
      let id = typeof controlId === 'string' ? controlId : undefined;
      const nearUri = typeof fromUri === 'string' ? fromUri : vscode.window.activeTextEditor?.document.uri.toString();
      if (!id) {
        const found = await controlsUnderCursor();
        if (found.length > 1) id = await vscode.window.showQuickPick(found, { title: 'Show which control in coverage?' });
        else id = found[0];
      }
      if (!id) {
        void vscode.window.showInformationMessage('No control here: put the cursor on a control id or on a finding.');
        return false;
      }
      return reveal(id.toLowerCase(), nearUri);
    }),
    vscode.commands.registerCommand('controlLens.coverage.openReport', async () => {
      if (panel) {
        panel.reveal();
        return;
      }
      panel = vscode.window.createWebviewPanel('controlLens.coverageReport', 'Control Coverage', vscode.ViewColumn.Active, { enableScripts: true, localResourceRoots: [] });
      panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'coverage.svg');
      panel.onDidDispose(() => (panel = undefined));
      panel.webview.onDidReceiveMessage((m: { type?: string; control?: string; root?: string }) => {
        // The cell's folder decides which root the control is revealed under.
        if (m?.type === 'reveal' && typeof m.control === 'string') void reveal(m.control, typeof m.root === 'string' && m.root ? `${m.root.replace(/\/$/, '')}/` : undefined);
      });
      panel.webview.html = reportHtml(provider.current, nonce(), panel.webview.cspSource);
      await refresh();
    }),
    vscode.commands.registerCommand('controlLens.coverage.export', async (format?: ExportFormat) => {
      const result = provider.current ?? (await refresh());
      const chosen =
        format ??
        (
          await vscode.window.showQuickPick(
            [
              { label: 'Markdown', description: 'a table for a pull request', value: 'markdown' as const },
              { label: 'OSCAL assessment-results', description: 'JSON for auditors', value: 'oscal' as const },
              { label: 'JSON', value: 'json' as const },
              { label: 'Text', value: 'text' as const },
            ],
            { title: 'Export coverage as' },
          )
        )?.value;
      if (!chosen) return;
      let root = result?.roots[0]?.root ?? '';
      if (result && result.roots.length > 1) {
        const pick = await vscode.window.showQuickPick(result.roots.map((r) => ({ label: r.name, value: r.root })), { title: 'Export which folder?' });
        if (!pick) return;
        root = pick.value;
      }
      const exported = await client.sendRequest<ExportResult>(COVERAGE_EXPORT_REQUEST, { format: chosen, root, baseline: baseline() });
      const doc = await vscode.workspace.openTextDocument({ content: exported.content, language: chosen === 'markdown' ? 'markdown' : chosen === 'text' ? 'plaintext' : 'json' });
      await vscode.window.showTextDocument(doc, { preview: false });
    }),
    vscode.languages.registerCodeActionsProvider(
      [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }, { language: 'rego' }],
      new ShowInCoverageActions(),
      { providedCodeActionKinds: [ShowInCoverageActions.kind] },
    ),
    vscode.languages.registerHoverProvider(
      [{ language: 'yaml' }, { language: 'json' }, { language: 'jsonc' }, { language: 'rego' }],
      new CoverageHoverLink(() => provider.current),
    ),
    vscode.languages.onDidChangeDiagnostics(() => schedule()),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (/\.(ya?ml|json|rego)$/i.test(e.document.uri.path)) schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('controlLens')) schedule(300);
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => schedule(1000)),
    // A restarted server counts versions afresh: forget ours and ask again once it runs.
    client.onDidChangeState(() => {
      lastVersion = -1;
      schedule(1000);
    }),
    view.onDidChangeVisibility((e) => {
      if (e.visible) void refresh();
    }),
    { dispose: () => timer && clearTimeout(timer) },
  );
  void refresh();
  return {
    refresh,
    get current() {
      return provider.current;
    },
    tree: provider as vscode.TreeDataProvider<unknown>,
  };
}

function nonce(): string {
  return randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '');
}
