import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCatalog } from '../../../server/src/engine/controls/catalog';
import { applyEdits } from '../../../server/src/engine/documents/applyEdits';
import type { OscalEnvironment } from '../../../server/src/engine/oscal/analyze';
import { codes, findings, U } from './helpers';

const catalog = loadCatalog(
  {
    catalog: {
      uuid: U.doc,
      metadata: { title: 'Mini', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.1.2' },
      groups: [
        {
          id: 'ac',
          title: 'Access Control',
          controls: [
            {
              id: 'ac-2',
              title: 'Account Management',
              params: [{ id: 'ac-02_odp.01', label: 'prerequisites', props: [{ name: 'alt-identifier', value: 'ac-2_prm_1' }] }],
              parts: [{ id: 'ac-2_smt', name: 'statement', parts: [{ id: 'ac-2_smt.a', name: 'item' }] }],
              controls: [{ id: 'ac-2.1', title: 'Automated Account Management' }],
            },
          ],
        },
      ],
    },
  },
  'file:///w/catalog.json',
);

const env: OscalEnvironment = { controls: (s) => (s.href.endsWith('catalog.json') || s.href === `#${U.res}` ? catalog : undefined) };

function ssp(reqs: string, extra = ''): string {
  return `system-security-plan:
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
        name: Ann
  import-profile:
    href: catalog.json
  system-characteristics:
    system-ids: [{id: s1}]
    system-name: S
    description: d
    system-information:
      information-types:
        - title: t
          description: d
    status: {state: operational}
    authorization-boundary: {description: d}
  system-implementation:
    users:
      - uuid: ${U.party2}
        role-ids: [admin]
    components:
      - uuid: ${U.comp}
        type: this-system
        title: The system
        description: d
        status: {state: operational}
        responsible-roles:
          - role-id: admin
            party-uuids: [${U.party}]
${extra}  control-implementation:
    description: d
    implemented-requirements:
${reqs}`;
}

const goodReq = `      - uuid: ${U.req}
        control-id: ac-2
        set-parameters:
          - param-id: ac-2_prm_1
            values: [x]
        statements:
          - statement-id: ac-2_smt.a
            uuid: ${U.ci}
        by-components:
          - component-uuid: ${U.comp}
            uuid: 66666666-7777-4888-8999-aaaaaaaaaaaa
            description: d
`;

test('a consistent SSP has no findings, with the controls of its profile in play', () => {
  assert.deepEqual(codes(ssp(goodReq), 'ssp.yaml', env), []);
});

test('unresolved uuid and role references are errors; a uuid of the wrong kind is a warning', () => {
  const bad = ssp(goodReq.replace(`component-uuid: ${U.comp}`, `component-uuid: ${U.party}`)).replace('role-ids: [admin]', 'role-ids: [operator]');
  const f = findings(bad, 'ssp.yaml', env);
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`).sort(), ['oscal.unresolved-reference/error', 'oscal.unresolved-reference/warning']);
  assert.ok(f.some((x) => x.message === 'No role with id `operator` is defined in `metadata.roles`'));
  assert.ok(f.some((x) => /is the uuid of a party, not of a component/.test(x.message)));
  const missing = findings(ssp(goodReq.replace(`component-uuid: ${U.comp}`, 'component-uuid: 99999999-7777-4888-8999-aaaaaaaaaaaa')), 'ssp.yaml', env);
  assert.deepEqual(missing.map((x) => x.message), ['No component with uuid `99999999-7777-4888-8999-aaaaaaaaaaaa` is defined']);
});

test('back-matter #uuid hrefs must resolve', () => {
  const withLink = ssp(goodReq).replace('        status: {state: operational}\n        responsible', `        status: {state: operational}\n        links:\n          - href: "#${U.res}"\n        responsible`);
  assert.deepEqual(codes(withLink, 'ssp.yaml', env), ['oscal.unresolved-reference']);
  assert.deepEqual(codes(`${withLink}  back-matter:\n    resources:\n      - uuid: ${U.res}\n        title: R\n`.replace('  back-matter', '  back-matter').replace(/\n {2}control-implementation:/, '\n  control-implementation:'), 'ssp.yaml', env), []);
});

test('duplicate uuids: an error among referenced objects, a warning elsewhere, with a fresh-uuid fix', () => {
  const dup = ssp(goodReq).replace(`uuid: ${U.party2}`, `uuid: ${U.comp}`);
  const f = findings(dup, 'ssp.yaml', env);
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`), ['oscal.duplicate-uuid/error']);
  const fixed = applyEdits(dup, f[0].fixes?.[0].edits ?? []).text;
  assert.deepEqual(codes(fixed, 'ssp.yaml', env), []);
  const stmt = ssp(goodReq.replace(`uuid: ${U.ci}`, `uuid: ${U.req}`));
  assert.deepEqual(findings(stmt, 'ssp.yaml', env).map((x) => `${x.code}/${x.severity}`), ['oscal.duplicate-uuid/warning']);
});

test('control, statement and parameter ids are checked against the imported controls', () => {
  const f = findings(ssp(goodReq.replace('control-id: ac-2', 'control-id: ac-3')), 'ssp.yaml', env);
  assert.deepEqual(f.map((x) => x.code), ['oscal.unknown-control']);
  assert.match(f[0].message, /`ac-3` is not a control of "Mini"; did you mean `ac-2`\?/);
  assert.deepEqual(f[0].controls, ['ac-3']);
  const nist = findings(ssp(goodReq.replace('control-id: ac-2', 'control-id: AC-2')), 'ssp.yaml', env);
  assert.equal(nist[0].message, 'Control ids are written `ac-2` in OSCAL, not `AC-2`');
  const text = ssp(goodReq.replace('control-id: ac-2', 'control-id: AC-2'));
  assert.deepEqual(codes(applyEdits(text, nist[0].fixes?.[0].edits ?? []).text, 'ssp.yaml', env), []);
  assert.deepEqual(codes(ssp(goodReq.replace('ac-2_smt.a', 'ac-2_smt.z')), 'ssp.yaml', env), ['oscal.unknown-statement']);
  assert.deepEqual(codes(ssp(goodReq.replace('param-id: ac-2_prm_1', 'param-id: ac-2_prm_7')), 'ssp.yaml', env), ['oscal.unknown-parameter']);
  assert.deepEqual(codes(ssp(goodReq.replace('param-id: ac-2_prm_1', 'param-id: ac-02_odp.01')), 'ssp.yaml', env), []);
  // Without the controls in play nothing is claimed about them.
  assert.deepEqual(codes(ssp(goodReq.replace('control-id: ac-2', 'control-id: ac-3')), 'ssp.yaml'), []);
});

test('one implemented requirement per control', () => {
  const twice = goodReq + goodReq.replace(U.req, '77777777-7777-4888-8999-aaaaaaaaaaaa').replace(U.ci, '88888888-7777-4888-8999-aaaaaaaaaaaa').replace('66666666-7777', '99999999-7777');
  assert.deepEqual(codes(ssp(twice), 'ssp.yaml', env), ['oscal.duplicate-requirement']);
});

test("a profile's with-ids and set-parameters must exist in its imports", () => {
  const profile = (ids: string, param: string): string => `profile:
  uuid: ${U.doc}
  metadata: {title: P, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  imports:
    - href: catalog.json
      include-controls:
        - with-ids: [${ids}]
  modify:
    set-parameters:
      - param-id: ${param}
        values: [v]
`;
  assert.deepEqual(codes(profile('ac-2, ac-2.1', 'ac-02_odp.01'), 'p.yaml', env), []);
  assert.deepEqual(codes(profile('ac-2, ac-2.9', 'ac-02_odp.01'), 'p.yaml', env), ['oscal.unknown-control']);
  assert.deepEqual(codes(profile('ac-2', 'zz-1_prm_1'), 'p.yaml', env), ['oscal.unknown-parameter']);
});

test('component definitions: controls per source; roles the consuming SSP defines are only warnings', () => {
  const cd = (id: string): string => `component-definition:
  uuid: ${U.doc}
  metadata: {title: C, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  components:
    - uuid: ${U.comp}
      type: software
      title: app
      description: d
      responsible-roles:
        - role-id: provider
      control-implementations:
        - uuid: ${U.ci}
          source: "#${U.res}"
          description: d
          implemented-requirements:
            - uuid: ${U.req}
              control-id: ${id}
              description: d
  back-matter:
    resources:
      - uuid: ${U.res}
        rlinks: [{href: catalog.json}]
`;
  assert.deepEqual(findings(cd('ac-2.1'), 'cd.yaml', env).map((x) => `${x.code}/${x.severity}`), ['oscal.unresolved-reference/warning']);
  assert.ok(codes(cd('ac-9'), 'cd.yaml', env).includes('oscal.unknown-control'));
});

test('assessment documents: references into an unreadable imported SSP are not claimed broken', () => {
  const ap = `assessment-plan:
  uuid: ${U.doc}
  metadata: {title: A, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  import-ssp: {href: ssp.yaml}
  reviewed-controls:
    control-selections:
      - include-all: {}
  assessment-subjects:
    - type: component
      include-subjects:
        - type: component
          subject-uuid: ${U.comp}
`;
  assert.deepEqual(codes(ap, 'ap.yaml'), []);
  const sspValue = { 'system-security-plan': { uuid: U.doc, system_implementation: {}, 'system-implementation': { components: [{ uuid: U.party, title: 'other' }] } } };
  const withSsp: OscalEnvironment = { loadDocument: () => ({ uri: 'file:///w/ssp.yaml', value: sspValue }) };
  assert.deepEqual(codes(ap, 'ap.yaml', withSsp), ['oscal.unresolved-reference']);
  const good = { 'system-security-plan': { uuid: U.doc, 'system-implementation': { components: [{ uuid: U.comp, title: 'mine' }] } } };
  assert.deepEqual(codes(ap, 'ap.yaml', { loadDocument: () => ({ uri: 'file:///w/ssp.yaml', value: good }) }), []);
});

test('assessment plans check their control ids through the imported SSP and its profile', () => {
  const sspValue = {
    'system-security-plan': {
      uuid: U.doc,
      'import-profile': { href: 'catalog.json' },
      'system-implementation': { components: [{ uuid: U.comp, title: 'mine' }] },
    },
  };
  const ap = (id: string, statement: string): string => `assessment-plan:
  uuid: ${U.doc}
  metadata: {title: A, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  import-ssp: {href: ssp.json}
  reviewed-controls:
    control-selections:
      - include-controls:
          - control-id: ${id}
            statement-ids: [${statement}]
`;
  const apEnv: OscalEnvironment = { ...env, loadDocument: () => ({ uri: 'file:///w/ssp.json', value: sspValue }) };
  assert.deepEqual(codes(ap('ac-2', 'ac-2_smt.a'), 'ap.yaml', apEnv), []);
  assert.deepEqual(codes(ap('ac-7', 'ac-2_smt.a'), 'ap.yaml', apEnv), ['oscal.unknown-control']);
  assert.deepEqual(codes(ap('ac-2', 'ac-2_smt.q'), 'ap.yaml', apEnv), ['oscal.unknown-statement']);
});

test('controls a baseline selects but an SSP does not implement: information, with a fix that adds them', () => {
  const baseline = { ...catalog, kind: 'profile' as const };
  const profileEnv: OscalEnvironment = { controls: () => baseline };
  const text = ssp(goodReq);
  const f = findings(text, 'ssp.yaml', profileEnv);
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`), ['oscal.uncovered-controls/information']);
  assert.match(f[0].message, /1 control of "Mini" has no implemented requirement here: AC-2\(1\)/);
  const fixed = applyEdits(text, f[0].fixes?.[0].edits ?? []).text;
  assert.match(fixed, /\n {6}- uuid: [0-9a-f-]{36}\n {8}control-id: ac-2\.1\n$/);
  assert.deepEqual(codes(fixed, 'ssp.yaml', profileEnv), []);
});

test('control ids in NIST print form: a warning with a safe rewrite, or a fix on the format error', () => {
  const text = ssp(goodReq.replace('control-id: ac-2', 'control-id: AC-02'));
  const f = findings(text, 'ssp.yaml');
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`), ['oscal.control-id-form/warning']);
  assert.equal(f[0].fixes?.[0].safe, true);
  assert.deepEqual(codes(applyEdits(text, f[0].fixes?.[0].edits ?? []).text, 'ssp.yaml'), []);
  const paren = ssp(goodReq.replace('control-id: ac-2', 'control-id: AC-2(1)'));
  const g = findings(paren, 'ssp.yaml');
  assert.deepEqual(g.map((x) => x.code), ['oscal.bad-format']);
  assert.equal(g[0].fixes?.[0].title, 'Write it in OSCAL form: `ac-2.1`');
  assert.match(applyEdits(paren, g[0].fixes?.[0].edits ?? []).text, /control-id: ac-2\.1\n/);
  // Other catalogs' own id schemes are left alone.
  assert.deepEqual(codes(ssp(goodReq.replace('control-id: ac-2', 'control-id: CIS-1')), 'ssp.yaml'), []);
});

test('parameter insertions in prose must name a parameter (catalogs: their own; SSPs: the controls in play)', () => {
  const cat = (insert: string): string => `catalog:
  uuid: ${U.doc}
  metadata: {title: C, last-modified: "2024-01-31T12:00:00Z", version: "1", oscal-version: 1.1.2}
  controls:
    - id: c-1
      title: C
      params:
        - id: c-1_prm_1
          props: [{name: alt-identifier, value: c-01_odp}]
      parts:
        - id: c-1_smt
          name: statement
          prose: "Do it every {{ insert: param, ${insert} }}."
`;
  assert.deepEqual(codes(cat('c-1_prm_1')), []);
  assert.deepEqual(codes(cat('c-01_odp')), []);
  const f = findings(cat('c-1_prm_9'));
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`), ['oscal.unknown-parameter/warning']);
  assert.equal(f[0].range.start.line, 12);
  const withInsert = ssp(goodReq.replace(`uuid: ${U.ci}`, `uuid: ${U.ci}\n            remarks: "uses {{ insert: param, ac-2_prm_1 }}"`));
  assert.deepEqual(codes(withInsert, 'ssp.yaml', env), []);
  assert.deepEqual(codes(withInsert.replace('{{ insert: param, ac-2_prm_1 }}', '{{ insert: param, zz_prm_1 }}'), 'ssp.yaml', env), ['oscal.unknown-parameter']);
  // Without the controls in play, an SSP's insertions are not judged.
  assert.deepEqual(codes(withInsert.replace('{{ insert: param, ac-2_prm_1 }}', '{{ insert: param, zz_prm_1 }}'), 'ssp.yaml'), []);
});

test('a malformed uuid reference gets one finding (its form), not a second one for resolving to nothing', () => {
  const f = findings(ssp(goodReq.replace(`component-uuid: ${U.comp}`, 'component-uuid: not-a-uuid')), 'ssp.yaml', env);
  assert.deepEqual(f.map((x) => x.code), ['oscal.bad-format']);
});
