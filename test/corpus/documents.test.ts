import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { DocumentParser } from '../../server/src/engine/documents/parse';
import { rangeOfPath, type JsonPath } from '../../server/src/engine/documents/paths';
import { CORPUS_ROOT, corpusFiles, hasCorpus } from '../support/corpus';

/** Up to `limit` paths to leaves of a value, spread over the whole document. */
function leafPaths(value: unknown, limit: number): JsonPath[] {
  const out: JsonPath[] = [];
  const walk = (v: unknown, path: JsonPath) => {
    if (out.length >= limit * 20) return;
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, i]));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
    else out.push(path);
  };
  walk(value, []);
  const step = Math.max(1, Math.floor(out.length / limit));
  return out.filter((_, i) => i % step === 0);
}

test('every corpus file parses; every reported range lies inside its document; string leaves map to their text', () => {
  assert.ok(hasCorpus(), `the shared corpus is missing at ${CORPUS_ROOT}`);
  const files = corpusFiles('.', /\.(ya?ml|json)$/);
  assert.ok(files.length > 400, `expected the whole corpus, found ${files.length} files`);
  const parser = new DocumentParser({ maxFileSize: 64 * 1024 * 1024 });
  let checkedPaths = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const file = parser.parse(`file://${path}`, text);
    const name = relative(CORPUS_ROOT, path);
    const lastLine = file.lines.lineCount - 1;
    for (const p of file.problems) {
      assert.ok(p.range.start.line >= 0 && p.range.end.line <= lastLine, `${name}: problem outside the file`);
    }
    for (const doc of file.documents) {
      const docStart = file.lines.positionAt(doc.start).line;
      const docEnd = file.lines.positionAt(doc.end).line;
      for (const leaf of leafPaths(doc.value, 50)) {
        const r = rangeOfPath(file, doc, leaf, 'value');
        assert.ok(r.start.line >= docStart && r.end.line <= docEnd, `${name}: ${leaf.join('.')} outside its document`);
        const leafValue = leaf.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc.value);
        if (typeof leafValue === 'string' && leafValue.length > 0 && !leafValue.includes('\n') && !leafValue.includes('\\')) {
          const slice = text.slice(file.lines.offsetAt(r.start), file.lines.offsetAt(r.end));
          if (slice.includes('\\')) continue; // escapes: the source spells the value differently
          assert.ok(slice.includes(leafValue.slice(0, 20)) || /^[*&]/.test(slice), `${name}: ${leaf.join('.')} maps to ${JSON.stringify(slice.slice(0, 40))}, not ${JSON.stringify(leafValue.slice(0, 40))}`);
        }
        checkedPaths++;
      }
    }
  }
  assert.ok(checkedPaths > 10000);
});
