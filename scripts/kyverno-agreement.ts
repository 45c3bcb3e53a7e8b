// Prints how far the built-in Kyverno engine agrees with the expected results of Kyverno CLI test files, and
// the disagreements grouped by cause. Usage: node --import tsx scripts/kyverno-agreement.ts [PATH...]
import { resolve } from 'node:path';
import { runKyvernoTests, type TestEntry } from '../server/src/engine/policy/kyverno/testRunner';

const paths = process.argv.slice(2);
const roots = paths.length ? paths : [resolve(__dirname, '..', '..', 'shared', 'corpus', 'kyverno')];
const run = runKyvernoTests(roots);
const total = run.entries.length;
const agree = run.entries.filter((e) => e.agrees).length;
console.log(`agreement: ${agree}/${total} = ${total ? ((100 * agree) / total).toFixed(2) : '0.00'}%`);
for (const e of run.errors) console.log(`test file error: ${e.file}: ${e.message}`);

/** A cause: expected→actual plus the reason with names and numbers blurred, so similar failures group together. */
function cause(e: TestEntry): string {
  const reason = e.reason.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 140);
  return `${e.expected} → ${e.actual}: ${reason}`;
}
const groups = new Map<string, TestEntry[]>();
for (const e of run.entries.filter((x) => !x.agrees)) {
  const k = cause(e);
  groups.set(k, [...(groups.get(k) ?? []), e]);
}
for (const [k, list] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
  console.log(`\n${list.length} × ${k}`);
  for (const e of list.slice(0, 5)) console.log(`    ${e.test}: ${e.policy}/${e.rule || '-'} ${e.kind}/${e.resource}`);
  if (list.length > 5) console.log(`    … ${list.length - 5} more`);
}
