import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { DocumentParser } from '../../server/src/engine/documents/parse';
import { applyTextEdits } from '../../server/src/engine/fixes/applyEdits';
import { fixAllKubernetes } from '../../server/src/engine/kubernetes/fixAll';
import { checkKubernetesObjects } from '../../server/src/engine/kubernetes/check';
import { buildWorkspaceView } from '../../server/src/engine/kubernetes/workspaceView';
import { comparePositions } from '../../server/src/engine/types';
import { corpusFiles, corpusPath, hasCorpus } from '../support/corpus';

/**
 * The rule pack over real manifests (argo-cd's 34,416-line install.yaml included): no exceptions, no
 * rule errors, every range inside its document and every fix inside it too. Timings are printed, not asserted.
 */
describe('Kubernetes rule pack over real manifests', { skip: !hasCorpus() && 'no corpus' }, () => {
  const paths = corpusFiles('k8s', /\.ya?ml$/);
  const parseMs = new Map<string, number>();
  const files = paths.map((p) => {
    const text = readFileSync(p, 'utf8');
    const started = process.hrtime.bigint();
    const file = new DocumentParser().parse(`file://${p}`, text);
    parseMs.set(file.uri, Number(process.hrtime.bigint() - started) / 1e6);
    return file;
  });
  const workspace = buildWorkspaceView(files);

  for (const file of files) {
    const name = relative(corpusPath('k8s'), file.uri.slice('file://'.length));
    test(name, () => {
      const started = process.hrtime.bigint();
      const { findings, objects } = checkKubernetesObjects(file, { level: 'restricted', workspace });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${name}: ${file.lines.lineCount} lines, ${file.documents.length} documents, ${objects.length} objects, ${findings.length} findings; parse ${parseMs.get(file.uri)?.toFixed(0)} ms, rule pack ${ms.toFixed(0)} ms`);
      assert.ok(!findings.some((f) => f.code === 'k8s.rule-error'), findings.filter((f) => f.code === 'k8s.rule-error').map((f) => f.message).join('\n'));
      for (const f of findings) {
        const doc = file.documents[f.resource!.document];
        const start = file.lines.positionAt(doc.start);
        const end = file.lines.positionAt(doc.end);
        const inside = (r: typeof f.range) => comparePositions(start, r.start) <= 0 && comparePositions(r.end, end) <= 0 && comparePositions(r.start, r.end) <= 0;
        assert.ok(inside(f.range), `${f.code} range ${JSON.stringify(f.range)} outside document ${doc.index}`);
        for (const fix of f.fixes ?? []) for (const e of fix.edits) assert.ok(inside(e.range) || comparePositions(e.range.start, end) === 0, `${f.code} fix "${fix.title}" edits outside its document`);
      }
    });
  }

  test('fix-all on a real application leaves valid YAML, fewer findings and nothing new', () => {
    const file = files.find((f) => f.uri.endsWith('release/kubernetes-manifests.yaml'))!;
    const before = checkKubernetesObjects(file, { level: 'restricted', workspace }).findings;
    const started = process.hrtime.bigint();
    const fixed = applyTextEdits(file.text, fixAllKubernetes(file, { level: 'restricted', workspace }));
    console.log(`fix-all on ${file.lines.lineCount} lines: ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(0)} ms`);
    const after = checkKubernetesObjects(new DocumentParser().parse(file.uri, fixed), { level: 'restricted', workspace }).findings;
    assert.ok(after.length < before.length, `${before.length} -> ${after.length}`);
    const known = new Set(before.map((f) => `${f.code}|${f.message}`));
    assert.deepEqual(after.filter((f) => !known.has(`${f.code}|${f.message}`)).map((f) => f.message), []);
    assert.deepEqual(parseAllDocuments(fixed).flatMap((d) => d.errors.map((e) => e.message)), []);
  });

  test('argo-cd install.yaml is the big one', () => {
    const big = files.find((f) => f.uri.endsWith('argo-cd/install.yaml'));
    assert.ok(big && big.lines.lineCount > 30000);
  });
});
