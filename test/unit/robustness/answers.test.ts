import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';

// Completion ranges the fuzz test caught analysers handing out (OSCAL values spanning lines in a broken
// document, Rego embedded in YAML with the cursor in the indentation): editors reject them and lose the item.
const sloppy: FileAnalyzer = {
  id: 'sloppy-completion',
  families: ['kubernetes'],
  analyze: () => [],
  completion: () => [
    { label: 'spans-lines', kind: 'value', range: { start: { line: 1, character: 2 }, end: { line: 2, character: 3 } } },
    { label: 'beside-cursor', kind: 'keyword', range: { start: { line: 2, character: 8 }, end: { line: 2, character: 8 } } },
    { label: 'holds-cursor', kind: 'value', range: { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } } },
    { label: 'no-range', kind: 'value' },
  ],
};

test('completion answers keep only replace ranges an editor accepts: one line, holding the cursor', () => {
  const engine = new Engine({ analyzers: [sloppy] });
  const uri = 'file:///c.yaml';
  engine.setText(uri, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 1);
  const answers = engine.completion(uri, { line: 2, character: 4 });
  const byLabel = new Map(answers.map((a) => [a.label, a]));
  assert.deepEqual([...byLabel.keys()], ['spans-lines', 'beside-cursor', 'holds-cursor', 'no-range']);
  assert.equal(byLabel.get('spans-lines')!.range, undefined);
  assert.equal(byLabel.get('beside-cursor')!.range, undefined);
  assert.deepEqual(byLabel.get('holds-cursor')!.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 6 } });
  assert.equal(byLabel.get('no-range')!.range, undefined);
  // A position past the line's end is the line's end: a range ending there holds it.
  const atEnd = engine.completion(uri, { line: 1, character: 99 });
  assert.equal(atEnd.find((a) => a.label === 'spans-lines')!.range, undefined);
});

test('document symbols always have a name: an empty key shows as ""', () => {
  const unnamed: FileAnalyzer = {
    id: 'unnamed-symbols',
    families: ['kubernetes'],
    analyze: () => [],
    symbols: (entry) => {
      const whole = entry.file.lines.range(0, entry.file.text.length);
      return [{ name: 'ConfigMap x', kind: 'object', range: whole, selectionRange: whole, children: [{ name: '', kind: 'key', range: whole, selectionRange: whole }] }];
    },
  };
  const engine = new Engine({ analyzers: [unnamed] });
  engine.setText('file:///s.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"": 1\n', 1);
  const [top] = engine.symbols('file:///s.yaml');
  assert.equal(top.name, 'ConfigMap x');
  assert.equal(top.children![0].name, '""');
});
