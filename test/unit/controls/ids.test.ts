import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseControlId, canonicalControlId, compareControlIds, displayControlId, parseControlId } from '../../../server/src/engine/controls/ids';

test('every written form of a control is one canonical id', () => {
  for (const form of ['AC-6(1)', 'ac-6.1', 'AC-06(01)', 'Ac-6 (1)', 'ac-06.01', ' AC-6( 1 ) ']) assert.equal(canonicalControlId(form), 'ac-6.1', form);
  for (const form of ['AC-6', 'ac-6', 'AC-06', 'ac-006']) assert.equal(canonicalControlId(form), 'ac-6', form);
  assert.deepEqual(parseControlId('SC-7(24)'), { id: 'sc-7.24', family: 'sc', number: 7, enhancement: 24 });
});

test('non-ids are rejected', () => {
  for (const bad of ['', 'AC', 'AC-', 'A-1', 'ACCESS-1', 'AC-1(', 'AC-1)', 'AC-1.2.3', 'AC-1234', 'ac 6', '6-ac', 'AC-6(1)x']) assert.equal(canonicalControlId(bad), undefined, bad);
});

test('display form and base control', () => {
  assert.equal(displayControlId('ac-6.1'), 'AC-6(1)');
  assert.equal(displayControlId('AC-06'), 'AC-6');
  assert.equal(displayControlId('not an id'), 'not an id');
  assert.equal(baseControlId('cm-7.5'), 'cm-7');
});

test('ordering: ac-2 < ac-2.1 < ac-2.10 < ac-10 < at-1', () => {
  assert.deepEqual(['at-1', 'ac-10', 'ac-2.10', 'ac-2.1', 'ac-2'].sort(compareControlIds), ['ac-2', 'ac-2.1', 'ac-2.10', 'ac-10', 'at-1']);
});
