import * as vscode from 'vscode';
import type { CoverageResult } from '../../../server/src/engine/coverage/protocol';
import { controlIdAt } from './diagnosticControls';

/**
 * On a control id in a policy, manifest or OSCAL file, a line under the server's hover: the control's coverage
 * status and a link that reveals it in the Coverage view. Only for controls of the current baseline.
 */
export class CoverageHoverLink implements vscode.HoverProvider {
  constructor(private readonly current: () => CoverageResult | undefined) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line).text;
    if (line.length > 2000) return undefined;
    const at = controlIdAt(line, position.character);
    const result = this.current();
    if (!at || !result) return undefined;
    const hit = result.roots.flatMap((r) => r.controls).find((c) => c.id === at.id);
    if (!hit) return undefined;
    const args = encodeURIComponent(JSON.stringify([at.id, document.uri.toString()]));
    const md = new vscode.MarkdownString(`$(shield) [Show ${hit.display} in coverage](command:controlLens.showInCoverage?${args}) · ${hit.status}${hit.description ? ` · ${hit.description}` : ''}`);
    md.supportThemeIcons = true;
    md.isTrusted = { enabledCommands: ['controlLens.showInCoverage'] };
    return new vscode.Hover(md, new vscode.Range(position.line, at.start, position.line, at.end));
  }
}
