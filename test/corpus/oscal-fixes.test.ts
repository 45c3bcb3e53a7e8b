import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { stringify } from 'yaml';
import { applyEdits } from '../../server/src/engine/documents/applyEdits';
import { DocumentParser } from '../../server/src/engine/documents/parse';
import { analyzeOscalFile } from '../../server/src/engine/oscal/analyze';
import { applyMutation, generateMutations } from '../../scripts/oscal-mutations';
import { corpusFiles, hasCorpus } from '../support/corpus';

const skip = !hasCorpus() && 'corpus not available';

/**
 * Quick fixes on real documents in both syntaxes: remove a field or break a uuid, apply the offered fix,
 * and the finding is gone, nothing else broke, and every line the fix did not touch is unchanged.
 */
test('quick fixes mend mutated NIST examples in JSON and YAML without disturbing the rest', { skip }, () => {
  const files = corpusFiles('oscal/examples', /\.json$/).filter((f) => !f.includes('-min'));
  let applied = 0;
  files.forEach((f, fi) => {
    const doc = JSON.parse(readFileSync(f, 'utf8')) as unknown;
    const mutations = generateMutations(doc, 4, 500 + fi).filter((m) => m.kind === 'remove-field' || m.kind === 'bad-uuid' || m.kind === 'unknown-field');
    for (const m of mutations) {
      const mutated = applyMutation(doc, m);
      for (const [name, text] of [[`x.json`, JSON.stringify(mutated, null, 2)], [`x.yaml`, stringify(mutated, { lineWidth: 0 })]] as const) {
        const parser = new DocumentParser();
        const before = analyzeOscalFile(parser.parse(`file:///w/${name}`, text)).findings;
        const target = before.find((x) => x.fixes?.length && x.severity === 'error' && x.code !== 'oscal.unresolved-reference');
        if (!target) continue;
        const fix = target.fixes![target.fixes!.length - 1];
        const out = applyEdits(text, fix.edits).text;
        const after = new DocumentParser().parse(`file:///w/${name}`, out);
        assert.deepEqual(after.problems, [], `${f} ${m.description} ${name}: ${fix.title} leaves valid syntax`);
        const again = analyzeOscalFile(after).findings;
        const same = again.filter((x) => x.code === target.code && x.message === target.message);
        assert.equal(same.length, 0, `${f} ${m.description} ${name}: "${target.message}" mended by "${fix.title}"`);
        // Lines before the edit are untouched.
        const line = fix.edits[0].range.start.line;
        assert.deepEqual(out.split('\n').slice(0, line), text.split('\n').slice(0, line));
        applied++;
      }
    }
  });
  assert.ok(applied >= 40, `${applied} fixes applied`);
});
