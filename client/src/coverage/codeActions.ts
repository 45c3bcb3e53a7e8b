import * as vscode from 'vscode';
import { controlsOfDiagnostic } from './diagnosticControls';

/**
 * "Show AC-6 in coverage" on Control Lens diagnostics that map to controls: from a finding to the control's
 * place in the coverage tree (with every other resource that passes or fails it).
 */
export class ShowInCoverageActions implements vscode.CodeActionProvider {
  static readonly kind = vscode.CodeActionKind.QuickFix.append('showInCoverage');

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ids = new Set<string>();
    for (const d of context.diagnostics) {
      if (d.source !== 'control-lens') continue;
      for (const id of controlsOfDiagnostic(d.message, (d as { data?: unknown }).data)) ids.add(id);
    }
    return [...ids].slice(0, 5).map((id) => {
      const action = new vscode.CodeAction(`Show ${display(id)} in coverage`, ShowInCoverageActions.kind);
      action.command = { command: 'controlLens.showInCoverage', title: 'Show in coverage', arguments: [id, document.uri.toString()] };
      return action;
    });
  }
}

function display(id: string): string {
  const m = /^([a-z]+)-(\d+)(?:\.(\d+))?$/.exec(id);
  return m ? `${m[1].toUpperCase()}-${m[2]}${m[3] ? `(${m[3]})` : ''}` : id;
}
