import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlRegistry } from '../../../server/src/engine/controls/registry';
import { loadRemoteDocuments, parseRemoteDocument } from '../../../server/src/engine/controls/remote';
import { RemoteFetcher } from '../../../server/src/engine/net/fetch';
import type { Transport } from '../../../server/src/engine/net/transport';

const LOCAL = 'file:///ws/profile.json';

function transportOf(files: Record<string, string>, calls: string[] = []): Transport {
  return async (url) => {
    calls.push(url.href);
    const text = files[url.href];
    async function* body(): AsyncIterable<Uint8Array> {
      if (text !== undefined) yield Buffer.from(text);
    }
    return { status: text === undefined ? 404 : 200, headers: {}, body: body() };
  };
}

const remoteProfileYaml = `profile:
  uuid: rp
  metadata: {title: Remote profile}
  imports:
    - href: catalog.json
      include-all: {}
  modify:
    set-parameters:
      - param-id: x-1_prm
        values: [remote value]
`;

const remoteCatalog = JSON.stringify({
  catalog: {
    uuid: 'rc',
    metadata: { title: 'Remote catalog' },
    groups: [{ id: 'x', title: 'X family', controls: [{ id: 'x-1', title: 'One', params: [{ id: 'x-1_prm', label: 'thing' }], parts: [{ name: 'statement', prose: 'Do {{ insert: param, x-1_prm }}.' }] }, { id: 'x-2', title: 'Two' }] }],
  },
});

function localProfile(): unknown {
  return { profile: { uuid: 'lp', metadata: { title: 'Local' }, imports: [{ href: 'https://h.example/oscal/profile.yaml', 'exclude-controls': [{ 'with-ids': ['x-2'] }] }] } };
}

test('imports over https are fetched round by round until the chain resolves', async () => {
  const calls: string[] = [];
  const fetcher = new RemoteFetcher({ transport: transportOf({ 'https://h.example/oscal/profile.yaml': remoteProfileYaml, 'https://h.example/oscal/catalog.json': remoteCatalog }, calls) });
  const registry = new ControlRegistry();
  registry.setDocument(LOCAL, localProfile());
  assert.deepEqual(registry.controlsOf(LOCAL), []);
  const result = await loadRemoteDocuments(registry, fetcher, { allowRemote: true, workspaceTrusted: true });
  assert.deepEqual(result.failed, []);
  assert.deepEqual(result.loaded.map((l) => [l.url, l.kind]), [
    ['https://h.example/oscal/profile.yaml', 'profile'],
    ['https://h.example/oscal/catalog.json', 'catalog'],
  ]);
  assert.deepEqual(calls, ['https://h.example/oscal/profile.yaml', 'https://h.example/oscal/catalog.json']);
  assert.deepEqual(registry.problems(LOCAL), []);
  assert.deepEqual(registry.controlsOf(LOCAL), ['x-1']);
  assert.equal(registry.lookup('x-1', { profile: LOCAL })?.statement, 'Do remote value.');
});

test('without consent nothing is fetched and the import says why', async () => {
  const calls: string[] = [];
  const fetcher = new RemoteFetcher({ transport: transportOf({}, calls) });
  const registry = new ControlRegistry();
  registry.setDocument(LOCAL, localProfile());
  const result = await loadRemoteDocuments(registry, fetcher, { allowRemote: false, workspaceTrusted: true });
  assert.deepEqual(calls, []);
  assert.deepEqual(result.failed.map((f) => f.kind), ['disabled']);
  const [p] = registry.problems(LOCAL);
  assert.equal(p.code, 'oscal.remote-fetch');
  assert.deepEqual(p.path, ['profile', 'imports', 0, 'href']);
  assert.match(p.message, /turned off in the settings/);
  assert.deepEqual(registry.pendingRemoteImports(), []);
  registry.clearRemoteErrors();
  assert.deepEqual(registry.pendingRemoteImports(), ['https://h.example/oscal/profile.yaml']);
  const untrusted = await loadRemoteDocuments(registry, fetcher, { allowRemote: true, workspaceTrusted: false });
  assert.deepEqual(untrusted.failed.map((f) => f.kind), ['untrusted']);
  assert.deepEqual(calls, []);
});

test('settings URLs, missing documents and non-OSCAL downloads', async () => {
  const fetcher = new RemoteFetcher({ transport: transportOf({ 'https://h.example/cat.json': remoteCatalog, 'https://h.example/pod.yaml': 'kind: Pod\napiVersion: v1\n' }) });
  const registry = new ControlRegistry();
  const result = await loadRemoteDocuments(registry, fetcher, { allowRemote: true, workspaceTrusted: true }, ['https://h.example/cat.json', 'https://h.example/pod.yaml', 'https://h.example/missing.json', 'http://h.example/insecure.json']);
  assert.deepEqual(result.loaded.map((l) => l.url), ['https://h.example/cat.json']);
  assert.deepEqual(result.failed.map((f) => [f.url, f.kind]), [
    ['https://h.example/pod.yaml', 'not-oscal'],
    ['https://h.example/missing.json', 'http-status'],
    ['http://h.example/insecure.json', 'not-https'],
  ]);
  assert.equal(registry.lookup('x-2')?.title, 'Two');
});

test('remote documents parse as JSON or YAML; garbage gives undefined', () => {
  assert.deepEqual(parseRemoteDocument('{"a":1}'), { a: 1 });
  assert.deepEqual(parseRemoteDocument('a: 1\n'), { a: 1 });
  assert.deepEqual(parseRemoteDocument('{a: 1}'), { a: 1 });
  assert.equal(parseRemoteDocument('a: [\n'), undefined);
});
