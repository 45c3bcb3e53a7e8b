import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../../support/corpus';

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  [k: string]: unknown;
}

const grammar = JSON.parse(readFileSync(join(REPO_ROOT, 'syntaxes', 'rego.tmLanguage.json'), 'utf8')) as { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };
const config = JSON.parse(readFileSync(join(REPO_ROOT, 'syntaxes', 'rego.language-configuration.json'), 'utf8')) as Record<string, any>;

function allRules(): Rule[] {
  const out: Rule[] = [];
  const walk = (r: Rule): void => {
    out.push(r);
    r.patterns?.forEach(walk);
  };
  grammar.patterns.forEach(walk);
  Object.values(grammar.repository).forEach(walk);
  return out;
}

test('the Rego grammar is well formed: scope, regexes compile, includes resolve', () => {
  assert.equal(grammar.scopeName, 'source.rego');
  for (const r of allRules()) {
    for (const key of ['match', 'begin', 'end'] as const) {
      if (r[key] !== undefined) assert.doesNotThrow(() => new RegExp(r[key] as string), `${key}: ${r[key]}`);
    }
    if (r.include?.startsWith('#')) assert.ok(grammar.repository[r.include.slice(1)], r.include);
  }
});

test('the grammar picks out Rego constructs', () => {
  const re = (name: string): RegExp => new RegExp(grammar.repository[name].match as string);
  assert.deepEqual(re('package').exec('package k8s.required_labels')?.slice(1, 3), ['package', 'k8s.required_labels']);
  assert.equal(re('import').exec('import data.lib.x as y')?.[4], 'y');
  assert.equal(re('rule-head').exec('deny contains msg if {')?.[3], 'deny');
  assert.equal(re('rule-head').exec('default allow := false')?.[3], 'allow');
  assert.equal(re('rule-head').exec('violation[{"msg": msg}] {')?.[3], 'violation');
  assert.equal(re('rule-head').exec('is_exempt(c) if {')?.[3], 'is_exempt');
  assert.equal(re('rule-head').exec('  x == y'), null);
  assert.equal(re('number').exec('x := -1.5e3')?.[0], '-1.5e3');
  assert.equal(re('constant').exec('x := null')?.[0], 'null');
  assert.equal(re('call').exec('sprintf("%v", [x])')?.[1], 'sprintf');
  const kw = new RegExp(grammar.repository.keyword.patterns![0].match!);
  for (const k of ['if', 'contains', 'every', 'some', 'in', 'not', 'with', 'else']) assert.ok(kw.test(` ${k} `), k);
  assert.equal(new RegExp(grammar.repository.metadata.begin!).test('# METADATA'), true);
});

test('the language configuration has comments, brackets and auto-closing pairs', () => {
  assert.equal(config.comments.lineComment, '#');
  assert.deepEqual(config.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
  const opens = (config.autoClosingPairs as { open: string }[]).map((p) => p.open);
  for (const o of ['{', '[', '(', '"', '`']) assert.ok(opens.includes(o), o);
  assert.doesNotThrow(() => new RegExp(config.indentationRules.increaseIndentPattern));
});

const injection = JSON.parse(readFileSync(join(REPO_ROOT, 'syntaxes', 'rego.yaml-injection.tmLanguage.json'), 'utf8')) as { scopeName: string; injectionSelector: string; repository: Record<string, Rule> };

/** Lines a begin/end rule covers, with the end's back-reference bound to the begin's indentation (as TextMate does). */
function blocks(rule: Rule, lines: string[], from = 0, to = lines.length): { begin: number; end: number }[] {
  const out: { begin: number; end: number }[] = [];
  const begin = new RegExp(rule.begin!);
  for (let i = from; i < to; i++) {
    const m = begin.exec(lines[i]);
    if (!m) continue;
    const indent = m[1].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const end = new RegExp(rule.end!.replace(/\\1/g, indent));
    let j = i + 1;
    while (j < to && !end.test(lines[j])) j++;
    out.push({ begin: i, end: j });
    i = j - 1;
  }
  return out;
}

test('the YAML injection embeds Rego exactly over rego: and libs: block scalars', () => {
  assert.equal(injection.scopeName, 'control-lens.rego.yaml.injection');
  assert.match(injection.injectionSelector, /source\.yaml/);
  const yaml = [
    'spec:', //                                   0
    '  targets:', //                              1
    '    - target: admission.k8s.gatekeeper.sh', // 2
    '      rego: |', //                           3
    '        package k8s', //                     4
    '', //                                        5
    '        violation[{"msg": m}] { m := 1 }', // 6
    '      libs:', //                             7
    '        - |', //                             8
    '          package lib.a', //                 9
    '          x := 1', //                        10
    '        - |-', //                            11
    '          package lib.b', //                 12
    '      code:', //                             13
    '        - engine: Rego', //                  14
    '          source:', //                       15
    '            rego: |', //                     16
    '              package k8s', //               17
    'status: {}', //                              18
  ];
  assert.deepEqual(blocks(injection.repository['rego-block'], yaml), [{ begin: 3, end: 7 }, { begin: 16, end: 18 }]);
  const libs = blocks(injection.repository.libs, yaml);
  assert.deepEqual(libs, [{ begin: 7, end: 13 }]);
  assert.deepEqual(blocks(injection.repository['lib-item'], yaml, 8, 13), [{ begin: 8, end: 11 }, { begin: 11, end: 13 }]);
  assert.equal(new RegExp(injection.repository['rego-block'].begin!).test('      rego: "package x"'), false);
});
