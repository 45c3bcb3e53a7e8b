import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinBaselineOf, builtinCatalogDocument, resolveBaseline } from '../../../server/src/engine/coverage/baseline';
import { loadCatalog } from '../../../server/src/engine/controls/catalog';
import { DocumentParser } from '../../../server/src/engine/documents/parse';
import { nodeFileSystem } from '../../../server/src/engine/workspace/fileSystem';
import { WorkspaceIndex } from '../../../server/src/engine/workspace/index';

function workspace(files: Record<string, string> = {}): WorkspaceIndex {
  const ws = new WorkspaceIndex();
  const parser = new DocumentParser();
  for (const [uri, text] of Object.entries(files)) ws.upsert(parser.parse(uri, text));
  return ws;
}

test('built-in baseline names in their usual spellings', () => {
  assert.equal(builtinBaselineOf('NIST_SP-800-53_rev5_MODERATE'), 'MODERATE');
  assert.equal(builtinBaselineOf('nist_sp-800-53_rev5_high'), 'HIGH');
  assert.equal(builtinBaselineOf('low'), 'LOW');
  assert.equal(builtinBaselineOf('PRIVACY'), 'PRIVACY');
  assert.equal(builtinBaselineOf('NIST_SP-800-53_rev4_MODERATE'), undefined);
  assert.equal(builtinBaselineOf('profile.yaml'), undefined);
});

test('the built-in catalog nests enhancements under their control and groups controls by family', () => {
  const model = loadCatalog(builtinCatalogDocument(), 'builtin:');
  assert.equal(model.controls.get('ac-2.1')?.parentId, 'ac-2');
  assert.equal(model.controls.get('ac-2')?.groups[0].id, 'ac');
  assert.equal(model.controls.get('ac-2')?.control.title, 'Account Management');
});

const TAILORED = `profile:
  uuid: 11111111-1111-4111-8111-111111111111
  metadata: {title: Tailored, last-modified: "2026-01-01T00:00:00Z", version: "1", oscal-version: 1.1.3}
  imports:
    - href: https://raw.githubusercontent.com/usnistgov/oscal-content/main/nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json
      include-controls:
        - with-ids: [ac-2, ac-2.1, sc-7]
      exclude-controls:
        - with-ids: [ac-2.1]
`;

test('a workspace profile importing NIST\'s catalog by URL resolves offline against the built-in index', () => {
  const ws = workspace({ 'file:///r/p.yaml': TAILORED });
  const b = resolveBaseline('p.yaml', { workspace: ws, fs: nodeFileSystem }, '/r');
  assert.deepEqual(b.problems, []);
  assert.equal(b.source, 'profile');
  assert.equal(b.title, 'Tailored');
  assert.deepEqual(b.controls.map((c) => `${c.id} ${c.family} ${c.title}`), ['ac-2 ac Account Management', 'sc-7 sc Boundary Protection']);
  assert.deepEqual(b.families.map((f) => f.title), ['Access Control', 'System and Communications Protection']);
});

test('a profile importing what cannot be found says so; https baselines need the registry', () => {
  const ws = workspace({ 'file:///r/p.yaml': TAILORED.replace(/href: .*/, 'href: missing-catalog.json') });
  const b = resolveBaseline('p.yaml', { workspace: ws, fs: nodeFileSystem }, '/r');
  assert.equal(b.controls.length, 0);
  assert.match(b.problems.join('\n'), /missing-catalog\.json/);
  const remote = resolveBaseline('https://example.org/profile.json', { workspace: ws, fs: nodeFileSystem });
  assert.match(remote.problems[0], /has not been fetched/);
  const catalog = loadCatalog({ catalog: { uuid: 'u', metadata: { title: 'Fetched' }, groups: [{ id: 'ac', title: 'Access Control', controls: [{ id: 'ac-1', title: 'Policy and Procedures' }] }] } }, 'https://example.org/c.json');
  const fetched = resolveBaseline('https://example.org/c.json', { workspace: ws, fs: nodeFileSystem, registry: { kindOf: () => 'catalog', model: () => catalog } });
  assert.deepEqual(fetched.problems, []);
  assert.equal(fetched.source, 'catalog');
  assert.deepEqual(fetched.controls.map((c) => c.id), ['ac-1']);
});

test('not a profile, not a catalog, or not there at all: an empty baseline with the reason', () => {
  const ws = workspace({ 'file:///r/deploy.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
  assert.match(resolveBaseline('deploy.yaml', { workspace: ws, fs: nodeFileSystem }, '/r').problems[0], /not an OSCAL profile or catalog/);
  assert.match(resolveBaseline('', { workspace: ws, fs: nodeFileSystem }).problems[0], /No baseline is set/);
  assert.match(resolveBaseline('SOC2', { workspace: ws, fs: nodeFileSystem }).problems[0], /neither a built-in baseline/);
});
