import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ErrorObject } from 'ajv';
import { dedupeOfficial, officialIssues, officialSchemasFromDirectory, pruneAnyOfNoise } from '../../../server/src/engine/oscal/official';
import type { OscalIssue } from '../../../server/src/engine/oscal/issues';
import { corpusPath, hasCorpus } from '../../support/corpus';
import { findings, minimalCatalog } from './helpers';

const skip = !hasCorpus() && 'corpus (official schemas) not available';

test('official schemas are picked by version, and findings are not repeated', { skip }, () => {
  const schemas = officialSchemasFromDirectory(corpusPath('oscal', 'schemas'));
  assert.equal(schemas.validatorFor('catalog', '1.1.2')?.version, '1.1.2');
  assert.equal(schemas.validatorFor('catalog', '1.1.0')?.version, '1.1.3');
  assert.equal(schemas.validatorFor('catalog', '1.2.0')?.version, '1.2.1');
  assert.equal(schemas.validatorFor('catalog', '1.0.0'), undefined);
  const env = { officialSchemas: schemas };
  assert.deepEqual(findings(minimalCatalog(), 'c.yaml', env), []);
  const bad = findings(minimalCatalog().replace('    last-modified: 2024-01-31T12:00:00Z\n', '').replace('title: Test catalog', 'title: 5'), 'c.yaml', env);
  assert.deepEqual(bad.map((f) => f.code).sort(), ['oscal.missing-field', 'oscal.wrong-type']);
});

test('official-only findings survive deduplication; covered ones do not', () => {
  const builtIn: OscalIssue[] = [{ code: 'oscal.missing-field', severity: 'error', path: ['catalog', 'metadata'], part: 'key', message: 'x' }];
  const official: OscalIssue[] = [
    { code: 'oscal.schema', severity: 'error', path: ['catalog', 'metadata'], part: 'key', message: 'same object' },
    { code: 'oscal.schema', severity: 'error', path: ['catalog', 'controls', 0, 'id'], part: 'value', message: 'elsewhere' },
  ];
  assert.deepEqual(dedupeOfficial(official, builtIn).map((i) => i.message), ['elsewhere']);
});

test('errors of anyOf branches the value was not meant to match are dropped', () => {
  const e = (keyword: string, schemaPath: string, instancePath = '/x', schema?: unknown[]): ErrorObject => ({ keyword, schemaPath, instancePath, params: {}, schema });
  const errors = [e('required', '#/anyOf/0/required'), e('required', '#/anyOf/0/required'), e('additionalProperties', '#/anyOf/1/additionalProperties'), e('anyOf', '#/anyOf', '/x', [{}, {}])];
  assert.deepEqual(pruneAnyOfNoise(errors).map((x) => x.schemaPath), ['#/anyOf/1/additionalProperties']);
  // Recursive schemas: an inner group's errors belong to the inner anyOf; the outer group's intended branch
  // has no errors of its own (it failed through the inner group), so the other branch's complaint is noise.
  const g = '#/definitions/group/anyOf';
  const nested = [
    e('additionalProperties', `${g}/0/additionalProperties`, '/g/groups/0'),
    e('additionalProperties', `${g}/0/additionalProperties`, '/g/groups/0'),
    e('additionalProperties', `${g}/1/additionalProperties`, '/g/groups/0'),
    e('anyOf', g, '/g/groups/0', [{}, {}]),
    e('additionalProperties', `${g}/1/additionalProperties`, '/g'),
    e('anyOf', g, '/g', [{}, {}]),
  ];
  assert.deepEqual(pruneAnyOfNoise(nested), [nested[2]]);
});

test('the official schema rejects an unknown field in a nested group, and says where', { skip }, () => {
  const v = officialSchemasFromDirectory(corpusPath('oscal', 'schemas')).validatorFor('catalog', '1.2.1');
  assert.ok(v);
  const doc = { catalog: { uuid: '0f6a2c1e-8b7d-4e6f-9a0b-1c2d3e4f5a6b', metadata: { title: 'T', 'last-modified': '2024-01-31T12:00:00Z', version: '1', 'oscal-version': '1.2.1' }, groups: [{ title: 'outer', groups: [{ title: 'inner', controls: [{ id: 'c', title: 'C' }], stray: 1 }] }] } };
  const issues = officialIssues(v.validate, doc);
  assert.deepEqual(issues.map((i) => [i.path, i.message]), [[['catalog', 'groups', 0, 'groups', 0, 'stray'], '`groups` has no field `stray`']]);
});

test('what only the official schema finds is reported as oscal.schema, in plain words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oscal-schemas-'));
  try {
    // A stand-in "official" schema that is stricter than the model: the catalog must have `params`.
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'http://csrc.nist.gov/ns/oscal/1.0/1.1.2/oscal-catalog-schema.json',
      type: 'object',
      properties: { catalog: { type: 'object', required: ['params'] } },
      required: ['catalog'],
    };
    writeFileSync(join(dir, 'oscal_catalog_schema.json'), JSON.stringify(schema));
    const f = findings(minimalCatalog(), 'c.yaml', { officialSchemas: officialSchemasFromDirectory(dir) });
    assert.deepEqual(f.map((x) => [x.code, x.message]), [['oscal.schema', '`catalog` needs `params`']]);
    assert.equal(f[0].range.start.line, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a configured schema folder without a schema for the version says so once, as information', { skip }, () => {
  const schemas = officialSchemasFromDirectory(corpusPath('oscal', 'schemas'));
  const f = findings(minimalCatalog().replace('oscal-version: 1.1.2', 'oscal-version: 1.0.4'), 'c.yaml', { officialSchemas: schemas });
  assert.deepEqual(f.map((x) => `${x.code}/${x.severity}`), ['oscal.schema-unavailable/information']);
  assert.match(f[0].message, /No official schema for catalog 1\.0\.4 in .*schemas \(it has 1\.1\.2, 1\.1\.3, 1\.2\.1\); checked with the built-in model only/);
  const none = findings(minimalCatalog(), 'c.yaml', { officialSchemas: officialSchemasFromDirectory('/nonexistent/schemas') });
  assert.match(none[0].message, /no OSCAL schemas found there/);
});
