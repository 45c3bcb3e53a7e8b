/** CEL expressions written in YAML: compiled with the shared CEL layer, syntax errors at their characters in the file. */
import type { ParsedDocument, ParsedFile } from '../../documents/parse';
import type { JsonPath } from '../../documents/paths';
import { compileCel } from '../cel';
import { embeddedSource } from '../gatekeeper/embedded';

export interface CelSyntaxProblem {
  message: string;
  /** Absolute file offsets. */
  start: number;
  end: number;
}

/** The syntax error of the CEL expression at `path` (absolute in the document), if any. */
export function celSyntaxProblem(file: ParsedFile, doc: ParsedDocument, path: JsonPath): CelSyntaxProblem | undefined {
  const source = embeddedSource(file, doc, path);
  if (!source) return undefined;
  const result = compileCel(source.text);
  if (result.ok) return undefined;
  const start = source.toFile(Math.min(result.error.start, source.text.length));
  const end = Math.max(start + 1, source.toFile(Math.min(Math.max(result.error.end, result.error.start + 1), source.text.length)));
  return { message: result.error.message, start, end };
}

/** Names after `variables.` in an expression, outside string literals. */
export function referencedVariables(expression: string): { name: string; index: number }[] {
  const out: { name: string; index: number }[] = [];
  const stripped = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (m) => ' '.repeat(m.length));
  for (const m of stripped.matchAll(/(?<![\w.])variables\.([A-Za-z_][A-Za-z0-9_]*)/g)) out.push({ name: m[1], index: (m.index ?? 0) + 'variables.'.length });
  return out;
}

/** Whether the expression reads `params` (outside string literals). */
export function usesParams(expression: string): boolean {
  const stripped = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (m) => ' '.repeat(m.length));
  return /(?<![\w.])params\b/.test(stripped);
}
