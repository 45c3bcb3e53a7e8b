import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { analyzeOscalFile } from '../../../server/src/engine/oscal/analyze';
import { oscalCodeActions, oscalCompletions, oscalDefinition, oscalHover, oscalReferences, oscalSymbols } from '../../../server/src/engine/oscal';
import { corpusPath, hasCorpus } from '../../support/corpus';
import { parse } from './helpers';

const skip = !hasCorpus() && 'corpus not available';

/** Every feature at many positions of a text: none may throw, whatever the cursor is on. */
function exercise(text: string, name: string, step: number): number {
  const file = parse(text, name);
  const findings = analyzeOscalFile(file).findings;
  oscalSymbols(file);
  let calls = 0;
  for (let offset = 0; offset <= text.length; offset += step) {
    const position = file.lines.positionAt(offset);
    oscalHover(file, position);
    oscalDefinition(file, position);
    oscalReferences(file, position);
    oscalCompletions(file, position);
    oscalCodeActions(file, { start: position, end: position }, findings);
    calls++;
  }
  return calls;
}

test('editor features answer at every position of real documents, in JSON and YAML', { skip }, () => {
  for (const f of ['examples/ssp/yaml/ssp-example.yaml', 'examples/ssp/json/ssp-example.json', 'examples/ap/yaml/ifa_assessment-plan-example.yaml']) {
    const text = readFileSync(corpusPath('oscal', ...f.split('/')), 'utf8');
    assert.ok(exercise(text, f.split('/').pop() as string, 13) > 100);
  }
});

test('half-typed documents: every prefix of a document is analysed without a crash', { skip }, () => {
  const text = readFileSync(corpusPath('oscal', 'examples', 'component-definition', 'yaml', 'example-component.yaml'), 'utf8');
  for (let cut = 0; cut < text.length; cut += 97) {
    const partial = text.slice(0, cut);
    const file = parse(partial, 'partial.yaml');
    analyzeOscalFile(file);
    oscalCompletions(file, file.lines.positionAt(partial.length));
  }
  const json = readFileSync(corpusPath('oscal', 'examples', 'component-definition', 'json', 'example-component.json'), 'utf8');
  for (let cut = 0; cut < json.length; cut += 89) {
    const partial = json.slice(0, cut);
    const file = parse(partial, 'partial.json');
    analyzeOscalFile(file);
    oscalCompletions(file, file.lines.positionAt(partial.length));
  }
});

test('hostile values: odd types everywhere give findings, not exceptions', () => {
  const odd: unknown[] = [null, 0, -1, 1e308, true, '', ' ', '\u0000', [], {}, [[[]]], { uuid: {} }, 'x'.repeat(100000)];
  for (const v of odd) {
    const doc = { 'system-security-plan': { uuid: v, metadata: v, 'import-profile': v, 'system-characteristics': v, 'system-implementation': { components: [v, { uuid: v }], users: v }, 'control-implementation': { 'implemented-requirements': [v, { 'control-id': v, statements: v, 'set-parameters': [v] }] }, 'back-matter': { resources: v } } };
    const file = parse(JSON.stringify(doc), 'odd.json');
    const f = analyzeOscalFile(file).findings;
    assert.ok(f.length > 0);
    exercise(file.text.slice(0, 2000), 'odd.json', 37);
  }
});
