import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdits } from '../../../server/src/engine/documents/applyEdits';
import { oscalCodeActions, oscalCompletions, oscalDefinition, oscalHover, oscalReferences, oscalSymbols } from '../../../server/src/engine/oscal';
import { parse, positionOf, U } from './helpers';

const yamlSsp = `system-security-plan:
  uuid: ${U.doc}
  metadata:
    title: S
    last-modified: 2024-01-31T12:00:00Z
    version: "1"
    oscal-version: 1.1.2
    roles:
      - id: admin
        title: Administrator
    parties:
      - uuid: ${U.party}
        type: person
        name: Ann Example
  system-implementation:
    components:
      - uuid: ${U.comp}
        type: this-system
        title: The system
        description: d
        status: {state: operational}
        responsible-roles:
          - role-id: admin
            party-uuids: [${U.party}]
  control-implementation:
    description: d
    implemented-requirements:
      - uuid: ${U.req}
        control-id: ac-2
        set-parameters:
          - param-id: ac-2_prm_1
            values: [x]
        by-components:
          - component-uuid: ${U.comp}
            uuid: ${U.ci}
            description: d
`;

test('hover on a uuid reference says what it points to; on a definition, how often it is used', () => {
  const file = parse(yamlSsp, 'ssp.yaml');
  const h = oscalHover(file, positionOf(yamlSsp, `party-uuids: [${U.party}`, 20));
  assert.ok(h);
  assert.match(h.markdown, /\*\*party\*\* "Ann Example"/);
  assert.match(h.markdown, /type: `person`/);
  const d = oscalHover(file, positionOf(yamlSsp, `uuid: ${U.comp}`, 10));
  assert.ok(d);
  assert.match(d.markdown, /\*\*component\*\* "The system"/);
  assert.match(d.markdown, /referenced 1 time/);
  assert.equal(oscalHover(file, positionOf(yamlSsp, 'description: d', 15)), undefined);
});

test('go to definition and find references for uuids and role ids', () => {
  const file = parse(yamlSsp, 'ssp.yaml');
  const defs = oscalDefinition(file, positionOf(yamlSsp, `component-uuid: ${U.comp}`, 20));
  assert.equal(defs.length, 1);
  assert.equal(defs[0].range?.start.line, 16);
  const role = oscalDefinition(file, positionOf(yamlSsp, 'role-id: admin', 10));
  assert.equal(role[0].range?.start.line, 8);
  const refs = oscalReferences(file, positionOf(yamlSsp, `uuid: ${U.party}`, 8));
  assert.deepEqual(refs.map((r) => r.range?.start.line), [11, 23]);
});

test('hover and navigation on parameter ids use the catalog a document defines', () => {
  const catalogText = JSON.stringify({ catalog: { uuid: U.doc, metadata: { title: 'T', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.1.2' }, controls: [{ id: 'c-1', title: 'C', params: [{ id: 'c-1_prm_1', label: 'frequency', values: ['daily'] }] }] } }, null, 2);
  const file = parse(catalogText, 'c.json');
  const h = oscalHover(file, positionOf(catalogText, '"c-1_prm_1"', 3));
  assert.ok(h);
  assert.match(h.markdown, /label: frequency/);
  assert.match(h.markdown, /values: `daily`/);
});

test('completion: references of the right kind, allowed values, field names, a fresh uuid', () => {
  const file = parse(yamlSsp, 'ssp.yaml');
  const refs = oscalCompletions(file, positionOf(yamlSsp, `component-uuid: ${U.comp}`, 20));
  assert.deepEqual(refs.map((c) => c.label), [U.comp]);
  assert.match(refs[0].detail ?? '', /component: The system/);
  const roles = oscalCompletions(file, positionOf(yamlSsp, 'role-id: admin', 11));
  assert.deepEqual(roles.map((c) => c.label), ['admin']);
  const type = oscalCompletions(file, positionOf(yamlSsp, 'type: person', 7));
  assert.deepEqual(type.map((c) => c.label), ['person', 'organization']);
  const uuid = oscalCompletions(file, positionOf(yamlSsp, `uuid: ${U.req}`, 8));
  assert.equal(uuid[0].label, 'fresh uuid');
  assert.match(uuid[0].insertText, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  const typing = yamlSsp.replace('    version: "1"\n', '    version: "1"\n    pub\n');
  const fields = oscalCompletions(parse(typing, 'ssp.yaml'), positionOf(typing, '    pub\n', 7));
  assert.ok(fields.some((c) => c.label === 'published'));
  assert.ok(!fields.some((c) => c.label === 'title'), 'fields already present are not offered');
});

test('outline: sections, components, requirements by control', () => {
  const symbols = oscalSymbols(parse(yamlSsp, 'ssp.yaml'));
  assert.equal(symbols[0].name, 'system-security-plan');
  const names = JSON.stringify(symbols);
  assert.match(names, /"name":"The system"/);
  assert.match(names, /"name":"AC-2"/);
});

test('code actions: last-modified to now keeps the style; fixes of findings at the range', () => {
  const file = parse(yamlSsp, 'ssp.yaml');
  const now = new Date('2025-05-06T07:08:09.000Z');
  const actions = oscalCodeActions(file, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }, [], { now: () => now });
  const lm = actions.find((a) => a.title === 'Set last-modified to now');
  assert.ok(lm);
  assert.equal(applyEdits(yamlSsp, lm.edits).text, yamlSsp.replace('2024-01-31T12:00:00Z', '2025-05-06T07:08:09.000Z'));
  const json = JSON.stringify({ catalog: { uuid: U.doc, metadata: { title: 'T', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.1.2' } } }, null, 4);
  const j = oscalCodeActions(parse(json, 'c.json'), { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, [], { now: () => now });
  assert.equal(applyEdits(json, j[0].edits).text, json.replace('2024-01-31T12:00:00Z', '2025-05-06T07:08:09.000Z'));
});

test('completion on an empty or half-typed value, in YAML and JSON', () => {
  const empty = yamlSsp.replace('type: person', 'type: ');
  assert.deepEqual(oscalCompletions(parse(empty, 'ssp.yaml'), positionOf(empty, 'type: \n', 6)).map((c) => c.label), ['person', 'organization']);
  const half = yamlSsp.replace('type: person', 'type: org');
  assert.deepEqual(oscalCompletions(parse(half, 'ssp.yaml'), positionOf(half, 'type: org', 9)).map((c) => c.label), ['person', 'organization']);
  const json = `{"catalog": {"uuid": "${U.doc}", "metadata": {"title": "T", "last-modified": "", "version": "1", "oscal-version": "1.1.2"}}}`;
  const now = oscalCompletions(parse(json, 'c.json'), positionOf(json, '"last-modified": ""', 18));
  assert.equal(now[0].label, 'now');
  assert.match(now[0].insertText, /^"\d{4}-\d\d-\d\dT[\d:.]+Z"$/);
});
