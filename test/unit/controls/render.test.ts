import { test } from 'node:test';
import assert from 'node:assert/strict';
import { insertParams, renderStatement } from '../../../server/src/engine/controls/render';
import type { OscalParam } from '../../../server/src/engine/controls/oscal';

const lookupOf = (params: OscalParam[]) => (id: string) => params.find((p) => p.id === id);

test('parameters render as values, selections or assignments', () => {
  const lookup = lookupOf([
    { id: 'v', values: ['daily', 'weekly'] },
    { id: 's', select: { choice: ['one', 'two {{ insert: param, v }}'] } },
    { id: 'm', select: { 'how-many': 'one-or-more', choice: ['x'] } },
    { id: 'l', label: 'frequency' },
  ]);
  assert.equal(insertParams('{{ insert: param, v }}', lookup), 'daily, weekly');
  assert.equal(insertParams('{{insert: param, s}}', lookup), '[Selection: one; two daily, weekly]');
  assert.equal(insertParams('{{ insert: param, m }}', lookup), '[Selection (one or more): x]');
  assert.equal(insertParams('{{ insert: param, l }}', lookup), '[Assignment: frequency]');
  assert.equal(insertParams('{{ insert: param, missing }}', lookup), '[Assignment: missing]');
  assert.equal(insertParams('no params {{ insert: other, x }}', lookup), 'no params {{ insert: other, x }}');
});

test('self-referencing and multiplying parameters stay bounded', () => {
  const ten = Array.from({ length: 10 }, () => '{{ insert: param, p }}').join(' ');
  const lookup = lookupOf([{ id: 'p', select: { choice: [ten] } }]);
  const started = Date.now();
  const out = renderStatement({ id: 'c', title: 't', parts: [{ name: 'statement', prose: ten }] }, lookup)!;
  assert.ok(Date.now() - started < 2000);
  assert.ok(out.length <= 6001);
  assert.match(out, /\[…\]/);
});

test('statements: prose then labelled items as a nested list; none without a statement part', () => {
  const control = {
    id: 'c',
    title: 't',
    parts: [
      { name: 'guidance', prose: 'not shown' },
      {
        name: 'statement',
        prose: 'Intro:',
        parts: [{ name: 'item', props: [{ name: 'label', value: 'a.' }], prose: 'first', parts: [{ name: 'item', props: [{ name: 'label', value: '1.' }], prose: 'deep\nline' }] }],
      },
    ],
  };
  assert.equal(renderStatement(control, () => undefined), 'Intro:\n\n- a. first\n  - 1\\. deep line');
  assert.equal(renderStatement({ id: 'c', title: 't', parts: [{ name: 'guidance', prose: 'g' }] }, () => undefined), undefined);
  assert.equal(renderStatement({ id: 'c', title: 't' }, () => undefined), undefined);
});
