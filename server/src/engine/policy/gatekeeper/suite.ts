/**
 * `gator verify` suites (test.gatekeeper.sh `Suite`): the files they name exist (paths are relative
 * to the suite's folder), cases and assertions are well formed, and, when the files can be read, the
 * constraint is of the kind the template defines.
 */
import { parseAllDocuments } from 'yaml';
import type { Finding } from '../../types';
import { findingAt, goRegExp, isRecord, type ObjectContext } from './common';
import { runSuite, type CaseResult } from './verify';

export interface SuiteFiles {
  /** Whether the file exists; `path` is already resolved against the suite's folder. */
  exists(path: string): boolean;
  /** The file's text, when it can be read; enables the template/constraint agreement check. */
  read?(path: string): string | undefined;
  /** Resolves a path written in the suite against the suite's folder. */
  resolve(relative: string): string;
}

export function checkSuite(ctx: ObjectContext, files: SuiteFiles): Finding[] {
  const out: Finding[] = [];
  if (files.read) out.push(...suiteResults(ctx, files as SuiteFiles & { read(path: string): string | undefined }));
  const v = ctx.object.value;
  const tests = v.tests;
  if (tests === undefined) {
    out.push(findingAt(ctx, [], 'warning', 'gatekeeper.suite', 'The suite has no `tests`.', 'key'));
    return out;
  }
  if (!Array.isArray(tests)) {
    out.push(findingAt(ctx, ['tests'], 'error', 'gatekeeper.suite', '`tests` is a list of `{name, template, constraint, cases}`.'));
    return out;
  }
  const fileRef = (path: (string | number)[], value: unknown, what: string): string | undefined => {
    if (typeof value !== 'string' || !value) {
      out.push(findingAt(ctx, path, 'error', 'gatekeeper.suite', `\`${String(path[path.length - 1])}\` is the path of ${what}, relative to the suite.`));
      return undefined;
    }
    const resolved = files.resolve(value);
    if (!files.exists(resolved)) {
      out.push(findingAt(ctx, path, 'error', 'gatekeeper.suite-file', `${what[0].toUpperCase()}${what.slice(1)} "${value}" does not exist (looked for ${resolved}).`));
      return undefined;
    }
    return resolved;
  };
  tests.forEach((t, i) => {
    const at = ['tests', i];
    if (!isRecord(t)) return out.push(findingAt(ctx, at, 'error', 'gatekeeper.suite', 'Each test is a map with `name`, `template`, `constraint` and `cases`.'));
    if (typeof t.name !== 'string') out.push(findingAt(ctx, at, 'warning', 'gatekeeper.suite', 'The test has no `name`.', 'key'));
    const templatePath = 'template' in t ? fileRef([...at, 'template'], t.template, 'the ConstraintTemplate file') : undefined;
    if (!('template' in t)) out.push(findingAt(ctx, at, 'error', 'gatekeeper.suite', 'The test needs a `template` file.', 'key'));
    const constraintPath = 'constraint' in t ? fileRef([...at, 'constraint'], t.constraint, 'the constraint file') : undefined;
    if (!('constraint' in t)) out.push(findingAt(ctx, at, 'error', 'gatekeeper.suite', 'The test needs a `constraint` file.', 'key'));
    if (templatePath && constraintPath && files.read) checkAgreement(ctx, files, templatePath, constraintPath, at, out);
    const cases = t.cases;
    if (cases === undefined) return;
    if (!Array.isArray(cases)) return out.push(findingAt(ctx, [...at, 'cases'], 'error', 'gatekeeper.suite', '`cases` is a list of `{name, object, assertions}`.'));
    cases.forEach((k, j) => {
      const cat = [...at, 'cases', j];
      if (!isRecord(k)) return out.push(findingAt(ctx, cat, 'error', 'gatekeeper.suite', 'Each case is a map with `name`, `object` and `assertions`.'));
      if (!('object' in k)) out.push(findingAt(ctx, cat, 'error', 'gatekeeper.suite', 'The case needs an `object` file.', 'key'));
      else fileRef([...cat, 'object'], k.object, 'the object file');
      if ('inventory' in k) {
        if (!Array.isArray(k.inventory)) out.push(findingAt(ctx, [...cat, 'inventory'], 'error', 'gatekeeper.suite', '`inventory` is a list of file paths.'));
        else k.inventory.forEach((inv, n) => fileRef([...cat, 'inventory', n], inv, 'the inventory file'));
      }
      const assertions = k.assertions;
      if (assertions === undefined) return out.push(findingAt(ctx, cat, 'warning', 'gatekeeper.suite', 'The case has no `assertions`, so it checks nothing.', 'key'));
      if (!Array.isArray(assertions)) return out.push(findingAt(ctx, [...cat, 'assertions'], 'error', 'gatekeeper.suite', '`assertions` is a list of `{violations, message}`.'));
      assertions.forEach((a, n) => {
        const aat = [...cat, 'assertions', n];
        if (!isRecord(a)) return out.push(findingAt(ctx, aat, 'error', 'gatekeeper.suite', 'An assertion is a map with `violations` (yes, no or a count) and optionally `message`.'));
        const vio = a.violations;
        const ok = vio === undefined || vio === 'yes' || vio === 'no' || (typeof vio === 'number' && Number.isInteger(vio) && vio >= 0);
        if (!ok) out.push(findingAt(ctx, [...aat, 'violations'], 'error', 'gatekeeper.suite', '`violations` is "yes", "no" or a non-negative count.'));
        if ('message' in a && typeof a.message !== 'string') out.push(findingAt(ctx, [...aat, 'message'], 'error', 'gatekeeper.suite', '`message` is a regular expression string.'));
        if (typeof a.message === 'string') {
          try {
            goRegExp(a.message);
          } catch {
            out.push(findingAt(ctx, [...aat, 'message'], 'error', 'gatekeeper.suite', '`message` is not a valid regular expression.'));
          }
        }
      });
    });
  });
  return out;
}

function kindsIn(text: string): { kind?: string; crdKind?: string }[] {
  try {
    return parseAllDocuments(text).flatMap((d) => {
      if (!('toJS' in d)) return [];
      const v = d.toJS({ maxAliasCount: 100 }) as unknown;
      if (!isRecord(v)) return [];
      const spec = isRecord(v.spec) && isRecord(v.spec.crd) && isRecord(v.spec.crd.spec) && isRecord(v.spec.crd.spec.names) ? v.spec.crd.spec.names : undefined;
      return [{ kind: typeof v.kind === 'string' ? v.kind : undefined, crdKind: typeof spec?.kind === 'string' ? spec.kind : undefined }];
    });
  } catch {
    return [];
  }
}

function checkAgreement(ctx: ObjectContext, files: SuiteFiles, templatePath: string, constraintPath: string, at: (string | number)[], out: Finding[]): void {
  const templateText = files.read?.(templatePath);
  const constraintText = files.read?.(constraintPath);
  if (templateText === undefined || constraintText === undefined) return;
  const template = kindsIn(templateText).find((d) => d.kind === 'ConstraintTemplate');
  if (!template) {
    out.push(findingAt(ctx, [...at, 'template'], 'error', 'gatekeeper.suite', 'This file holds no ConstraintTemplate.'));
    return;
  }
  const constraint = kindsIn(constraintText)[0];
  if (template.crdKind && constraint?.kind && constraint.kind !== template.crdKind) {
    out.push(findingAt(ctx, [...at, 'constraint'], 'error', 'gatekeeper.suite', `The constraint is a ${constraint.kind} but the template defines ${template.crdKind}.`));
  }
}


/** Cases whose assertions the built-in interpreter does not reproduce: the policy or the expectation is wrong. */
function suiteResults(ctx: ObjectContext, files: SuiteFiles & { read(path: string): string | undefined }): Finding[] {
  let results: CaseResult[];
  try {
    results = runSuite(ctx.object.value, files);
  } catch {
    return []; // evaluation is best effort; the structural checks stand on their own
  }
  return results
    .filter((r) => !r.ok && !r.error)
    .map((r) => findingAt(ctx, [...r.path, 'name'], 'warning', 'gatekeeper.suite-result', `Case "${r.case}" of test "${r.test}": ${r.detail}${r.messages.length ? ` (violations: ${r.messages.slice(0, 3).map((m) => JSON.stringify(m)).join(', ')}${r.messages.length > 3 ? ', ...' : ''})` : ''}.`, 'value'));
}

export { goRegExp };
