import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalControlId, compareControlIds, displayControlId, findControlMentions, parseControlId } from '../../../server/src/engine/controls/ids';

test('every written form of a control is one control', () => {
  for (const form of ['AC-6(1)', 'ac-6.1', 'AC-06(01)', 'ac-6 (1)', 'Ac-6.01', ' AC-6(1) ']) {
    assert.equal(canonicalControlId(form), 'ac-6.1', form);
    assert.equal(displayControlId(form), 'AC-6(1)', form);
  }
  assert.equal(canonicalControlId('AC-6'), 'ac-6');
  assert.equal(displayControlId('ac-6'), 'AC-6');
  assert.equal(displayControlId('sc-7.21'), 'SC-7(21)');
});

test('text that is not a control id is refused', () => {
  for (const bad of ['', 'AC', 'AC-', '6', 'AC-6(', 'AC-6)1(', 'AC-6.1.2', 'A-6', 'ABCD-6', 'AC_6']) {
    assert.equal(parseControlId(bad), undefined, bad);
  }
});

test('mentions in free text are found with their offsets, unknown families skipped', () => {
  const text = 'AC-6, CM-7(1); see ZZ-3 and TLS-1.2 and sc-7.21';
  const known = new Set(['ac', 'cm', 'sc']);
  const found = findControlMentions(text, (f) => known.has(f));
  assert.deepEqual(found.map((m) => [m.id, m.offset]), [['ac-6', 0], ['cm-7.1', 6], ['sc-7.21', 40]]);
});

test('ids sort numerically', () => {
  const ids = ['ac-10', 'ac-2.1', 'ac-2', 'au-1', 'ac-2.10', 'ac-2.3'];
  assert.deepEqual(ids.sort(compareControlIds), ['ac-2', 'ac-2.1', 'ac-2.3', 'ac-2.10', 'ac-10', 'au-1']);
});
