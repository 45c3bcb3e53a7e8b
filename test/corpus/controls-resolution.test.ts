/**
 * Profile resolution against NIST's own resolved catalogs.
 *
 * What is compared, exactly: the full rev5 catalog that the NIST baseline profiles import is not in the
 * corpus. As the source catalog we use the union of NIST's resolved HIGH and PRIVACY catalogs (JSON),
 * merged by the controls' `sort-id` (groups by id, which is the rev5 catalog's order); HIGH is a
 * superset of LOW and MODERATE and together they contain every control any of the four baselines
 * selects. The test first checks that where the two overlap their controls are identical. Then each
 * baseline profile (LOW, MODERATE, HIGH, PRIVACY; JSON and YAML) is resolved with a loader that serves
 * that union at the URI the profile's back-matter rlink names (the loader records which URIs it is
 * asked for). For each, against NIST's resolved catalog of that baseline (JSON): the list of control
 * ids in document order, and every control's content (title, params with their values, props, links,
 * parts; its child controls are compared as ids). NIST's baseline profiles carry no set-parameters or
 * alters, so the parameters compared are the catalog's passed through: set-parameters and alters are
 * tested in test/unit/controls/profile.test.ts and on the rev4 catalog below.
 *
 * Then a real import chain from the examples: the example component-definition's `source` names the
 * rev5 MODERATE profile through a back-matter resource; that profile's import names the rev5 catalog.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { corpusPath, hasCorpus } from '../support/corpus';
import { resolveProfile, type LoadResult } from '../../server/src/engine/controls/profile';
import { loadCatalog, toOscalCatalog, type CatalogModel } from '../../server/src/engine/controls/catalog';
import { ControlRegistry } from '../../server/src/engine/controls/registry';
import { propValue } from '../../server/src/engine/controls/oscal';

const REV5 = ['oscal', 'nist.gov', 'SP800-53', 'rev5'];
const BASELINES = ['LOW', 'MODERATE', 'HIGH', 'PRIVACY'] as const;
const skip = !hasCorpus();

type Json = Record<string, any>;

function readJson(...parts: string[]): Json {
  return JSON.parse(readFileSync(corpusPath(...parts), 'utf8'));
}

function resolvedCatalog(b: string): Json {
  const dir = [...REV5, 'json'];
  const full = `NIST_SP-800-53_rev5_${b}-baseline-resolved-profile_catalog.json`;
  return existsSync(corpusPath(...dir, full)) ? readJson(...dir, full) : readJson(...dir, `NIST_SP-800-53_rev5_${b}-baseline-resolved-profile_catalog-min.json`);
}

function withoutChildren(c: Json): Json {
  const { controls: _c, ...rest } = c;
  return rest;
}

function sortKey(c: Json): string {
  return propValue(c.props, 'sort-id') ?? c.id;
}

/** Merges two lists of controls (by id, ordered by sort-id), checking overlapping ones are identical. */
function mergeControls(a: Json[] = [], b: Json[] = []): Json[] {
  const byId = new Map<string, Json>();
  for (const c of [...a, ...b]) {
    const seen = byId.get(c.id);
    if (seen) {
      assert.deepEqual(withoutChildren(c), withoutChildren(seen), `${c.id} differs between the HIGH and PRIVACY resolved catalogs`);
      const children = mergeControls(seen.controls, c.controls);
      byId.set(c.id, children.length ? { ...seen, controls: children } : seen);
    } else byId.set(c.id, c);
  }
  return [...byId.values()].sort((x, y) => sortKey(x).localeCompare(sortKey(y)));
}

function mergedSourceCatalog(): Json {
  const high = resolvedCatalog('HIGH').catalog;
  const privacy = resolvedCatalog('PRIVACY').catalog;
  const groups = new Map<string, Json>();
  for (const g of [...high.groups, ...privacy.groups]) {
    const seen = groups.get(g.id);
    groups.set(g.id, seen ? { ...seen, controls: mergeControls(seen.controls, g.controls) } : g);
  }
  return { catalog: { ...high, groups: [...groups.values()].sort((x, y) => x.id.localeCompare(y.id)) } };
}

function flatten(controls: Json[] = [], out: Json[] = []): Json[] {
  for (const c of controls) {
    out.push(c);
    flatten(c.controls, out);
  }
  return out;
}

function nistControls(doc: Json): Json[] {
  return flatten(doc.catalog.groups.flatMap((g: Json) => g.controls ?? []));
}

function profilePath(b: string, format: 'json' | 'yaml'): string {
  return corpusPath(...REV5, format, `NIST_SP-800-53_rev5_${b}-baseline_profile.${format}`);
}

function readProfile(b: string, format: 'json' | 'yaml'): unknown {
  const text = readFileSync(profilePath(b, format), 'utf8');
  return format === 'json' ? JSON.parse(text) : parseYaml(text);
}

const merged = skip ? undefined : mergedSourceCatalog();

function catalogUri(format: 'json' | 'yaml'): string {
  return pathToFileURL(corpusPath(...REV5, format, `NIST_SP-800-53_rev5_catalog.${format}`)).href;
}

function assertSameAsNist(model: CatalogModel, nist: Json, label: string): void {
  const expected = nistControls(nist);
  assert.deepEqual([...model.controls.keys()], expected.map((c) => c.id), `${label}: control ids in order`);
  for (const c of expected) {
    const got = model.controls.get(c.id)!;
    assert.deepEqual(got.control, withoutChildren(c), `${label}: content of ${c.id}`);
    assert.deepEqual(got.children, (c.controls ?? []).map((x: Json) => x.id), `${label}: children of ${c.id}`);
  }
}

for (const b of BASELINES) {
  for (const format of ['json', 'yaml'] as const) {
    test(`${b} baseline profile (${format}) resolves to NIST's resolved catalog`, { skip }, () => {
      const asked: string[] = [];
      const load = (uri: string): LoadResult => {
        asked.push(uri);
        return uri === catalogUri(format) ? { value: merged } : undefined;
      };
      const uri = pathToFileURL(profilePath(b, format)).href;
      const resolved = resolveProfile(readProfile(b, format), uri, load);
      assert.deepEqual(resolved.problems, []);
      // The back-matter's rlink in the profile's own format comes first.
      assert.equal(asked[0], catalogUri(format));
      assert.equal(resolved.imports[0].uri, catalogUri(format));
      assert.equal(resolved.imports[0].kind, 'catalog');
      const nist = resolvedCatalog(b);
      assertSameAsNist(resolved, nist, b);
      // The profile's own selection is marked; parents kept only for structure are not.
      const withIds = new Set<string>((readProfile(b, 'json') as Json).profile.imports[0]['include-controls'][0]['with-ids']);
      for (const c of resolved.controls.values()) assert.equal(c.selected, withIds.has(c.id), `${b}: selected flag of ${c.id}`);
      assert.equal([...resolved.controls.values()].filter((c) => c.selected).length, withIds.size);
      // Group structure (families) as in NIST's output.
      assert.deepEqual(resolved.groups.map((g) => g.id), nist.catalog.groups.map((g: Json) => g.id));
      const emitted = toOscalCatalog(resolved).catalog.groups as Json[];
      assert.deepEqual(emitted.map((g) => flatten(g.controls).map((c) => c.id)), nist.catalog.groups.map((g: Json) => flatten(g.controls).map((c) => c.id)));
    });
  }
}

test('PRIVACY resolution keeps six parents as structure only, as NIST does', { skip }, () => {
  const uri = pathToFileURL(profilePath('PRIVACY', 'json')).href;
  const resolved = resolveProfile(readProfile('PRIVACY', 'json'), uri, (u) => (u === catalogUri('json') ? { value: merged } : undefined));
  const structural = [...resolved.controls.values()].filter((c) => !c.selected).map((c) => c.id);
  assert.deepEqual(structural, ['ac-3', 'au-3', 'pe-8', 'pm-5', 'sa-8', 'sc-7']);
});

test('a profile without its catalog reports the unresolved import with the URIs tried', { skip }, () => {
  const uri = pathToFileURL(profilePath('LOW', 'json')).href;
  const resolved = resolveProfile(readProfile('LOW', 'json'), uri, () => undefined);
  assert.equal(resolved.controls.size, 0);
  assert.equal(resolved.problems.length, 1);
  const p = resolved.problems[0];
  assert.equal(p.code, 'oscal.unresolved-reference');
  assert.deepEqual(p.path, ['profile', 'imports', 0, 'href']);
  // XML rlinks are skipped: the JSON one first, then the YAML one.
  assert.deepEqual(p.tried, [catalogUri('json'), catalogUri('yaml')]);
});

/** Serves corpus files by file URI, and the merged catalog where NIST's full catalog would be. */
function corpusLoader(asked: string[]) {
  return (uri: string): LoadResult => {
    asked.push(uri);
    if (uri === catalogUri('json') || uri === catalogUri('yaml')) return { value: merged };
    if (!uri.startsWith('file:')) return undefined;
    const path = fileURLToPath(uri);
    if (!existsSync(path)) return undefined;
    const text = readFileSync(path, 'utf8');
    return { value: /\.ya?ml$/.test(path) ? parseYaml(text) : JSON.parse(text) };
  };
}

test('import chain from the examples: component-definition → rev5 MODERATE profile → rev5 catalog', { skip }, () => {
  const cdPath = corpusPath('oscal', 'examples', 'component-definition', 'json', 'example-component-definition.json');
  const cd = JSON.parse(readFileSync(cdPath, 'utf8'))['component-definition'];
  const source: string = cd.components[0]['control-implementations'][0].source;
  assert.match(source, /^#/);
  const asked: string[] = [];
  const registry = new ControlRegistry({ loader: corpusLoader(asked) });
  const target = registry.referenceTarget(source, pathToFileURL(cdPath).href, cd['back-matter']);
  assert.equal(target.problem, undefined);
  const profileUri = pathToFileURL(profilePath('MODERATE', 'json')).href;
  assert.equal(target.uri, profileUri);
  assert.equal(target.model?.kind, 'profile');
  assert.deepEqual(asked, [profileUri, catalogUri('json')]);
  assertSameAsNist(target.model!, resolvedCatalog('MODERATE'), 'MODERATE via component-definition');
  // Its implemented requirements name controls of that baseline.
  for (const req of cd.components[0]['control-implementations'][0]['implemented-requirements']) {
    assert.ok(target.model!.controls.has(req['control-id']), `${req['control-id']} is in MODERATE`);
  }
});

test('import chain from the examples: an SSP whose profile is not in the corpus gets a clear problem', { skip }, () => {
  const sspPath = corpusPath('oscal', 'examples', 'ssp', 'json', 'ssp-example.json');
  const ssp = JSON.parse(readFileSync(sspPath, 'utf8'))['system-security-plan'];
  const registry = new ControlRegistry({ loader: corpusLoader([]) });
  const target = registry.referenceTarget(ssp['import-profile'].href, pathToFileURL(sspPath).href, ssp['back-matter']);
  assert.equal(target.model, undefined);
  assert.equal(target.problem?.code, 'oscal.unresolved-reference');
  assert.deepEqual(
    target.problem?.tried.map((u) => u.slice(u.indexOf('/nist.gov/'))),
    ['/nist.gov/SP800-53/rev4/json/NIST_SP-800-53_rev4_MODERATE-baseline_profile.json', '/nist.gov/SP800-53/rev4/yaml/NIST_SP-800-53_rev4_MODERATE-baseline_profile.yaml'],
  );
  assert.match(target.problem!.message, /rev4_MODERATE-baseline_profile\.json/);
});

test('the registry serves hover data from a resolved baseline: statement with parameters', { skip }, () => {
  const registry = new ControlRegistry({ loader: corpusLoader([]) });
  const uri = pathToFileURL(profilePath('MODERATE', 'json')).href;
  registry.setDocument(uri, readProfile('MODERATE', 'json'));
  const info = registry.lookup('AC-2(1)', { profile: uri })!;
  assert.equal(info.title, 'Automated System Account Management');
  assert.equal(info.source.kind, 'catalog');
  assert.match(info.statement!, /^Support the management of system accounts using \[Assignment: automated mechanisms\]\.$/);
  assert.deepEqual(info.baselines, ['MODERATE', 'HIGH']);
  assert.equal(registry.controlsOf(uri)!.length, 287);
  assert.deepEqual(registry.controlsOf(uri), registry.controlsOf('MODERATE'));
  // A model loaded from the rev4 catalog file answers too (a catalog in the workspace).
  const rev4 = JSON.parse(readFileSync(corpusPath('oscal', 'nist.gov', 'SP800-53', 'rev4', 'json', 'NIST_SP-800-53_rev4_catalog-min.json'), 'utf8'));
  const model = loadCatalog(rev4, 'file:///rev4.json');
  assert.equal(model.controls.size, 922);
  assert.equal([...model.controls.values()].filter((c) => c.withdrawn).length, 96);
});

/** The rev4 catalog is complete (922 controls, 96 withdrawn): selection rules checked against a plain walk of it. */
const REV4 = ['oscal', 'nist.gov', 'SP800-53', 'rev4', 'json', 'NIST_SP-800-53_rev4_catalog-min.json'];
const rev4 = skip ? undefined : readJson(...REV4);
const REV4_URI = 'https://example.org/rev4/catalog.json';

function rev4Profile(imp: Json, modify?: Json): unknown {
  return { profile: { uuid: 'x', metadata: { title: 'rev4 tailoring' }, imports: [{ href: REV4_URI, ...imp }], merge: { 'as-is': true }, ...(modify ? { modify } : {}) } };
}

function resolveRev4(imp: Json, modify?: Json) {
  return resolveProfile(rev4Profile(imp, modify), 'file:///ws/tailoring.json', (u) => (u === REV4_URI ? { value: rev4 } : undefined));
}

test('rev4: include-all minus a control with its enhancements', { skip }, () => {
  const all = nistControls(rev4!).map((c) => c.id);
  const ac2 = flatten([nistControls(rev4!).find((c) => c.id === 'ac-2')!]).map((c) => c.id);
  assert.equal(ac2.length, 14);
  const r = resolveRev4({ 'include-all': {}, 'exclude-controls': [{ 'with-ids': ['ac-2'], 'with-child-controls': 'yes' }] });
  assert.deepEqual(r.problems, []);
  assert.deepEqual([...r.controls.keys()], all.filter((id) => !ac2.includes(id)));
  assert.equal(r.controls.size, 922 - 14);
});

test('rev4: matching and with-child-controls, with parents kept as structure', { skip }, () => {
  const r = resolveRev4({ 'include-controls': [{ matching: [{ pattern: 'ac-1?' }] }, { 'with-ids': ['si-4'], 'with-child-controls': 'yes' }, { 'with-ids': ['au-9.2'] }] });
  const expected = nistControls(rev4!)
    .map((c) => c.id)
    .filter((id) => /^ac-1\d$/.test(id) || id === 'si-4' || id.startsWith('si-4.') || id === 'au-9' || id === 'au-9.2');
  assert.deepEqual([...r.controls.keys()], expected);
  assert.equal(r.controls.get('au-9')!.selected, false);
  assert.equal(r.controls.get('au-9.2')!.selected, true);
  // Withdrawn controls stay marked.
  assert.equal(r.controls.get('ac-13')!.withdrawn, true);
});

test('rev4: set-parameters and alters show in the statement the registry renders', { skip }, () => {
  const registry = new ControlRegistry({ loader: (u) => (u === REV4_URI ? { value: rev4 } : undefined) });
  const uri = 'file:///ws/tailoring.json';
  registry.setDocument(
    uri,
    rev4Profile(
      { 'include-controls': [{ 'with-ids': ['ac-1', 'ac-2'] }] },
      {
        'set-parameters': [{ 'param-id': 'ac-1_prm_1', values: ['the CISO'] }],
        alters: [{ 'control-id': 'ac-2', removes: [{ 'by-id': 'ac-2_smt.k' }], adds: [{ position: 'after', 'by-id': 'ac-2_smt.a', parts: [{ id: 'ac-2_smt.a1', name: 'item', props: [{ name: 'label', value: 'a1.' }], prose: 'Tailored item.' }] }] }],
      },
    ),
  );
  assert.deepEqual(registry.problems(uri), []);
  const ac1 = registry.lookup('AC-1', { profile: uri })!;
  assert.match(ac1.statement!, /to the CISO/);
  assert.deepEqual(ac1.params?.[0], { id: 'ac-1_prm_1', label: 'organization-defined personnel or roles', values: ['the CISO'], text: 'the CISO' });
  const ac2 = registry.lookup('AC-2', { profile: uri })!.statement!;
  assert.match(ac2, /- a\. Identifies.*\n- a1\. Tailored item\.\n- b\. Assigns/);
  assert.doesNotMatch(ac2, /- k\./);
  // The catalog itself is untouched: looked up outside the profile the statement is NIST's.
  registry.setDocument(REV4_URI, rev4);
  assert.doesNotMatch(registry.lookup('AC-2')!.statement!, /Tailored/);
});
