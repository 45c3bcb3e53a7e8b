import assert from 'node:assert/strict';
import { test } from 'node:test';
import { familyOnlyDirectory } from '../../../server/src/engine/controls/builtinDirectory';
import { ControlRegistry } from '../../../server/src/engine/controls/registry';
import { catalogResolutionAnalyzer } from '../../../server/src/engine/controls/resolutionAnalyzer';
import { Engine } from '../../../server/src/engine/engine';
import { createOscalAnalyzer, oscalAnalyzer } from '../../../server/src/engine/oscal/analyzer';
import { corpusPath, hasCorpus } from '../../support/corpus';
import { positionOf, U } from './helpers';

const catalogJson = JSON.stringify(
  {
    catalog: {
      uuid: U.doc,
      metadata: { title: 'Mini', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.1.2' },
      controls: [
        {
          id: 'ac-2',
          title: 'Account Management',
          params: [{ id: 'ac-2_prm_1', label: 'time period' }],
          parts: [{ id: 'ac-2_smt', name: 'statement', prose: 'Review accounts every {{ insert: param, ac-2_prm_1 }}.' }],
        },
      ],
    },
  },
  null,
  2,
);

const ssp = (id: string): string => `system-security-plan:
  uuid: ${U.doc}
  metadata: {title: S, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  import-profile: {href: catalog.json}
  system-characteristics:
    system-ids: [{id: s1}]
    system-name: S
    description: d
    system-information:
      information-types: [{title: t, description: d}]
    status: {state: operational}
    authorization-boundary: {description: d}
  system-implementation:
    users: [{uuid: ${U.party2}}]
    components:
      - {uuid: ${U.comp}, type: this-system, title: Sys, description: d, status: {state: operational}}
  control-implementation:
    description: d
    implemented-requirements:
      - uuid: ${U.req}
        control-id: ${id}
        set-parameters:
          - {param-id: ac-2_prm_1, values: [x]}
`;

function engine(): { engine: Engine; registry: ControlRegistry } {
  const registry = new ControlRegistry({ builtin: false });
  const e = new Engine({ analyzers: [createOscalAnalyzer({ registry: () => registry })], controls: familyOnlyDirectory, settings: {} });
  e.setText('file:///w/catalog.json', catalogJson);
  registry.setDocument('file:///w/catalog.json', JSON.parse(catalogJson));
  return { engine: e, registry };
}

test('in the engine: control ids are checked through the controls registry', () => {
  const { engine: e } = engine();
  e.setText('file:///w/ssp.yaml', ssp('ac-2'));
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((f) => f.code), []);
  e.setText('file:///w/ssp.yaml', ssp('ac-3'), 1);
  const f = e.diagnostics('file:///w/ssp.yaml');
  assert.deepEqual(f.map((x) => x.code), ['oscal.unknown-control']);
  assert.equal(f[0].source, 'oscal');
});

test('in the engine: go to a parameter definition in the imported catalog, outline, completion', () => {
  const { engine: e } = engine();
  const text = ssp('ac-2');
  e.setText('file:///w/ssp.yaml', text);
  const defs = e.definition('file:///w/ssp.yaml', positionOf(text, 'param-id: ac-2_prm_1', 12));
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, 'file:///w/catalog.json');
  assert.equal(catalogJson.split('\n')[defs[0].range.start.line].trim(), '"id": "ac-2_prm_1",');
  const hover = e.hover('file:///w/ssp.yaml', positionOf(text, 'param-id: ac-2_prm_1', 12));
  assert.match(hover?.markdown ?? '', /label: time period/);
  const controls = e.completion('file:///w/ssp.yaml', positionOf(text, 'control-id: ac-2', 13));
  assert.ok(controls.some((c) => c.label === 'ac-2' && /Account Management/.test(c.detail ?? '')));
  assert.ok(e.symbols('file:///w/ssp.yaml').length > 0);
});

test('in the engine: the official schema named in settings adds its verdicts', { skip: !hasCorpus() && 'corpus not available' }, () => {
  const e = new Engine({ analyzers: [createOscalAnalyzer()], controls: familyOnlyDirectory, settings: { oscalSchemaPath: corpusPath('oscal', 'schemas') } });
  e.setText('file:///w/ssp.yaml', ssp('ac-2'));
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((f) => f.code), []);
  e.setText('file:///w/ssp.yaml', ssp('ac-2').replace('system-name: S', 'system-name: S\n    remark: x'), 1);
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((f) => f.code), ['oscal.unknown-field']);
});

test('in the engine: hover on a control id shows its statement with the values the SSP sets', () => {
  const { engine: e } = engine();
  const text = ssp('ac-2');
  e.setText('file:///w/ssp.yaml', text);
  const hover = e.hover('file:///w/ssp.yaml', positionOf(text, 'control-id: ac-2', 13));
  assert.ok(hover);
  assert.match(hover.markdown, /Review accounts every x\./);
  assert.match(hover.markdown, /with the values this document sets/);
  e.setText('file:///w/ssp.yaml', text.replace('values: [x]', 'values: [y]'), 1);
  assert.match(e.hover('file:///w/ssp.yaml', positionOf(text, 'control-id: ac-2', 13))?.markdown ?? '', /every y\./);
});

test('in the engine: go to definition of a control id (into the catalog) and of an import href', () => {
  const { engine: e } = engine();
  const text = ssp('ac-2');
  e.setText('file:///w/ssp.yaml', text);
  const defs = e.definition('file:///w/ssp.yaml', positionOf(text, 'control-id: ac-2', 13));
  assert.equal(defs.length, 1);
  assert.equal(defs[0].uri, 'file:///w/catalog.json');
  assert.equal(catalogJson.split('\n')[defs[0].range.start.line].trim(), '"id": "ac-2",');
  const href = e.definition('file:///w/ssp.yaml', positionOf(text, 'href: catalog.json', 8));
  assert.deepEqual(href.map((d) => d.uri), ['file:///w/catalog.json']);
});

test('in the engine as shipped: the workspace catalog reaches the OSCAL checks through the engine registry', () => {
  const e = new Engine({ analyzers: [oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  e.setText('file:///w/catalog.json', catalogJson);
  e.setText('file:///w/ssp.yaml', ssp('ac-3'));
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((x) => x.code), ['oscal.unknown-control']);
  e.setText('file:///w/ssp.yaml', ssp('ac-2'), 1);
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((x) => x.code), []);
  // The catalog changes under the SSP: its findings follow.
  e.setText('file:///w/catalog.json', catalogJson.replace('"id": "ac-2"', '"id": "ac-9"'), 1);
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((x) => x.code), ['oscal.unknown-control']);
});

test('in the engine: an unknown with-id of a profile is reported once (by profile resolution), not twice', () => {
  const e = new Engine({ analyzers: [catalogResolutionAnalyzer, oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  e.setText('file:///w/catalog.json', catalogJson);
  const profile = `profile:
  uuid: ${U.doc}
  metadata: {title: P, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  imports:
    - href: catalog.json
      include-controls:
        - with-ids: [ac-2, ac-77]
`;
  e.setText('file:///w/profile.yaml', profile);
  const f = e.diagnostics('file:///w/profile.yaml').filter((x) => x.code === 'oscal.unknown-control');
  assert.equal(f.length, 1);
  assert.equal(f[0].range.start.line, 6);
});

test('in the engine: a profile import pointing at a missing back-matter resource is reported once', () => {
  const e = new Engine({ analyzers: [catalogResolutionAnalyzer, oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  const profile = `profile:
  uuid: ${U.doc}
  metadata: {title: P, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  imports:
    - href: "#${U.res}"
      include-all: {}
`;
  e.setText('file:///w/profile.yaml', profile);
  const f = e.diagnostics('file:///w/profile.yaml').filter((x) => x.code === 'oscal.unresolved-reference');
  assert.equal(f.length, 1);
  assert.equal(f[0].range.start.line, 4);
});

test('in the engine: a profile whose catalog cannot be read does not make real control ids look unknown', () => {
  const e = new Engine({ analyzers: [oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  e.setText('file:///w/profile.yaml', `profile:
  uuid: ${U.doc}
  metadata: {title: P, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  imports:
    - href: missing-catalog.json
      include-all: {}
`);
  e.setText('file:///w/ssp.yaml', ssp('ac-3').replace('href: catalog.json', 'href: profile.yaml'));
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((x) => x.code), []);
  e.setText('file:///w/missing-catalog.json', catalogJson);
  // Now the baseline is whole: ac-3 is not in it, and its ac-2 is not implemented.
  assert.deepEqual(e.diagnostics('file:///w/ssp.yaml').map((x) => x.code).sort(), ['oscal.uncovered-controls', 'oscal.unknown-control']);
});

test('in the engine: a document with a `$schema` key beside its model is OSCAL too', () => {
  const e = new Engine({ analyzers: [oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  const doc = JSON.parse(catalogJson) as { catalog: { metadata: Record<string, unknown> } };
  delete doc.catalog.metadata.version;
  e.setText('file:///w/c.json', JSON.stringify({ $schema: 'https://example.com/oscal_catalog_schema.json', ...doc }, null, 2));
  assert.deepEqual(e.diagnostics('file:///w/c.json').map((x) => x.message), ['`metadata` needs `version`']);
});
