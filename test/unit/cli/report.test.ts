import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonReportChunks, summarize, type FileFindings } from '../../../server/src/cli/report';
import type { Finding } from '../../../server/src/engine/types';

const finding = (line: number, extra: Partial<Finding> = {}): Finding => ({
  range: { start: { line, character: 2 }, end: { line, character: 9 } },
  severity: 'warning',
  code: 'k8s.image-tag',
  message: 'Image "nginx" has no tag;\nuse a digest — or "a tag"\t\\ 🙂',
  controls: ['cm-2', 'si-7.1'],
  source: 'kubernetes',
  ...extra,
});

/** The report of DESIGN.md, written out here as the test's own oracle. */
function reportObject(results: FileFindings[]): object {
  return {
    version: 1,
    findings: results.flatMap((r) =>
      r.findings.map((f) => ({ file: r.file, range: f.range, severity: f.severity, code: f.code, message: f.message, controls: f.controls, source: f.source, ...(f.resource ? { resource: f.resource } : {}) })),
    ),
    summary: summarize(results),
  };
}

const cases: Record<string, FileFindings[]> = {
  'no files': [],
  'files without findings': [{ file: 'a.yaml', findings: [] }, { file: 'b.yaml', findings: [] }],
  'findings with and without a resource, empty controls': [
    { file: 'dir/a.yaml', findings: [finding(1), finding(4, { resource: { kind: 'Pod', name: 'p', namespace: 'ns', document: 0 }, controls: [], severity: 'error' })] },
    { file: 'b.yaml', findings: [] },
    { file: 'c "quoted".yaml', findings: [finding(0, { severity: 'hint' }), finding(7, { severity: 'information' })] },
  ],
};

test('the streamed JSON report is byte for byte JSON.stringify of the report object, whatever the piece size', () => {
  for (const [name, results] of Object.entries(cases)) {
    const expected = JSON.stringify(reportObject(results), null, 2) + '\n';
    for (const size of [1, 2, 3, 2000]) {
      const pieces = [...jsonReportChunks(results, size)];
      assert.equal(pieces.join(''), expected, `${name}, pieces of ${size}`);
      if (size === 1 && results.some((r) => r.findings.length)) assert.ok(pieces.length > 1, 'written in several pieces');
    }
    assert.deepEqual(JSON.parse([...jsonReportChunks(results)].join('')), reportObject(results));
  }
});
