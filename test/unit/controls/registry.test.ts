import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlRegistry } from '../../../server/src/engine/controls/registry';
import { formatControlHover } from '../../../server/src/engine/controls/hover';
import { findControlMentions } from '../../../server/src/engine/controls/ids';
import { registryDirectory } from '../../../server/src/engine/controls/directory';

const CAT = 'file:///ws/catalog.json';
const PROF = 'file:///ws/profile.yaml';

function catalog(title = 'Least Privilege'): unknown {
  return {
    catalog: {
      uuid: 'c',
      metadata: { title: 'Workspace catalog' },
      groups: [
        {
          id: 'ac',
          class: 'family',
          title: 'Access Control',
          controls: [
            {
              id: 'ac-6',
              title,
              params: [
                { id: 'ac-6_prm_1', label: 'organization-defined roles' },
                { id: 'ac-6_prm_2', select: { 'how-many': 'one-or-more', choice: ['every {{ insert: param, ac-6_prm_3 }}', 'never'] } },
                { id: 'ac-6_prm_3', values: ['day'] },
              ],
              parts: [
                {
                  id: 'ac-6_smt',
                  name: 'statement',
                  prose: 'Employ least privilege for {{ insert: param, ac-6_prm_1 }}, reviewed {{ insert: param, ac-6_prm_2 }}.',
                },
              ],
              controls: [{ id: 'ac-6.1', title: 'Authorize Access to Security Functions', props: [{ name: 'status', value: 'withdrawn' }] }],
            },
          ],
        },
        { id: 'zz', title: 'Custom Family', controls: [{ id: 'zz-1', title: 'Custom control' }] },
      ],
    },
  };
}

function profile(href = 'catalog.json', setValue = 'auditors'): unknown {
  return {
    profile: {
      uuid: 'p',
      metadata: { title: 'Workspace profile' },
      imports: [{ href, 'include-controls': [{ 'with-ids': ['ac-6', 'zz-1'] }] }],
      modify: { 'set-parameters': [{ 'param-id': 'ac-6_prm_1', values: [setValue] }] },
    },
  };
}

test('lookup accepts every id form and answers from the built-in index with no catalog', () => {
  const r = new ControlRegistry();
  for (const form of ['AC-6(1)', 'ac-6.1', 'AC-06(01)', ' ac-6 (1) ']) {
    const info = r.lookup(form);
    assert.ok(info, form);
    assert.equal(info.id, 'ac-6.1');
    assert.equal(info.display, 'AC-6(1)');
    assert.equal(info.title, 'Authorize Access to Security Functions');
    assert.equal(info.family, 'ac');
    assert.equal(info.familyTitle, 'Access Control');
    assert.deepEqual(info.baselines, ['MODERATE', 'HIGH']);
    assert.equal(info.statement, undefined);
    assert.equal(info.source.kind, 'builtin');
  }
  assert.deepEqual(r.lookup('pt-2')?.baselines, ['PRIVACY']);
  assert.deepEqual(r.lookup('pm-5')?.baselines, []);
});

test('lookup tolerates what it does not know', () => {
  const r = new ControlRegistry();
  // Real rev5 controls outside every baseline are not in the built-in index.
  assert.equal(r.lookup('ac-2.6'), undefined);
  for (const bad of ['', '   ', 'AC', 'ZZ-1', 'hello world', 'x'.repeat(100000), undefined as unknown as string, 42 as unknown as string]) {
    assert.equal(r.lookup(bad), undefined);
  }
  assert.equal(new ControlRegistry({ builtin: false }).lookup('ac-6'), undefined);
});

test('a workspace catalog supplies statements with parameters; baselines still come from the index', () => {
  const r = new ControlRegistry();
  assert.equal(r.setDocument(CAT, catalog()), 'catalog');
  const info = r.lookup('AC-6')!;
  assert.equal(info.source.kind, 'catalog');
  assert.equal(info.source.kind === 'catalog' && info.source.uri, CAT);
  assert.deepEqual(info.source.kind === 'catalog' && info.source.path, ['catalog', 'groups', 0, 'controls', 0]);
  assert.equal(info.statement, 'Employ least privilege for [Assignment: organization-defined roles], reviewed [Selection (one or more): every day; never].');
  assert.deepEqual(info.params?.map((p) => p.text), ['[Assignment: organization-defined roles]', '[Selection (one or more): every day; never]', 'day']);
  assert.deepEqual(info.baselines, ['MODERATE', 'HIGH']);
  assert.equal(r.lookup('ac-6.1')?.withdrawn, true);
  const custom = r.lookup('ZZ-1')!;
  assert.equal(custom.title, 'Custom control');
  assert.equal(custom.familyTitle, 'Custom Family');
  assert.deepEqual(custom.baselines, []);
  assert.ok(r.isKnownFamily('zz'));
  assert.ok(r.isKnownFamily('AC'));
  assert.ok(!r.isKnownFamily('qq'));
  r.removeDocument(CAT);
  assert.ok(!r.isKnownFamily('zz'));
  assert.equal(r.lookup('zz-1'), undefined);
  assert.equal(r.lookup('ac-6')?.source.kind, 'builtin');
});

test('a profile applies its parameter values; lookups through it show them', () => {
  const r = new ControlRegistry();
  r.setDocument(CAT, catalog());
  r.setDocument(PROF, profile());
  assert.deepEqual(r.problems(PROF), []);
  assert.deepEqual(r.controlsOf(PROF), ['ac-6', 'zz-1']);
  const via = r.lookup('ac-6', { profile: PROF })!;
  assert.match(via.statement!, /^Employ least privilege for auditors, reviewed/);
  assert.equal(via.source.kind === 'catalog' && via.source.profile, PROF);
  assert.match(r.lookup('ac-6')!.statement!, /\[Assignment: organization-defined roles\]/);
});

test('documents change incrementally: dependents re-resolve, removals unresolve', () => {
  const r = new ControlRegistry();
  r.setDocument(PROF, profile());
  assert.deepEqual(r.controlsOf(PROF), []);
  const before = r.problems(PROF);
  assert.equal(before.length, 1);
  assert.equal(before[0].code, 'oscal.unresolved-reference');
  assert.deepEqual(before[0].path, ['profile', 'imports', 0, 'href']);

  r.setDocument(CAT, catalog());
  assert.deepEqual(r.problems(PROF), []);
  assert.deepEqual(r.controlsOf(PROF), ['ac-6', 'zz-1']);
  const first = r.resolve(PROF);
  assert.equal(r.resolve(PROF), first, 'cached while nothing changes');

  r.setDocument(CAT, catalog('Renamed'));
  assert.notEqual(r.resolve(PROF), first);
  assert.equal(r.lookup('ac-6', { profile: PROF })?.title, 'Renamed');

  r.setDocument(PROF, profile('catalog.json', 'admins'));
  assert.match(r.lookup('ac-6', { profile: PROF })!.statement!, /for admins,/);

  // An unrelated document does not invalidate the resolution.
  const cached = r.resolve(PROF);
  r.setDocument('file:///ws/other.json', { catalog: { uuid: 'o', metadata: { title: 'o' } } });
  assert.equal(r.resolve(PROF), cached);

  r.removeDocument(CAT);
  assert.equal(r.problems(PROF)[0].code, 'oscal.unresolved-reference');
  assert.equal(r.setDocument(PROF, { kind: 'Pod' }), undefined);
  assert.equal(r.kindOf(PROF), undefined);
  assert.deepEqual(r.documents().map((d) => d.uri), ['file:///ws/other.json']);
});

test('remote imports wait for the caller to fetch them', () => {
  const remote = 'https://example.org/oscal/catalog.json';
  const r = new ControlRegistry();
  r.setDocument(PROF, profile(remote));
  assert.deepEqual(r.pendingRemoteImports(), [remote]);
  assert.equal(r.problems(PROF)[0].code, 'oscal.remote-fetch');
  r.setDocument(remote, catalog());
  assert.deepEqual(r.pendingRemoteImports(), []);
  assert.deepEqual(r.controlsOf(PROF), ['ac-6', 'zz-1']);
});

test('the external loader serves documents that are not registered, and errors become problems', () => {
  let served = catalog();
  const r = new ControlRegistry({ loader: (uri) => (uri === 'file:///settings/cat.json' ? { value: served } : uri === 'file:///broken.json' ? { error: 'Unexpected token' } : undefined) });
  r.setDocument(PROF, profile('../settings/cat.json'));
  assert.deepEqual(r.controlsOf(PROF), ['ac-6', 'zz-1']);
  served = catalog('Changed on disk');
  assert.equal(r.lookup('ac-6', { profile: PROF })?.title, 'Least Privilege');
  r.invalidate('file:///settings/cat.json');
  assert.equal(r.lookup('ac-6', { profile: PROF })?.title, 'Changed on disk');
  r.setDocument(PROF, profile('../broken.json'));
  assert.match(r.problems(PROF)[0].message, /broken\.json: Unexpected token/);
});

test('controlsOf: NIST baselines from the index, catalogs and profiles by uri', () => {
  const r = new ControlRegistry();
  assert.equal(r.controlsOf('LOW')?.length, 149);
  assert.equal(r.controlsOf('moderate')?.length, 287);
  assert.equal(r.controlsOf('HIGH')?.length, 370);
  assert.equal(r.controlsOf('PRIVACY')?.length, 96);
  assert.deepEqual(r.controlsOf('LOW')?.slice(0, 3), ['ac-1', 'ac-2', 'ac-3']);
  assert.equal(r.controlsOf('file:///nothing.json'), undefined);
  assert.equal(r.controlsOf('EXTREME'), undefined);
  r.setDocument(CAT, catalog());
  assert.deepEqual(r.controlsOf(CAT), ['ac-6', 'ac-6.1', 'zz-1']);
  assert.equal(r.families().length, 21);
});

test('findControlMentions works with the registry\'s families', () => {
  const r = new ControlRegistry();
  const found = findControlMentions('AC-6, CM-7(1), TLS-1, XX-2', (f) => r.isKnownFamily(f));
  assert.deepEqual(found.map((m) => m.id), ['ac-6', 'cm-7.1']);
});

test('hover markdown: built-in and catalog sources, escaped titles', () => {
  const r = new ControlRegistry();
  const builtin = formatControlHover(r.lookup('ac-6.1')!);
  assert.match(builtin, /^\*\*AC-6\(1\)\*\* Authorize Access to Security Functions/);
  assert.match(builtin, /Access Control \(AC\) · baselines: MODERATE, HIGH/);
  assert.match(builtin, /built-in index/);
  r.setDocument(CAT, catalog('<img src=x onerror=alert(1)> *bold* [link](command:evil)'));
  const hover = formatControlHover(r.lookup('ac-6')!);
  assert.doesNotMatch(hover, /(^|[^\\])<img/);
  assert.ok(!hover.includes('[link](command:evil)'));
  assert.match(hover, /\\<img/);
  assert.match(hover, /Employ least privilege/);
  assert.match(hover, /_Workspace catalog, catalog\.json_$/);
  r.setDocument(PROF, profile());
  assert.match(formatControlHover(r.lookup('ac-6', { profile: PROF })!), /via profile\.yaml_$/);
  assert.match(formatControlHover(r.lookup('ac-6.1')!), /\(withdrawn\)/);
  assert.match(formatControlHover(r.lookup('zz-1')!), /in no NIST rev5 baseline/);
});

test('the engine directory answers from the registry, through the chosen profile', () => {
  const r = new ControlRegistry();
  r.setDocument(CAT, catalog());
  r.setDocument(PROF, profile());
  let chosen: string | undefined = undefined;
  const dir = registryDirectory(r, { profile: () => chosen });
  assert.equal(dir.lookup('AC-6')?.title, 'Least Privilege');
  assert.ok(dir.isKnownFamily('zz'));
  assert.match(dir.hover('ac-6')!, /\[Assignment: organization-defined roles\]/);
  chosen = PROF;
  assert.match(dir.hover('ac-6')!, /least privilege for auditors/);
  assert.equal(dir.hover('qq-1'), undefined);
});

test('knownControls lists catalog controls first, then the built-in index, each id once', () => {
  const r = new ControlRegistry();
  assert.equal(r.knownControls().length, 424);
  r.setDocument(CAT, catalog('Workspace title'));
  const all = r.knownControls();
  assert.equal(all.length, 425);
  assert.deepEqual(all.slice(0, 3).map((c) => [c.display, c.title]), [['AC-6', 'Workspace title'], ['AC-6(1)', 'Authorize Access to Security Functions'], ['ZZ-1', 'Custom control']]);
  assert.equal(all.filter((c) => c.id === 'ac-6').length, 1);
  assert.equal(all.find((c) => c.id === 'ac-6.1')?.withdrawn, true);
});

test('catalog ids written with zero padding are found by any form', () => {
  const r = new ControlRegistry({ builtin: false });
  r.setDocument(CAT, { catalog: { uuid: 'z', metadata: { title: 'padded' }, controls: [{ id: 'AC-02', title: 'Padded' }] } });
  assert.equal(r.lookup('ac-2')?.title, 'Padded');
  assert.equal(r.lookup('AC-2')?.display, 'AC-2');
  assert.equal(r.lookup('ac-3'), undefined);
});
