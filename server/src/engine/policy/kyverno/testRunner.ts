import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { evaluateKyvernoPolicy, policyName } from './engine';
import { evaluateValidatingPolicy, isValidatingPolicy } from './validatingPolicy';
import { isObj, type EvaluationOptions, type Obj, type RuleResult, type RuleStatus } from './types';

/**
 * Runs Kyverno CLI test files (`kyverno-test.yaml`, cli.kyverno.io/v1alpha1 Test) with the built-in engine: every
 * expected result (policy, rule, resource, kind, result) is compared with the engine's own.
 */

export interface TestFs {
  readFile(path: string): string;
  isDirectory(path: string): boolean;
  list(dir: string): string[];
}

export const nodeFs: TestFs = {
  readFile: (p) => readFileSync(p, 'utf8'),
  isDirectory: (p) => statSync(p).isDirectory(),
  list: (d) => readdirSync(d),
};

export interface TestEntry {
  /** The Test's metadata.name (or the file when it has none). */
  test: string;
  /** The test file. */
  file: string;
  policy: string;
  rule: string;
  resource: string;
  kind: string;
  expected: string;
  actual: RuleStatus | 'missing';
  /** Why the actual result is what it is (the rule's message or the error). */
  reason: string;
  agrees: boolean;
  /** Where the expectation stands in the test file: its index in `results`, and the resource's index in that entry's names. */
  at: { result: number; name: number };
}

export interface TestRun {
  entries: TestEntry[];
  /** Test files that could not be run at all, with the reason. */
  errors: { file: string; message: string }[];
}

const SKIP_DIRS = new Set(['node_modules', '.git']);
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export function findTestFiles(paths: string[], fs: TestFs = nodeFs): string[] {
  const out: string[] = [];
  const walk = (p: string, depth: number): void => {
    if (depth > 30) return;
    let dir: boolean;
    try {
      dir = fs.isDirectory(p);
    } catch {
      return;
    }
    if (!dir) {
      if (/(^|[\\/])kyverno-test\.ya?ml$/.test(p)) out.push(p);
      return;
    }
    for (const name of fs.list(p).sort()) {
      if (SKIP_DIRS.has(name)) continue;
      walk(join(p, name), depth + 1);
    }
  };
  for (const p of paths) {
    try {
      if (!fs.isDirectory(p)) {
        out.push(p);
        continue;
      }
    } catch {
      continue;
    }
    walk(p, 0);
  }
  return [...new Set(out)];
}

function loadDocs(path: string, fs: TestFs): Obj[] {
  const text = fs.readFile(path);
  if (text.length > MAX_FILE_BYTES) throw new Error(`${path} is larger than ${MAX_FILE_BYTES} bytes`);
  const out: Obj[] = [];
  for (const doc of parseAllDocuments(text, { uniqueKeys: false })) {
    if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0].message.split('\n')[0]}`);
    const v = doc.toJS({ maxAliasCount: 1000 }) as unknown;
    if (!isObj(v)) continue;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) out.push(...v.items.filter(isObj));
    else out.push(v);
  }
  return out;
}

interface Values {
  global: Record<string, unknown>;
  policies: Map<string, { rules: Map<string, Record<string, unknown>>; foreach: Map<string, Record<string, unknown[]>>; resources: Map<string, Record<string, unknown>> }>;
  namespaces: Record<string, Obj>;
  namespaceLabels: Record<string, Record<string, string>>;
}

function loadValues(path: string | undefined, fs: TestFs): Values {
  const values: Values = { global: {}, policies: new Map(), namespaces: {}, namespaceLabels: {} };
  if (!path) return values;
  const doc = loadDocs(path, fs)[0] ?? {};
  if (isObj(doc.globalValues)) values.global = doc.globalValues;
  for (const p of Array.isArray(doc.policies) ? doc.policies.filter(isObj) : []) {
    const entry = { rules: new Map<string, Record<string, unknown>>(), foreach: new Map<string, Record<string, unknown[]>>(), resources: new Map<string, Record<string, unknown>>() };
    for (const r of Array.isArray(p.rules) ? p.rules.filter(isObj) : []) {
      if (isObj(r.values)) entry.rules.set(String(r.name), r.values);
      if (isObj(r.foreachValues)) entry.foreach.set(String(r.name), r.foreachValues as Record<string, unknown[]>);
    }
    for (const r of Array.isArray(p.resources) ? p.resources.filter(isObj) : []) if (isObj(r.values)) entry.resources.set(String(r.name), r.values);
    values.policies.set(String(p.name), entry);
  }
  for (const ns of Array.isArray(doc.namespaces) ? doc.namespaces.filter(isObj) : []) {
    const meta = isObj(ns.metadata) ? ns.metadata : {};
    if (typeof meta.name === 'string') values.namespaces[meta.name] = ns;
  }
  for (const s of Array.isArray(doc.namespaceSelector) ? doc.namespaceSelector.filter(isObj) : []) {
    if (typeof s.name === 'string' && isObj(s.labels)) values.namespaceLabels[s.name] = s.labels as Record<string, string>;
  }
  return values;
}

function loadUserInfo(path: string | undefined, fs: TestFs): Partial<EvaluationOptions> {
  if (!path) return {};
  const doc = loadDocs(path, fs)[0] ?? {};
  const ui = isObj(doc.userInfo) ? doc.userInfo : {};
  return {
    roles: Array.isArray(doc.roles) ? doc.roles.map(String) : undefined,
    clusterRoles: Array.isArray(doc.clusterRoles) ? doc.clusterRoles.map(String) : undefined,
    username: typeof ui.username === 'string' ? ui.username : undefined,
    groups: Array.isArray(ui.groups) ? ui.groups.map(String) : undefined,
  };
}

function nameOf(o: Obj): string {
  const meta = isObj(o.metadata) ? o.metadata : {};
  return typeof meta.name === 'string' ? meta.name : '';
}

function nsOf(o: Obj): string {
  const meta = isObj(o.metadata) ? o.metadata : {};
  return typeof meta.namespace === 'string' ? meta.namespace : '';
}

function strList(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(String) : [];
}

/** Runs every test file under `paths`. */
export function runKyvernoTests(paths: string[], fs: TestFs = nodeFs): TestRun {
  const run: TestRun = { entries: [], errors: [] };
  for (const file of findTestFiles(paths, fs)) {
    try {
      run.entries.push(...runTestFile(file, fs));
    } catch (e) {
      run.errors.push({ file, message: (e as Error).message });
    }
  }
  return run;
}

export function runTestFile(file: string, fs: TestFs = nodeFs): TestEntry[] {
  const test = loadDocs(file, fs)[0];
  // older test files carry no apiVersion/kind; they are still Kyverno CLI tests when they list results
  if (!test || (test.kind !== 'Test' && !(test.kind === undefined && Array.isArray(test.results)))) throw new Error(`${file} is not a Kyverno Test`);
  const base = dirname(file);
  const at = (p: unknown): string => resolve(base, String(p));
  const testName = nameOf(test) || (typeof test.name === 'string' ? test.name : '') || relative(process.cwd(), file);
  const policies = strList(test.policies).flatMap((p) => loadDocs(at(p), fs)).filter((p) => typeof p.kind === 'string');
  const resources = strList(test.resources).flatMap((p) => loadDocs(at(p), fs));
  const variablesPath = typeof test.variables === 'string' ? at(test.variables) : undefined;
  const values = loadValues(variablesPath, fs);
  const userInfo = loadUserInfo(typeof test.userinfo === 'string' ? at(test.userinfo) : undefined, fs);
  const exceptions = strList(test.exceptions).flatMap((p) => loadDocs(at(p), fs)).filter((d) => d.kind === 'PolicyException');
  const cache = new Map<string, RuleResult[]>();
  const evaluate = (policy: Obj, resource: Obj, rIndex: number, pIndex: number): RuleResult[] => {
    const key = `${pIndex}:${rIndex}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const pv = values.policies.get(policyName(policy));
    const resourceValues = pv?.resources.get(nameOf(resource)) ?? {};
    const ruleValues: Record<string, Record<string, unknown>> = {};
    for (const [r, v] of pv?.rules ?? []) ruleValues[r] = v;
    // rule values also feed the autogen copies of the rule
    for (const [r, v] of Object.entries({ ...ruleValues })) {
      ruleValues[`autogen-${r}`] = v;
      ruleValues[`autogen-cronjob-${r}`] = v;
    }
    const foreachValues: Record<string, Record<string, unknown[]>> = {};
    for (const [r, v] of pv?.foreach ?? []) foreachValues[r] = foreachValues[`autogen-${r}`] = foreachValues[`autogen-cronjob-${r}`] = v;
    const options: EvaluationOptions = {
      ...userInfo,
      values: { ...values.global, ...resourceValues },
      ruleValues,
      foreachValues,
      namespaces: values.namespaces,
      namespaceLabels: values.namespaceLabels,
      exceptions,
      onlyGivenNamespaces: true,
    };
    const results = isValidatingPolicy(policy) ? evaluateValidatingPolicy(policy, resource, options) : evaluateKyvernoPolicy(policy, resource, options);
    cache.set(key, results);
    return results;
  };
  const entries: TestEntry[] = [];
  const resultList: unknown[] = Array.isArray(test.results) ? test.results : [];
  for (const [resultIndex, r] of resultList.entries()) {
    if (!isObj(r)) continue;
    const policyRef = String(r.policy ?? '');
    const ruleName = typeof r.rule === 'string' ? r.rule : '';
    const kind = String(r.kind ?? '');
    const expected = String(r.result ?? r.status ?? '').trim();
    const names = [...strList(r.resource), ...strList(r.resources)];
    const pName = policyRef.includes('/') ? policyRef.slice(policyRef.indexOf('/') + 1) : policyRef;
    const pIndex = policies.findIndex((p) => policyName(p) === pName);
    for (const [nameIndex, resName] of names.entries()) {
      const entry: TestEntry = {
        test: testName,
        file,
        policy: policyRef,
        rule: ruleName,
        resource: resName,
        kind,
        expected,
        actual: 'missing',
        reason: '',
        agrees: false,
        at: { result: resultIndex, name: nameIndex },
      };
      entries.push(entry);
      if (pIndex < 0) {
        entry.reason = `policy ${policyRef} is not among the test's policies`;
        continue;
      }
      const [rNs, rName] = resName.includes('/') ? [resName.slice(0, resName.indexOf('/')), resName.slice(resName.indexOf('/') + 1)] : ['', resName];
      const wantNs = typeof r.namespace === 'string' ? r.namespace : rNs;
      // a resource written without a namespace answers to any namespace the expectation names
      const rIndex = resources.findIndex((o) => nameOf(o) === rName && (!kind || o.kind === kind) && (!wantNs || !nsOf(o) || nsOf(o) === wantNs));
      if (rIndex < 0) {
        entry.reason = `resource ${kind}/${resName} is not among the test's resources`;
        continue;
      }
      const results = evaluate(policies[pIndex], resources[rIndex], rIndex, pIndex);
      const hit = ruleName
        ? results.find((x) => x.rule === ruleName) ?? results.find((x) => x.sourceRule === ruleName)
        : results[0];
      if (!hit) {
        entry.actual = 'skip';
        entry.reason = ruleName ? `rule ${ruleName} does not apply to the resource` : 'the policy does not apply to the resource';
      } else {
        entry.actual = hit.status;
        entry.reason = hit.message;
      }
      entry.agrees = entry.actual === expected;
    }
  }
  return entries;
}

export interface TestSummary {
  total: number;
  agree: number;
  /** Entries whose actual result differs from the expected one, or could not be decided. */
  mismatches: TestEntry[];
  /** Files that could not be run. */
  errors: TestRun['errors'];
}

export function summarizeTestRun(run: TestRun): TestSummary {
  const mismatches = run.entries.filter((e) => !e.agrees);
  return { total: run.entries.length, agree: run.entries.length - mismatches.length, mismatches, errors: run.errors };
}
