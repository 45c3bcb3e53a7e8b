import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import type { Finding } from '../../../server/src/engine/types';

// Spreading an array into push() overflows V8's stack somewhere past 100,000 items.
test('a file with 300,000 findings has them all, not an internal error', () => {
  const many: FileAnalyzer = {
    id: 'many',
    families: ['kubernetes'],
    analyze: (entry) =>
      Array.from({ length: 300_000 }, (_, i): Finding => ({
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
        severity: 'hint',
        code: `many.${i % 7}`,
        message: 'one of many',
        controls: [],
        source: 'kubernetes',
        resource: { kind: 'ConfigMap', name: entry.documents[0]?.objects[0]?.name, document: 0 },
      })),
    fixAll: () => [],
  };
  const engine = new Engine({ analyzers: [many] });
  engine.setText('file:///big.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
  const findings = engine.diagnostics('file:///big.yaml');
  assert.equal(findings.filter((f) => f.code === 'internal-error').length, 0);
  assert.equal(findings.length, 300_000);
});
