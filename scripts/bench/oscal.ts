/**
 * OSCAL at scale: NIST's HIGH baseline resolved catalog (3.2 MB of YAML, 71,000 lines) opened in the server,
 * then hover and completion where a person asks for them: on control, parameter and part ids, on links and
 * role references, and at the end of property values.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LineIndex } from '../../server/src/engine/documents/lineIndex';
import { BenchServer } from './lsp';
import { summarize, type LatencySummary } from './stats';

export interface OscalResult {
  file: string;
  lines: number;
  openMs: number;
  hover: LatencySummary & { answered: number; targetMedianMs: number };
  completion: LatencySummary & { answered: number; targetMedianMs: number };
  server: string;
}

function spread<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export async function measureOscal(path: string, requests: number): Promise<OscalResult> {
  const text = readFileSync(path, 'utf8');
  const lines = new LineIndex(text);
  const hoverAt: { line: number; character: number }[] = [];
  const completeAt: { line: number; character: number }[] = [];
  for (let l = 0; l < lines.lineCount; l++) {
    const t = lines.lineText(l);
    const id = /^(\s*(?:- )?(?:id|control-id|role-id|href|param-id): )"?#?([^"]+)/.exec(t);
    if (id) hoverAt.push({ line: l, character: id[1].length + Math.floor(id[2].length / 2) });
    if (/^\s*(?:- )?(?:name|rel|class|role-id): \S/.test(t)) completeAt.push({ line: l, character: t.length });
  }
  const server = new BenchServer();
  try {
    await server.initialize();
    const uri = pathToFileURL(path).href;
    const t0 = performance.now();
    await server.open(uri, text, 1);
    await server.request('textDocument/hover', { textDocument: { uri }, position: hoverAt[0] });
    const openMs = performance.now() - t0;
    // Let the first publication of the catalog's diagnostics finish, as it would while a person starts reading.
    await new Promise((r) => setTimeout(r, 1500));

    const measure = async (method: string, positions: { line: number; character: number }[]) => {
      const samples: number[] = [];
      let answered = 0;
      for (const position of spread(positions, requests)) {
        const start = performance.now();
        const r = await server.request<unknown>(method, { textDocument: { uri }, position });
        samples.push(performance.now() - start);
        if (r && (!Array.isArray(r) || r.length)) answered++;
      }
      return { ...summarize(samples), answered };
    };
    const hover = { ...(await measure('textDocument/hover', hoverAt)), targetMedianMs: 10 };
    const completion = { ...(await measure('textDocument/completion', completeAt)), targetMedianMs: 50 };
    return { file: path, lines: lines.lineCount, openMs: Math.round(openMs), hover, completion, server: server.runtime };
  } finally {
    await server.stop();
  }
}
