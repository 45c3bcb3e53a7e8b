import { test } from 'node:test';
import assert from 'node:assert/strict';
import { globMatch, resolveProfile, type LoadResult } from '../../../server/src/engine/controls/profile';
import { resolveHref } from '../../../server/src/engine/controls/href';

/** A small catalog: two groups, controls with enhancements, parameters, a statement with items. */
function catalog(): unknown {
  return {
    catalog: {
      uuid: 'c',
      metadata: { title: 'Tiny' },
      groups: [
        {
          id: 'ac',
          title: 'Access Control',
          controls: [
            {
              id: 'ac-1',
              title: 'Policy',
              params: [{ id: 'ac-1_prm_1', label: 'frequency' }],
              parts: [
                {
                  id: 'ac-1_smt',
                  name: 'statement',
                  prose: 'Review every {{ insert: param, ac-1_prm_1 }}:',
                  parts: [
                    { id: 'ac-1_smt.a', name: 'item', props: [{ name: 'label', value: 'a.' }], prose: 'first' },
                    { id: 'ac-1_smt.b', name: 'item', props: [{ name: 'label', value: 'b.' }], prose: 'second' },
                  ],
                },
                { id: 'ac-1_gdn', name: 'guidance', prose: 'why' },
              ],
            },
            {
              id: 'ac-2',
              title: 'Accounts',
              props: [{ name: 'label', value: 'AC-2' }, { name: 'sort-id', value: 'ac-02', class: 'x' }],
              params: [{ id: 'ac-2_prm_1', select: { 'how-many': 'one-or-more', choice: ['yes', 'no'] } }],
              controls: [
                { id: 'ac-2.1', title: 'Automated', controls: [{ id: 'ac-2.1.1', title: 'Deep' }] },
                { id: 'ac-2.2', title: 'Temporary' },
              ],
            },
          ],
        },
        { id: 'au', title: 'Audit', controls: [{ id: 'au-1', title: 'Audit policy' }, { id: 'au-2', title: 'Events' }] },
      ],
    },
  };
}

function loaderOf(docs: Record<string, unknown>, asked: string[] = []): (uri: string) => LoadResult {
  return (uri) => {
    asked.push(uri);
    return uri in docs ? { value: docs[uri] } : undefined;
  };
}

const CAT = 'file:///ws/catalog.json';

function profile(imp: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return { profile: { uuid: 'p', metadata: { title: 'P' }, imports: [{ href: 'catalog.json', ...imp }], ...extra } };
}

function ids(value: unknown, docs: Record<string, unknown> = { [CAT]: catalog() }, uri = 'file:///ws/p.json'): string[] {
  return [...resolveProfile(value, uri, loaderOf(docs)).controls.keys()];
}

test('include-all keeps every control in catalog order', () => {
  assert.deepEqual(ids(profile({ 'include-all': {} })), ['ac-1', 'ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2', 'au-1', 'au-2']);
});

test('include-controls with-ids selects just those; with-child-controls adds all descendants', () => {
  assert.deepEqual(ids(profile({ 'include-controls': [{ 'with-ids': ['au-2', 'ac-2'] }] })), ['ac-2', 'au-2']);
  assert.deepEqual(ids(profile({ 'include-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] })), ['ac-2', 'ac-2.1', 'ac-2.1.1', 'ac-2.2']);
  assert.deepEqual(ids(profile({ 'include-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'no' }] })), ['ac-2']);
});

test('matching selects by glob pattern', () => {
  assert.deepEqual(ids(profile({ 'include-controls': [{ matching: [{ pattern: 'ac-2.*' }] }] })), ['ac-2.1', 'ac-2.1.1', 'ac-2.2']);
  assert.deepEqual(ids(profile({ 'include-controls': [{ matching: [{ pattern: 'au-?' }] }] })), ['au-1', 'au-2']);
});

test('exclude-controls removes from the inclusion, with children when asked', () => {
  assert.deepEqual(ids(profile({ 'include-all': {}, 'exclude-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] })), ['ac-1', 'au-1', 'au-2']);
  assert.deepEqual(ids(profile({ 'include-all': {}, 'exclude-controls': [{ 'with-ids': ['ac-2.1'] }] })), ['ac-1', 'ac-2', 'ac-2.1.1', 'ac-2.2', 'au-1', 'au-2']);
});

test('merge as-is keeps parents of selected enhancements as structure; flat does not', () => {
  const asIs = resolveProfile(profile({ 'include-controls': [{ 'with-ids': ['ac-2.1.1'] }] }, { merge: { 'as-is': true } }), 'file:///ws/p.json', loaderOf({ [CAT]: catalog() }));
  assert.deepEqual([...asIs.controls.keys()], ['ac-2', 'ac-2.1', 'ac-2.1.1']);
  assert.deepEqual([...asIs.controls.values()].map((c) => c.selected), [false, false, true]);
  assert.equal(asIs.controls.get('ac-2.1.1')!.parentId, 'ac-2.1');
  assert.deepEqual(asIs.groups.map((g) => g.id), ['ac']);
  const flat = resolveProfile(profile({ 'include-controls': [{ 'with-ids': ['ac-2.1.1'] }] }, { merge: { flat: {} } }), 'file:///ws/p.json', loaderOf({ [CAT]: catalog() }));
  assert.deepEqual([...flat.controls.keys()], ['ac-2.1.1']);
  assert.equal(flat.controls.get('ac-2.1.1')!.parentId, undefined);
  assert.deepEqual(flat.groups, []);
});

test('unknown ids and patterns are reported at their place in the profile', () => {
  const r = resolveProfile(profile({ 'include-controls': [{ 'with-ids': ['ac-1', 'zz-9'], matching: [{ pattern: 'qq-*' }] }] }), 'file:///ws/p.json', loaderOf({ [CAT]: catalog() }));
  assert.deepEqual([...r.controls.keys()], ['ac-1']);
  assert.deepEqual(
    r.problems.map((p) => [p.code, p.path]),
    [
      ['oscal.unknown-control', ['profile', 'imports', 0, 'include-controls', 0, 'with-ids', 1]],
      ['oscal.unknown-control', ['profile', 'imports', 0, 'include-controls', 0, 'matching', 0, 'pattern']],
    ],
  );
});

test('set-parameters replaces values, label and select; unknown params are reported', () => {
  const r = resolveProfile(
    profile(
      { 'include-all': {} },
      {
        modify: {
          'set-parameters': [
            { 'param-id': 'ac-1_prm_1', values: ['annually'] },
            { 'param-id': 'ac-2_prm_1', values: ['yes'], props: [{ name: 'p', value: 'v' }] },
            { 'param-id': 'nope' },
          ],
        },
      },
    ),
    'file:///ws/p.json',
    loaderOf({ [CAT]: catalog() }),
  );
  const p1 = r.params.get('ac-1_prm_1')!.param;
  assert.deepEqual(p1.values, ['annually']);
  assert.equal(p1.label, 'frequency');
  assert.deepEqual(r.controls.get('ac-1')!.control.params, [{ id: 'ac-1_prm_1', label: 'frequency', values: ['annually'] }]);
  const p2 = r.params.get('ac-2_prm_1')!.param;
  assert.deepEqual(p2.values, ['yes']);
  assert.equal(p2.select, undefined);
  assert.deepEqual(p2.props, [{ name: 'p', value: 'v' }]);
  assert.deepEqual(r.problems.map((p) => [p.code, p.path.join('/')]), [['oscal.unknown-parameter', 'profile/modify/set-parameters/2/param-id']]);
  // The source catalog is not modified.
  const source = catalog() as any;
  assert.equal(source.catalog.groups[0].controls[0].params[0].values, undefined);
});

test('alters: removes by name, class, id and item kind; adds at each position', () => {
  const docs = { [CAT]: catalog() };
  const alter = (a: Record<string, unknown>) => {
    const r = resolveProfile(profile({ 'include-all': {} }, { modify: { alters: [a] } }), 'file:///ws/p.json', loaderOf(docs));
    return { r, c: r.controls.get(a['control-id'] as string)?.control as any };
  };
  let { c, r } = alter({ 'control-id': 'ac-1', removes: [{ 'by-name': 'guidance' }] });
  assert.deepEqual(c.parts.map((p: any) => p.id), ['ac-1_smt']);
  assert.deepEqual(r.problems, []);
  ({ c } = alter({ 'control-id': 'ac-1', removes: [{ 'by-id': 'ac-1_smt.a' }] }));
  assert.deepEqual(c.parts[0].parts.map((p: any) => p.id), ['ac-1_smt.b']);
  ({ c } = alter({ 'control-id': 'ac-2', removes: [{ 'by-class': 'x' }] }));
  assert.deepEqual(c.props, [{ name: 'label', value: 'AC-2' }]);
  ({ c } = alter({ 'control-id': 'ac-2', removes: [{ 'by-item-name': 'param' }] }));
  assert.deepEqual(c.params, []);
  ({ c, r } = alter({ 'control-id': 'ac-2', removes: [{ 'by-name': 'absent' }] }));
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].code, 'oscal.unresolved-reference');

  ({ c } = alter({ 'control-id': 'ac-1', adds: [{ position: 'ending', props: [{ name: 'n', value: '1' }], title: 'New title' }] }));
  assert.equal(c.title, 'New title');
  assert.deepEqual(c.props, [{ name: 'n', value: '1' }]);
  ({ c } = alter({ 'control-id': 'ac-1', adds: [{ position: 'starting', parts: [{ id: 'x', name: 'overview' }] }] }));
  assert.deepEqual(c.parts.map((p: any) => p.id), ['x', 'ac-1_smt', 'ac-1_gdn']);
  ({ c } = alter({ 'control-id': 'ac-1', adds: [{ position: 'after', 'by-id': 'ac-1_smt.a', parts: [{ id: 'ac-1_smt.a2', name: 'item' }] }] }));
  assert.deepEqual(c.parts[0].parts.map((p: any) => p.id), ['ac-1_smt.a', 'ac-1_smt.a2', 'ac-1_smt.b']);
  ({ c } = alter({ 'control-id': 'ac-1', adds: [{ position: 'before', 'by-id': 'ac-1_smt.a', parts: [{ id: 'ac-1_smt.0', name: 'item' }] }] }));
  assert.deepEqual(c.parts[0].parts.map((p: any) => p.id), ['ac-1_smt.0', 'ac-1_smt.a', 'ac-1_smt.b']);
  ({ c } = alter({ 'control-id': 'ac-1', adds: [{ position: 'ending', 'by-id': 'ac-1_smt', parts: [{ id: 'ac-1_smt.c', name: 'item' }] }] }));
  assert.deepEqual(c.parts[0].parts.map((p: any) => p.id), ['ac-1_smt.a', 'ac-1_smt.b', 'ac-1_smt.c']);
  ({ c, r } = alter({ 'control-id': 'ac-1', adds: [{ 'by-id': 'missing', parts: [{ name: 'x' }] }] }));
  assert.equal(r.problems[0].path.join('/'), 'profile/modify/alters/0/adds/0/by-id');
  // Added params become known parameters of the resolved catalog.
  ({ r } = alter({ 'control-id': 'au-1', adds: [{ params: [{ id: 'au-1_new', values: ['v'] }] }] }));
  assert.equal(r.params.get('au-1_new')?.controlId, 'au-1');
  ({ r } = alter({ 'control-id': 'zz-1', adds: [] }));
  assert.equal(r.problems[0].code, 'oscal.unknown-control');
  // The catalog given to the loader is left as it was.
  assert.deepEqual(docs[CAT], catalog());
});

test('a profile may import a profile; settings of both apply; the chain is recorded', () => {
  const base = { profile: { uuid: 'b', metadata: { title: 'B' }, imports: [{ href: '../catalog.json', 'include-controls': [{ 'with-ids': ['ac-1', 'ac-2'], 'with-child-controls': 'yes' }] }], modify: { 'set-parameters': [{ 'param-id': 'ac-1_prm_1', values: ['monthly'] }] } } };
  const top = { profile: { uuid: 't', metadata: { title: 'T' }, imports: [{ href: 'base/base.yaml', 'exclude-controls': [{ 'with-ids': ['ac-2.2'] }] }], modify: { 'set-parameters': [{ 'param-id': 'ac-2_prm_1', values: ['no'] }] } } };
  const asked: string[] = [];
  const r = resolveProfile(top, 'file:///ws/top.json', loaderOf({ [CAT]: catalog(), 'file:///ws/base/base.yaml': base }, asked));
  assert.deepEqual(asked, ['file:///ws/base/base.yaml', CAT]);
  assert.deepEqual([...r.controls.keys()], ['ac-1', 'ac-2', 'ac-2.1', 'ac-2.1.1']);
  assert.deepEqual(r.params.get('ac-1_prm_1')!.param.values, ['monthly']);
  assert.deepEqual(r.params.get('ac-2_prm_1')!.param.values, ['no']);
  assert.deepEqual(r.imports.map((i) => [i.uri, i.kind]), [['file:///ws/base/base.yaml', 'profile']]);
  assert.deepEqual([...r.dependencies].sort(), ['file:///ws/base/base.yaml', CAT, 'file:///ws/top.json']);
  // Source locations stay in the catalog.
  assert.equal(r.controls.get('ac-2.1')!.uri, CAT);
  assert.deepEqual(r.controls.get('ac-2.1')!.path, ['catalog', 'groups', 0, 'controls', 1, 'controls', 0]);
});

test('import cycles are reported, not followed', () => {
  const a = { profile: { imports: [{ href: 'b.json' }] } };
  const b = { profile: { imports: [{ href: 'a.json' }] } };
  const r = resolveProfile(a, 'file:///ws/a.json', loaderOf({ 'file:///ws/b.json': b, 'file:///ws/a.json': a }));
  assert.equal(r.controls.size, 0);
  const cycle = r.problems.find((p) => p.code === 'oscal.import-cycle');
  assert.ok(cycle);
  assert.equal(cycle.uri, 'file:///ws/b.json');
  assert.match(cycle.message, /a\.json → file:\/\/\/ws\/b\.json → file:\/\/\/ws\/a\.json/);
  const self = resolveProfile({ profile: { imports: [{ href: 'a.json' }] } }, 'file:///ws/a.json', loaderOf({}));
  assert.equal(self.problems[0].code, 'oscal.import-cycle');
});

test('bad input gives problems, never a throw', () => {
  const bad: unknown[] = [null, 42, 'x', [], { profile: null }, { profile: { imports: 'nope' } }, { profile: { imports: [null, { href: 7 }, {}] } }, { profile: { imports: [{ href: '' }] } }];
  for (const v of bad) {
    const r = resolveProfile(v, 'file:///ws/p.json', loaderOf({ [CAT]: catalog() }));
    assert.equal(r.controls.size, 0);
    assert.ok(r.problems.length > 0, JSON.stringify(v));
  }
  const throwing = resolveProfile(profile({}), 'file:///ws/p.json', () => {
    throw new Error('disk on fire');
  });
  assert.match(throwing.problems[0].message, /disk on fire/);
  const notOscal = resolveProfile(profile({}), 'file:///ws/p.json', loaderOf({ [CAT]: { kind: 'Pod' } }));
  assert.match(notOscal.problems[0].message, /not an OSCAL catalog or profile/);
  const weird = resolveProfile(
    profile({ 'include-controls': [null, { 'with-ids': [1, null, 'ac-1'], matching: [{}, null] }], 'exclude-controls': 'x' }, { modify: { 'set-parameters': [null, {}], alters: [null, { 'control-id': 'ac-1', adds: [null], removes: [null, {}] }] } }),
    'file:///ws/p.json',
    loaderOf({ [CAT]: catalog() }),
  );
  assert.deepEqual([...weird.controls.keys()], ['ac-1']);
});

test('deeply nested and wide catalogs resolve without stack overflow', () => {
  let control: any = { id: 'x-0', title: 't' };
  const root = control;
  for (let i = 1; i < 5000; i++) {
    control.controls = [{ id: `x-${i}`, title: 't' }];
    control = control.controls[0];
  }
  const wide = Array.from({ length: 20000 }, (_, i) => ({ id: `w-${i}`, title: 'w' }));
  const docs = { [CAT]: { catalog: { uuid: 'd', metadata: { title: 'd' }, controls: [root, ...wide] } } };
  const r = resolveProfile(profile({ 'include-all': {} }), 'file:///ws/p.json', loaderOf(docs));
  assert.ok(r.controls.size > 20000 && r.controls.size < 25000);
});

test('hrefs: relative, absolute, back-matter resources preferring the referrer\'s format, skipping XML', () => {
  const bm = {
    resources: [
      {
        uuid: 'u1',
        rlinks: [
          { href: 'cat.xml', 'media-type': 'application/oscal.catalog+xml' },
          { href: 'cat.json', 'media-type': 'application/oscal.catalog+json' },
          { href: 'https://example.org/cat.yaml', 'media-type': 'application/oscal.catalog+yaml' },
        ],
      },
      { uuid: 'u2', rlinks: [{ href: 'only.xml' }] },
      { uuid: 'u3' },
    ],
  };
  assert.deepEqual(resolveHref('../x.json', 'file:///a/b/p.json', undefined).candidates, ['file:///a/x.json']);
  assert.deepEqual(resolveHref('https://h/c.json', 'file:///a/p.json', undefined).candidates, ['https://h/c.json']);
  assert.deepEqual(resolveHref('#u1', 'file:///a/p.json', bm).candidates, ['file:///a/cat.json', 'https://example.org/cat.yaml']);
  assert.deepEqual(resolveHref('#u1', 'file:///a/p.yaml', bm).candidates, ['https://example.org/cat.yaml', 'file:///a/cat.json']);
  assert.match(resolveHref('#u2', 'file:///a/p.json', bm).error!, /no JSON or YAML link/);
  assert.match(resolveHref('#u3', 'file:///a/p.json', bm).error!, /no JSON or YAML link/);
  assert.match(resolveHref('#nope', 'file:///a/p.json', bm).error!, /No back-matter resource/);
  assert.match(resolveHref('   ', 'file:///a/p.json', bm).error!, /Empty/);
  assert.match(resolveHref('x.json', 'not a uri', undefined).error!, /Cannot resolve/);
});

test('glob matching is exact and does not blow up on hostile patterns', () => {
  assert.ok(globMatch('ac-*', 'ac-2.1'));
  assert.ok(globMatch('*', ''));
  assert.ok(globMatch('a?-1', 'ac-1'));
  assert.ok(!globMatch('ac-?', 'ac-10'));
  assert.ok(!globMatch('ac-1', 'ac-10'));
  assert.ok(globMatch('a.c', 'a.c'));
  assert.ok(!globMatch('a.c', 'abc'), 'dots are literal');
  const started = Date.now();
  assert.ok(!globMatch('*a'.repeat(200) + 'b', 'a'.repeat(5000)));
  assert.ok(Date.now() - started < 1000);
});
