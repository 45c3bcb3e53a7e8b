/**
 * The coverage report as one HTML page (for a webview): per root, a bar per family stacked by status, and a
 * heatmap with one cell per control; clicking a cell asks the extension to reveal the control in the tree.
 * Pure: no VS Code, so it is tested directly. Colours come from the theme's variables.
 */
import type { CoverageResult, RootCoverageDto } from '../../../server/src/engine/coverage/protocol';
import type { CoverageStatus } from '../../../server/src/engine/coverage/status';

const ORDER: CoverageStatus[] = ['failing', 'excepted', 'validated', 'enforced', 'implemented', 'uncovered'];

const COLOUR: Record<CoverageStatus, string> = {
  failing: 'var(--vscode-testing-iconFailed, #f14c4c)',
  excepted: 'var(--vscode-list-warningForeground, #cca700)',
  validated: 'var(--vscode-testing-iconPassed, #73c991)',
  enforced: 'var(--vscode-charts-blue, #3794ff)',
  implemented: 'var(--vscode-charts-purple, #b180d7)',
  uncovered: 'var(--vscode-disabledForeground, #6c6c6c)',
};

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function rootSection(root: RootCoverageDto): string {
  const t = root.totals;
  const bars = root.families
    .map((f) => {
      const segments = ORDER.filter((s) => f.byStatus[s])
        .map((s) => `<span class="seg" style="width:${((f.byStatus[s] / f.total) * 100).toFixed(2)}%;background:${COLOUR[s]}" title="${f.byStatus[s]} ${s}"></span>`)
        .join('');
      return `<div class="row"><span class="fam" title="${escapeHtml(f.title)}">${escapeHtml(f.id.toUpperCase())} ${escapeHtml(f.title)}</span><span class="bar">${segments}</span><span class="num">${f.covered}/${f.total}</span></div>`;
    })
    .join('\n');
  const heat = root.families
    .map((f) => {
      const cells = root.controls
        .filter((c) => c.family === f.id)
        .map(
          (c) =>
            `<a class="cell" href="#" data-root="${escapeHtml(root.root)}" data-control="${escapeHtml(c.id)}" style="background:${COLOUR[c.status]}" title="${escapeHtml(`${c.display} ${c.title}: ${c.status}${c.description ? ` (${c.description})` : ''}`)}" aria-label="${escapeHtml(`${c.display} ${c.status}`)}"></a>`,
        )
        .join('');
      return `<div class="hrow"><span class="fam">${escapeHtml(f.id.toUpperCase())}</span><span class="cells">${cells}</span></div>`;
    })
    .join('\n');
  const problems = root.baseline.problems.map((p) => `<p class="problem">${escapeHtml(p)}</p>`).join('');
  return `<section>
<h2>${escapeHtml(root.name)} <small>${escapeHtml(root.baseline.title)}</small></h2>
${problems}
<p class="summary"><strong>${t.percent}%</strong> of ${t.total} controls have evidence · ${ORDER.map((s) => `<span class="dot" style="background:${COLOUR[s]}"></span>${t.byStatus[s]} ${s}`).join(' · ')}</p>
<h3>By family</h3>
<div class="bars">${bars}</div>
<h3>Every control</h3>
<div class="heat">${heat}</div>
</section>`;
}

/** The page's changing part, also sent on its own so an open report updates without losing its scroll. */
export function reportBody(result: CoverageResult | undefined): string {
  return result?.roots.length ? result.roots.map(rootSection).join('\n') : '<p>No coverage yet: open a folder with policies, manifests or OSCAL documents.</p>';
}

export function reportHtml(result: CoverageResult | undefined, nonce: string, cspSource: string): string {
  const body = reportBody(result);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Control coverage</title>
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1.5em 2em; }
h2 small { font-weight: normal; opacity: .7; margin-left: .5em; }
.row, .hrow { display: flex; align-items: center; gap: .75em; margin: .25em 0; }
.fam { width: 22em; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hrow .fam { width: 3em; }
.bar { flex: 1; display: flex; height: 1em; background: var(--vscode-editorWidget-background); border-radius: 2px; overflow: hidden; }
.seg { display: block; height: 100%; }
.num { width: 5em; text-align: right; font-variant-numeric: tabular-nums; }
.cells { display: flex; flex-wrap: wrap; gap: 2px; }
.cell { display: block; width: 14px; height: 14px; border-radius: 2px; }
.cell:focus, .cell:hover { outline: 2px solid var(--vscode-focusBorder); }
.dot { display: inline-block; width: .8em; height: .8em; border-radius: 50%; margin-right: .3em; vertical-align: middle; }
.problem { color: var(--vscode-errorForeground); }
</style></head>
<body>
<h1>Control coverage</h1>
<main id="content">${body}</main>
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
window.addEventListener('message', (e) => {
  if (e.data && e.data.type === 'update') document.getElementById('content').innerHTML = e.data.body;
});
document.addEventListener('click', (e) => {
  const cell = e.target.closest('.cell');
  if (!cell) return;
  e.preventDefault();
  vscode.postMessage({ type: 'reveal', root: cell.dataset.root, control: cell.dataset.control });
});
</script>
</body></html>`;
}
