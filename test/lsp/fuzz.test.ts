import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineIndex } from '../../server/src/engine/documents/lineIndex';
import { hasCorpus } from '../support/corpus';
import { applyEdit, pick, randomEdit, randomPosition, RangeChecker, sampleCorpus, seededRandom } from '../support/fuzzEdits';
import { LspTestClient, type PublishedDiagnostics } from '../support/lspClient';

const SEED = Number(process.env.FUZZ_SEED ?? 911);
const EDITS = Number(process.env.FUZZ_LSP_EDITS ?? 600);
/** Far above any answer's time; a request that takes longer is a hang. */
const ANSWER_LIMIT_MS = 15_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_LIMIT_MS} ms`)), ANSWER_LIMIT_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

test('random edits through the real server over LSP: every request answers, every published range fits its version', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const rng = seededRandom(SEED);
  const samples = sampleCorpus(rng, 1, 40_000);
  const client = new LspTestClient();
  t.after(() => client.shutdown());
  await client.initialize();

  // Each version's text, so every publication is checked against the text it was computed for.
  const texts = new Map<string, Map<number, string>>();
  const violations: string[] = [];
  const latest = new Map<string, PublishedDiagnostics>();
  let checked = 0;
  client.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    latest.set(p.uri, p);
    const text = p.version === undefined ? undefined : texts.get(p.uri)?.get(p.version);
    if (text === undefined) return;
    checked++;
    const check = new RangeChecker(text);
    for (const d of p.diagnostics) {
      const bad = check.range(d.range, `${p.uri} v${p.version} diagnostic ${d.code}`);
      if (bad) violations.push(bad);
    }
  });

  const current = samples.map((s) => s.text);
  const versions = samples.map(() => 1);
  for (const [i, s] of samples.entries()) {
    texts.set(s.uri, new Map([[1, s.text]]));
    await client.open(s.uri, s.text, s.uri.endsWith('.json') ? 'json' : s.uri.endsWith('.rego') ? 'rego' : 'yaml', 1);
    current[i] = s.text;
  }

  const requests = ['textDocument/hover', 'textDocument/completion', 'textDocument/documentSymbol', 'textDocument/codeAction', 'textDocument/inlayHint', 'textDocument/codeLens', 'textDocument/definition', 'textDocument/references'];
  let answered = 0;
  for (let n = 0; n < EDITS; n++) {
    const i = Math.floor(rng() * samples.length);
    const uri = samples[i].uri;
    const before = current[i];
    const edit = randomEdit(rng, before);
    const lines = new LineIndex(before);
    const range = lines.range(edit.start, edit.end);
    const after = applyEdit(before, edit);
    current[i] = after;
    const version = ++versions[i];
    texts.get(uri)!.set(version, after);
    await client.change(uri, version, [{ range, text: edit.newText }]);

    const method = pick(rng, requests);
    const afterLines = new LineIndex(after);
    const position = randomPosition(rng, afterLines);
    const params: Record<string, unknown> = { textDocument: { uri }, position };
    if (method === 'textDocument/codeAction') Object.assign(params, { range: { start: position, end: position }, context: { diagnostics: [] } });
    if (method === 'textDocument/inlayHint') Object.assign(params, { range: { start: { line: 0, character: 0 }, end: afterLines.range(0, after.length).end } });
    if (method === 'textDocument/references') Object.assign(params, { context: { includeDeclaration: true } });
    const where = `seed ${SEED} edit ${n} on ${samples[i].source} v${version}: ${method} at ${position.line}:${position.character}`;
    try {
      await within(client.request(method, params), where);
      answered++;
    } catch (e) {
      violations.push(`${where}: ${e instanceof Error ? e.message : String(e)}`);
      if (/no answer/.test(String(e))) break;
    }
  }

  // The server is alive and has caught up: it answers, and no file is left showing stale findings. A file
  // whose findings went away gets one empty publication and then none, so its last one may be older.
  const status = await within(client.request<{ files: number }>('controlLens/status', {}), 'status');
  assert.ok(status.files >= samples.length);
  await new Promise((r) => setTimeout(r, 500));
  for (const [i, s] of samples.entries()) {
    const last = latest.get(s.uri);
    if (!last || last.version === versions[i]) continue;
    assert.equal(last.diagnostics.length, 0, `${s.source}: findings of v${last.version} still shown at v${versions[i]}`);
  }
  assert.ok(checked > EDITS / 10, `only ${checked} publications were checked`);
  assert.equal(answered, EDITS, violations.slice(0, 5).join('\n'));
  assert.equal(violations.length, 0, `${violations.length} violations (replay with FUZZ_SEED=${SEED}):\n${violations.slice(0, 15).join('\n')}`);
  assert.equal(client.stderr.match(/Error|Unhandled/g), null, client.stderr.slice(0, 2000));
});
