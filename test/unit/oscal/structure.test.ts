import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseModelVersion } from '../../../server/src/engine/oscal/model/model';
import { codes, findings, minimalCatalog, parse, U } from './helpers';
import { analyzeOscalFile } from '../../../server/src/engine/oscal/analyze';
import { applyEdits } from '../../../server/src/engine/documents/applyEdits';

test('a minimal valid catalog (YAML and JSON) has no findings', () => {
  assert.deepEqual(codes(minimalCatalog()), []);
  const json = JSON.stringify({ catalog: { uuid: U.doc, metadata: { title: 'T', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.1.2' } } }, null, 2);
  assert.deepEqual(codes(json, 'c.json'), []);
});

test('a missing required field is reported on the object that lacks it, in plain words, with a skeleton fix', () => {
  const text = minimalCatalog().replace('    last-modified: 2024-01-31T12:00:00Z\n', '');
  const f = findings(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'oscal.missing-field');
  assert.equal(f[0].message, '`metadata` needs `last-modified`');
  assert.equal(f[0].range.start.line, 2); // the `metadata` key
  const fixed = applyEdits(text, f[0].fixes?.[0].edits ?? []).text;
  assert.match(fixed, /\n {4}oscal-version: 1.1.2\n {4}last-modified: \d{4}-\d\d-\d\dT[\d:.]+Z\n/);
  assert.deepEqual(codes(fixed), []);
});

test('an unknown field is reported at its key, with the nearest real name and rename/remove fixes', () => {
  const text = minimalCatalog('    publshed: 2024-01-31T12:00:00Z\n');
  const f = findings(text);
  assert.equal(f.length, 1);
  assert.equal(f[0].code, 'oscal.unknown-field');
  assert.equal(f[0].message, '`metadata` has no field `publshed`; did you mean `published`?');
  assert.deepEqual(f[0].fixes?.map((x) => x.title), ['Rename to `published`', 'Remove `publshed`']);
  assert.deepEqual(codes(applyEdits(text, f[0].fixes?.[0].edits ?? []).text), []);
  const removed = applyEdits(text, f[0].fixes?.[1].edits ?? []).text;
  assert.equal(removed, minimalCatalog());
  const g = findings(minimalCatalog('  metdata2: {}\n'));
  assert.equal(g[0].code, 'oscal.unknown-field');
});

test('wrong types, bad uuids and bad dates are reported on the value', () => {
  const wrongType = findings(minimalCatalog().replace('title: Test catalog', 'title: [a]'));
  assert.deepEqual(wrongType.map((f) => f.code), ['oscal.wrong-type']);
  assert.match(wrongType[0].message, /`title` must be .*not a list/);
  const number = findings(minimalCatalog().replace('version: "1.0"', 'version: 1.0'));
  assert.match(number[0].message, /quote it in YAML/);
  const uuid = findings(minimalCatalog().replace(`uuid: ${U.doc}`, 'uuid: abc-1234'));
  assert.equal(uuid[0].code, 'oscal.bad-format');
  assert.match(uuid[0].message, /`uuid` must be a UUID/);
  assert.equal(uuid[0].fixes?.[0].title, 'Replace with a fresh uuid');
  const date = findings(minimalCatalog().replace('2024-01-31T12:00:00Z', '2024-02-30T12:00:00Z'));
  assert.equal(date[0].code, 'oscal.bad-format');
  assert.match(date[0].message, /date and time with a time zone/);
  const noZone = findings(minimalCatalog().replace('2024-01-31T12:00:00Z', '2024-01-31T12:00:00'));
  assert.equal(noZone[0].code, 'oscal.bad-format');
});

test('closed allowed values are enforced, open ones (suggestions) are not', () => {
  const closed = minimalCatalog(`  params:
    - id: p1
      select:
        how-many: many
        choice: [a]
`);
  const f = findings(closed);
  assert.deepEqual(f.map((x) => x.code), ['oscal.not-allowed']);
  assert.match(f[0].message, /one of `one` or `one-or-more`, not `many`/);
  const open = minimalCatalog().replace('    oscal-version: 1.1.2\n', '    oscal-version: 1.1.2\n    links:\n      - href: https://x.org\n        rel: my-own-rel\n');
  assert.deepEqual(codes(open), []);
});

test('empty lists and conflicting forms are reported', () => {
  assert.deepEqual(codes(minimalCatalog('  controls: []\n')), ['oscal.empty-list']);
  const both = minimalCatalog(`  groups:
    - title: G
      groups:
        - title: inner
      controls:
        - id: c1
          title: C
`);
  const f = findings(both.replace('oscal-version: 1.1.2', 'oscal-version: 1.2.1'));
  assert.deepEqual(f.map((x) => x.code), ['oscal.conflicting-fields']);
  assert.match(f[0].message, /cannot have `groups` and `controls` together/);
});

test('a profile import needs include-all or include-controls', () => {
  const profile = `profile:
  uuid: ${U.doc}
  metadata: {title: P, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.2.1}
  imports:
    - href: catalog.json
`;
  const f = findings(profile);
  assert.deepEqual(f.map((x) => x.code), ['oscal.missing-field']);
  assert.match(f[0].message, /needs `include-all` or `include-controls`/);
  assert.deepEqual(codes(profile.replace('href: catalog.json', 'href: catalog.json\n      include-all: {}')), []);
});

test('oscal-version picks the model; an unsupported version is said once', () => {
  assert.deepEqual(chooseModelVersion('1.0.4'), { model: '1.1.2', supported: true });
  assert.deepEqual(chooseModelVersion('1.1.3'), { model: '1.1.3', supported: true });
  assert.deepEqual(chooseModelVersion('1.2.0'), { model: '1.2.1', supported: true });
  assert.equal(chooseModelVersion('2.0.0').supported, false);
  const f = findings(minimalCatalog().replace('oscal-version: 1.1.2', 'oscal-version: 3.0.0'));
  assert.deepEqual(f.map((x) => x.code), ['oscal.unsupported-version']);
  assert.equal(f[0].severity, 'warning');
});

test('mapping-collection exists only from 1.2 on', () => {
  const mapping = `mapping-collection:
  uuid: ${U.doc}
  metadata: {title: M, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.2.1}
  provenance:
    method: human
    matching-rationale: semantic
    status: draft
    mapping-description: x
  mappings:
    - uuid: ${U.req}
      source-resource: {type: catalog, href: a.json}
      target-resource: {type: catalog, href: b.json}
      maps:
        - uuid: ${U.ci}
          relationship: equivalent-to
          sources: [{type: control, id-ref: ac-1}]
          targets: [{type: control, id-ref: ac-2}]
`;
  assert.deepEqual(codes(mapping), []);
  assert.ok(codes(mapping.replace('method: human', 'method: robot')).includes('oscal.not-allowed'));
});

test('top-level stray keys and $schema', () => {
  assert.deepEqual(codes(`$schema: https://x.org/s.json\n${minimalCatalog()}`), []);
  assert.deepEqual(codes(`extra: 1\n${minimalCatalog()}`), ['oscal.unknown-field']);
});

test('hostile input: deep nesting, huge lists and non-objects give findings, not crashes', () => {
  const nested = (levels: number): string => {
    let deep = '{}';
    for (let i = 0; i < levels; i++) deep = `{"parts":[${deep.replace(/^\{/, '{"name":"x",')}]}`;
    return `{"catalog":{"uuid":"${U.doc}","metadata":{"title":"T","last-modified":"2024-01-31T12:00:00Z","version":"1","oscal-version":"1.1.2"},"controls":[{"id":"c","title":"C","parts":[${deep}]}]}}`;
  };
  const started = Date.now();
  const f = analyzeOscalFile(parse(nested(120), 'deep.json')).findings;
  assert.ok(Date.now() - started < 2000);
  assert.ok(f.some((x) => /nested too deeply/.test(x.message)), 'the walk stops with a finding');
  const deeper = parse(nested(400), 'deeper.json');
  assert.deepEqual(analyzeOscalFile(deeper).findings, []);
  assert.ok(deeper.problems.length > 0, 'the parser itself reports what it would not read');
  const many = { catalog: { uuid: U.doc, metadata: { title: 'T', 'last-modified': 'x', version: '1', 'oscal-version': '1.1.2' }, controls: Array.from({ length: 3000 }, () => ({ id: 1 })) } };
  const g = analyzeOscalFile(parse(JSON.stringify(many), 'many.json')).findings;
  assert.ok(g.length <= 1100, `${g.length} findings`);
  assert.deepEqual(codes('catalog: 5'), []); // not an OSCAL document at all
  assert.deepEqual(codes('catalog:\n  metadata: [1, 2]\n').sort(), ['oscal.missing-field', 'oscal.wrong-type']);
});

test('list items are named by their id, title or uuid in messages', () => {
  const f = findings(minimalCatalog('  controls:\n    - id: ac-2\n      tittle: x\n    - class: c\n'));
  assert.deepEqual(f.map((x) => x.message).sort(), [
    'control `ac-2` has no field `tittle`; did you mean `title`?',
    'control `ac-2` needs `title`',
    'item 2 of `controls` needs `id`',
    'item 2 of `controls` needs `title`',
  ]);
});

test('the hint to quote a value is given in YAML only', () => {
  const json = JSON.stringify({ catalog: { uuid: U.doc, metadata: { title: 'T', 'last-modified': '2024-01-31T12:00:00Z', version: 1, 'oscal-version': '1.1.2' } } });
  assert.equal(findings(json, 'c.json')[0].message, '`version` must be text, not a whole number');
  assert.match(findings(minimalCatalog().replace('version: "1.0"', 'version: 1'))[0].message, /not a whole number \(quote it in YAML\)$/);
});
