import type { ParsedFile } from '../../documents/parse';
import { rangeOfPath, valueAt, type JsonPath } from '../../documents/paths';
import type { Finding } from '../../types';
import type { TestEntry } from './testRunner';

/**
 * Findings on a Kyverno test file for the expectations the engine disagrees with, each on the resource name
 * of its `results` entry, so a run from the editor marks the wrong line and nothing else.
 */
export function testMismatchMarks(file: ParsedFile, entries: TestEntry[]): Finding[] {
  const doc = file.documents.find((d) => (d.value as { kind?: unknown } | undefined)?.kind === 'Test') ?? file.documents[0];
  if (!doc) return [];
  const out: Finding[] = [];
  for (const e of entries) {
    if (e.agrees) continue;
    const result = valueAt(doc.value, ['results', e.at.result]) as { resource?: unknown } | undefined;
    const single = typeof result?.resource === 'string';
    const path: JsonPath =
      single && e.at.name === 0 ? ['results', e.at.result, 'resource'] : ['results', e.at.result, 'resources', e.at.name - (single ? 1 : 0)];
    out.push({
      range: rangeOfPath(file, doc, path, 'value'),
      severity: 'error',
      code: 'kyverno.test-mismatch',
      message: `Expected ${e.expected || '(nothing)'} for ${e.kind || 'resource'} ${e.resource} (policy ${e.policy}${e.rule ? `, rule ${e.rule}` : ''}), the engine says ${e.actual}${e.reason ? `: ${e.reason}` : ''}`,
      controls: [],
      source: 'kyverno',
    });
  }
  return out;
}
