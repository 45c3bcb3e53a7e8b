import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { DocumentParser } from '../../server/src/engine/documents/parse';
import { analyzeGatekeeperFile, collectTemplates } from '../../server/src/engine/policy/gatekeeper';
import { corpusFiles, hasCorpus } from '../support/corpus';

test('the Gatekeeper library parses and checks with zero errors', { skip: !hasCorpus() && 'corpus not available' }, () => {
  const parser = new DocumentParser();
  const paths = corpusFiles('gatekeeper', /\.ya?ml$/);
  const files = paths.map((p) => parser.parse(pathToFileURL(p).href, readFileSync(p, 'utf8')));
  const { templates, rego } = collectTemplates(files);
  // Every template of the library defines a kind, and every Rego text in it was read.
  assert.ok(templates.size >= 19, `templates: ${templates.size}`);
  assert.ok(rego.length >= 40, `rego sources: ${rego.length}`);
  for (const mod of rego) assert.deepEqual(mod.problems, [], mod.source.label);
  // Positions of embedded Rego land on the same text in the YAML file.
  const byUri = new Map(files.map((f) => [f.uri, f.text]));
  let mapped = 0;
  for (const mod of rego) {
    const text = byUri.get(mod.source.uri)!;
    for (const rule of mod.module.rules) {
      const at = mod.source.toFile(rule.head.nameSpan.start);
      assert.equal(text.slice(at, at + rule.head.name.length), rule.head.name);
      mapped++;
    }
  }
  assert.ok(mapped > 200, `rules mapped: ${mapped}`);
  let constraints = 0;
  let suites = 0;
  const problems: string[] = [];
  files.forEach((file, i) => {
    const text = file.text;
    if (/^kind: Suite/m.test(text)) suites++;
    if (/apiVersion: constraints\.gatekeeper\.sh/.test(text)) constraints++;
    const result = analyzeGatekeeperFile(file, {
      templates,
      suiteFiles: (uri) => {
        const dir = dirname(paths[files.findIndex((f) => f.uri === uri)]);
        return { resolve: (rel) => resolve(dir, rel), exists: (p) => existsSync(p), read: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) };
      },
    });
    for (const f of result.findings) problems.push(`${paths[i]}:${f.range.start.line + 1}: ${f.severity} ${f.code} ${f.message}`);
  });
  assert.ok(constraints >= 19, `constraints: ${constraints}`);
  assert.ok(suites >= 19, `suites: ${suites}`);
  assert.deepEqual(problems, []);
});
