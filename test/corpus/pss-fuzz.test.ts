import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { applyTextEdits } from '../../server/src/engine/fixes/applyEdits';
import { corpusFiles, hasCorpus } from '../support/corpus';
import { runOn } from '../unit/kubernetes/ruleTester';

/** A small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const REPLACEMENTS = ['', 'true', 'false', '0', '-1', '"x"', 'null', '{}', '[]', '~', '[ALL]', 'Unconfined', '{type: Unconfined}', '&a 1', '*a', "''"];

/** Half-typed edits of the kind an editor sees: values swapped, lines dropped or doubled, text cut short. */
function mutate(text: string, next: () => number): string {
  const lines = text.split('\n');
  const i = Math.floor(next() * lines.length);
  switch (Math.floor(next() * 4)) {
    case 0: {
      const m = /^(\s*-?\s*[\w.-]+:)\s*(.*)$/.exec(lines[i]);
      if (m) lines[i] = `${m[1]} ${REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)]}`;
      break;
    }
    case 1:
      lines.splice(i, 1);
      break;
    case 2:
      lines.splice(i, 0, lines[i]);
      break;
    default:
      return text.slice(0, Math.floor(next() * text.length));
  }
  return lines.join('\n');
}

describe('rule pack on mutated PSS fixtures', { skip: !hasCorpus() && 'no corpus' }, () => {
  const files = corpusFiles('pss', /\.yaml$/);
  for (const path of files) {
    test(`${path.includes('/restricted/') ? 'restricted' : 'baseline'}/${basename(path)}`, () => {
      const next = rng(files.indexOf(path) + 1);
      const original = readFileSync(path, 'utf8');
      for (let round = 0; round < 6; round++) {
        const text = mutate(original, next);
        const level = next() < 0.5 ? 'baseline' : 'restricted';
        const { findings, file } = runOn(text, { level });
        assert.ok(!findings.some((f) => f.code === 'k8s.rule-error'), `${text}\n${findings.map((f) => f.message).join('\n')}`);
        const lineCount = text.split('\n').length;
        for (const f of findings) {
          assert.ok(f.range.end.line < lineCount, `${f.code} range past the end`);
          for (const fix of f.fixes ?? []) {
            const after = applyTextEdits(text, fix.edits);
            if (file.problems.length) continue;
            const reparsed = runOn(after, { level }).file;
            assert.deepEqual(reparsed.problems.map((p) => p.message), [], `"${fix.title}" for ${f.code} breaks the YAML:\n--- before\n${text}\n--- after\n${after}`);
          }
        }
      }
    });
  }
});
