import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import {
  COVERAGE_BASELINES_REQUEST,
  COVERAGE_CONTROLS_AT_REQUEST,
  COVERAGE_EVIDENCE_REQUEST,
  COVERAGE_EXPORT_REQUEST,
  COVERAGE_REQUEST,
  type CoverageResult,
  type EvidenceResult,
  type ExportResult,
} from '../../../server/src/engine/coverage/protocol';
import type { BaselineChoice } from '../../../server/src/engine/coverage/baseline';
import { registerCoverageHandlers } from '../../../server/src/handlers/coverage';
import { deployment, setup } from './fixture';

function fakeConnection() {
  const handlers = new Map<string, (params: unknown) => unknown>();
  const connection = { onRequest: (method: string, h: (params: unknown) => unknown) => handlers.set(method, h) } as unknown as Connection;
  const call = async <T>(method: string, params?: unknown): Promise<T> => (await handlers.get(method)!(params)) as T;
  return { connection, call };
}

test('the coverage requests answer from the engine the accessor gives, per workspace folder', async () => {
  const { engine } = setup();
  const { connection, call } = fakeConnection();
  let ready!: () => void;
  const indexing = new Promise<void>((r) => (ready = r));
  registerCoverageHandlers(connection, () => engine, { roots: () => ['/ws'], ready: () => indexing });

  const first = await call<CoverageResult>(COVERAGE_REQUEST, {});
  assert.equal(first.indexing, true);
  ready();
  await indexing;
  await new Promise((r) => setImmediate(r));
  const second = await call<CoverageResult>(COVERAGE_REQUEST, {});
  assert.equal(second.indexing, false);
  assert.ok(second.version > first.version, 'the end of indexing is news to the client');
  assert.equal(second.roots.length, 1);
  assert.equal(second.roots[0].root, 'file:///ws');
  assert.equal(second.roots[0].name, 'ws');
  assert.equal(second.roots[0].controls.find((c) => c.id === 'ac-6')?.status, 'failing');
  assert.ok(!('evidence' in second.roots[0].controls[0]), 'evidence is fetched per control');

  const same = await call<CoverageResult>(COVERAGE_REQUEST, {});
  assert.equal(same.version, second.version, 'nothing changed');
  engine.setText('file:///ws/bad.yaml', deployment('bad', false), 1);
  const after = await call<CoverageResult>(COVERAGE_REQUEST, {});
  assert.ok(after.version > same.version);
  assert.equal(after.roots[0].controls.find((c) => c.id === 'ac-6')?.status, 'validated');

  const moderate = await call<CoverageResult>(COVERAGE_REQUEST, { baseline: 'MODERATE' });
  assert.equal(moderate.roots[0].baseline.label, 'MODERATE');

  const evidence = await call<EvidenceResult>(COVERAGE_EVIDENCE_REQUEST, { root: 'file:///ws', control: 'ac-6' });
  assert.deepEqual(evidence.items.map((e) => e.kind).sort(), ['pass', 'pass', 'policy']);
  assert.equal(evidence.total, 3);
  const one = await call<EvidenceResult>(COVERAGE_EVIDENCE_REQUEST, { root: 'file:///ws', control: 'ac-6', limit: 1 });
  assert.deepEqual([one.items.length, one.total], [1, 3]);

  const baselines = await call<BaselineChoice[]>(COVERAGE_BASELINES_REQUEST);
  assert.deepEqual(baselines.map((b) => b.label).slice(0, 4), ['NIST_SP-800-53_rev5_LOW', 'NIST_SP-800-53_rev5_MODERATE', 'NIST_SP-800-53_rev5_HIGH', 'NIST_SP-800-53_rev5_PRIVACY']);
  assert.deepEqual(baselines.slice(4).map((b) => b.label), ['Mini']);

  const md = await call<ExportResult>(COVERAGE_EXPORT_REQUEST, { root: 'file:///ws', format: 'markdown' });
  assert.equal(md.fileName, 'coverage.md');
  assert.match(md.content, /\| ✅ \| AC-6 \| Least Privilege \| Validated \|/);
  const json = JSON.parse((await call<ExportResult>(COVERAGE_EXPORT_REQUEST, { root: 'file:///ws', format: 'json' })).content);
  assert.equal(json.controls.find((c: { id: string }) => c.id === 'ac-6').evidence[0].file, 'bad.yaml');

  const at = await call<string[]>(COVERAGE_CONTROLS_AT_REQUEST, { uri: 'file:///ws/policy.yaml', range: { start: { line: 5, character: 34 }, end: { line: 5, character: 34 } } });
  assert.deepEqual(at, ['ac-6']);
});
