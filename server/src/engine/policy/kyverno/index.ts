/**
 * The Kyverno engine, as a library. Entry points:
 * - evaluateKyvernoPolicy / evaluateValidatingPolicy: one policy on one resource → RuleResult[] (pass, fail, skip,
 *   warn, error; message; the failing field's path when a pattern tells it). Rules that do not match give nothing.
 * - runKyvernoTests: every kyverno-test.yaml under some paths → one TestEntry per expected result.
 * - lintKyvernoDocument: structural findings (`kyverno.<check>`) for one parsed policy document.
 * - kyvernoPolicyAnalyzer / kyvernoWorkspaceAnalyzer: the same, plugged into the engine's FileAnalyzer interface.
 */
export { evaluateKyvernoPolicy, policyName } from './engine';
export { evaluateValidatingPolicy, isValidatingPolicy } from './validatingPolicy';
export { runKyvernoTests, runTestFile, findTestFiles, summarizeTestRun, nodeFs } from './testRunner';
export type { TestEntry, TestRun, TestSummary, TestFs } from './testRunner';
export { lintKyvernoDocument, isKyvernoPolicy } from './lint';
export { kyvernoPolicyAnalyzer, kyvernoWorkspaceAnalyzer } from './analyzer';
export type { RuleResult, RuleStatus, RuleType, EvaluationOptions } from './types';
