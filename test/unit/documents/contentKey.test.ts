import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentKey, sharingKey } from '../../../server/src/engine/documents/contentKey';

test('equal JSON content gives one key, any difference another', () => {
  const pod = (image: string): object => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' }, spec: { containers: [{ name: 'a', image }] } });
  assert.equal(contentKey(pod('nginx:1')), contentKey(pod('nginx:1')));
  assert.notEqual(contentKey(pod('nginx:1')), contentKey(pod('nginx:2')));
  assert.notEqual(contentKey({ a: 1 }), contentKey({ a: '1' }));
  assert.notEqual(contentKey({ a: [] }), contentKey({ a: {} }));
});

test('values JSON would blur get no key, however deep', () => {
  assert.equal(contentKey({ a: NaN }), undefined);
  assert.equal(contentKey({ a: [Infinity] }), undefined);
  assert.equal(contentKey({ a: -0 }), undefined);
  assert.equal(contentKey({ a: undefined }), undefined);
  // eslint-disable-next-line no-sparse-arrays
  assert.equal(contentKey({ a: [1, , 3] }), undefined);
  assert.equal(contentKey({ a: new Date(0) }), undefined);
  assert.equal(contentKey({ a: new Map() }), undefined);
  let deep: object = {};
  for (let i = 0; i < 10_000; i++) deep = { d: deep };
  assert.equal(contentKey(deep), undefined);
  assert.ok(contentKey({ a: null, b: [true, 0, 'x'] }));
});

test('sharingKey: the content key where there is one, else a key nothing else gets', () => {
  assert.equal(sharingKey({ a: [1, 'x'] }), contentKey({ a: [1, 'x'] }));
  const odd = { n: Number.NaN };
  assert.equal(contentKey(odd), undefined);
  const first = sharingKey(odd);
  assert.notEqual(sharingKey(odd), first, 'even the same value gets a new one: nothing can be known to be equal to it');
  assert.notEqual(sharingKey({ n: Number.NaN }), first);
});
