import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ALL_ANALYZERS, createEngine, Engine } from '../../server/src/engine';
import { corpusFiles } from '../support/corpus';

// The OSCAL analyser keys a catalog's findings on the catalog alone (nothing else is re-checked when other OSCAL
// files change): a catalog must then be checked alike with and without every other document around it.
const files = [...corpusFiles('oscal/examples', /\.(json|ya?ml)$/), ...corpusFiles('oscal/nist.gov/SP800-53/rev5/yaml', /PRIVACY/)];
const show = (f: { code: string; range: { start: { line: number; character: number } }; message: string }) => `${f.code}@${f.range.start.line}:${f.range.start.character} ${f.message}`;

test('catalogs are checked alike alone and among profiles, SSPs and assessments; edits elsewhere keep their findings cached', async () => {
  const oscalRuns: string[] = [];
  const analyzers = ALL_ANALYZERS.map((a) => (a.id === 'oscal' ? { ...a, analyze: (...args: Parameters<typeof a.analyze>) => (oscalRuns.push(args[0].file.uri), a.analyze(...args)) } : a));
  const all = new Engine({ analyzers, trusted: true });
  for (const path of files) all.setText(pathToFileURL(path).href, readFileSync(path, 'utf8'));
  const catalogs = all.workspace.uris().filter((u) => all.workspace.get(u)!.documents.some((d) => d.classification.family === 'oscal' && d.classification.type === 'catalog'));
  assert.ok(catalogs.length >= 3, `catalogs in the sample: ${catalogs.length}`);
  for (const uri of catalogs) {
    const alone = createEngine({ trusted: true });
    alone.setText(uri, all.workspace.get(uri)!.file.text);
    assert.deepEqual(all.diagnostics(uri).map(show), alone.diagnostics(uri).map(show), uri);
  }
  const before = new Map(catalogs.map((u) => [u, all.diagnostics(u).map(show)]));
  oscalRuns.length = 0;
  const profile = all.workspace.uris().find((u) => all.workspace.get(u)!.documents.some((d) => d.classification.type === 'profile'))!;
  const text = all.workspace.get(profile)!.file.text;
  all.setText(profile, text.replace(/title: (.*)/, 'title: $1 (edited)').replace(/"title": "/, '"title": "Edited '), 1);
  for (const uri of catalogs) assert.deepEqual(all.diagnostics(uri).map(show), before.get(uri), uri);
  assert.deepEqual(oscalRuns, [], 'no catalog was checked again for an edit of a profile');
  // The profile itself, and the documents that import, are checked again.
  all.diagnostics(profile);
  assert.deepEqual(oscalRuns, [profile]);
});
