import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COVERAGE_EVIDENCE_REQUEST, COVERAGE_REQUEST, type CoverageResult, type EvidenceResult } from '../../../server/src/engine/coverage/protocol';
import { REPO_ROOT } from '../../support/corpus';
import { LspTestClient } from '../../support/lspClient';

async function coverageWhenIndexed(client: LspTestClient, params: object = {}): Promise<CoverageResult> {
  await client.connection.sendRequest('controlLens/status');
  return client.connection.sendRequest<CoverageResult>(COVERAGE_REQUEST, params);
}

test('the language server answers the coverage requests for its workspace folder, and follows edits', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-coverage-'));
  cpSync(join(REPO_ROOT, 'examples', 'coverage-demo'), root, { recursive: true });
  const client = new LspTestClient();
  t.after(() => client.shutdown());
  await client.initialize(root);
  const result = await coverageWhenIndexed(client);
  assert.equal(result.indexing, false);
  assert.equal(result.roots.length, 1);
  const rootCoverage = result.roots[0];
  assert.equal(rootCoverage.baseline.source, 'profile');
  assert.equal(rootCoverage.totals.total, 11);
  const status = (r: CoverageResult, id: string) => r.roots[0].controls.find((c) => c.id === id)?.status;
  assert.equal(status(result, 'ia-2'), 'implemented');
  assert.equal(status(result, 'au-12'), 'uncovered');

  const { items: evidence } = await client.connection.sendRequest<EvidenceResult>(COVERAGE_EVIDENCE_REQUEST, { root: rootCoverage.root, control: 'ia-2' });
  assert.equal(evidence.length, 1);
  assert.ok(evidence[0].uri.endsWith('/oscal/component-definition.yaml'));

  // Typing an implemented-requirement for AU-12 into the open component-definition covers it at once.
  const uri = `file://${join(root, 'oscal', 'component-definition.yaml')}`;
  const text = readFileSync(join(root, 'oscal', 'component-definition.yaml'), 'utf8');
  await client.open(uri, text);
  const added = `${text}            - uuid: 3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a60\n              control-id: au-12\n              description: The audit policy is deployed to every API server.\n`;
  await client.change(uri, 2, [{ text: added }]);
  const after = await client.connection.sendRequest<CoverageResult>(COVERAGE_REQUEST, {});
  assert.equal(status(after, 'au-12'), 'implemented');
  assert.ok(after.version > result.version);

  const moderate = await client.connection.sendRequest<CoverageResult>(COVERAGE_REQUEST, { baseline: 'NIST_SP-800-53_rev5_MODERATE' });
  assert.equal(moderate.roots[0].baseline.label, 'MODERATE');
  assert.ok(moderate.roots[0].totals.total > 250);
});
