/**
 * One Rego source as the rest of the engine sees it: where it lives (a `.rego` file or a YAML scalar),
 * how its offsets map to the file, its syntax tree, its annotations and its problems.
 */
import type { Module } from './ast';
import type { Comment } from './lexer';
import { readAnnotations, type AnnotationProblem, type ControlLookup, type RegoAnnotation } from './metadata';
import { parseRego, type RegoSyntaxProblem, type RegoVersion } from './parser';

export interface RegoSource {
  /** The file the source lives in. */
  uri: string;
  /** The Rego text itself (a `.rego` file's text, or a YAML scalar's value). */
  text: string;
  /** Absolute offset in the file of the Rego text's offset `i`. */
  toFile(i: number): number;
  /** Offset in the Rego text of absolute file offset `offset`. */
  fromFile(offset: number): number;
  /** Where the source sits when embedded (`spec.targets[0].rego`), for messages. */
  label?: string;
}

export interface RegoProblem {
  message: string;
  /** Offsets in the Rego text. */
  start: number;
  end: number;
  code: string;
  severity: 'error' | 'warning' | 'information';
}

export interface RegoModuleInfo {
  source: RegoSource;
  module: Module;
  comments: Comment[];
  version: RegoVersion;
  annotations: RegoAnnotation[];
  problems: RegoProblem[];
  /** Package path joined with dots (`lib.exempt_container`), '' when missing. */
  packageName: string;
}

export interface RegoAnalysisOptions {
  /** `auto` by default: v1 unless the text reads as v0. Gatekeeper's `rego` fields are v0 unless stated. */
  version?: RegoVersion | 'auto';
  controls?: ControlLookup;
  /** Add an information finding when a source reads as Rego v0 (for `.rego` files under OPA 1.x). */
  hintV0?: boolean;
}

export function fileSource(uri: string, text: string): RegoSource {
  return { uri, text, toFile: (i) => i, fromFile: (o) => o };
}

/** Parses and checks one Rego source. */
export function analyzeRegoSource(source: RegoSource, options: RegoAnalysisOptions = {}): RegoModuleInfo {
  const parsed = parseRego(source.text, { version: options.version ?? 'auto' });
  const problems: RegoProblem[] = parsed.errors.map((e: RegoSyntaxProblem) => ({ ...e, severity: 'error' as const }));
  const ann = readAnnotations(source.text, parsed.module, parsed.comments, options.controls);
  problems.push(...ann.problems.map((p: AnnotationProblem) => ({ ...p })));
  if (options.hintV0 && parsed.version === 'v0' && parsed.v0Evidence) {
    problems.push({
      message: `This module is written in Rego v0 syntax, which OPA 1.x reads only with --v0-compatible (${parsed.v0Evidence.message}); \`opa fmt --v0-v1\` rewrites it.`,
      start: parsed.v0Evidence.start,
      end: parsed.v0Evidence.end,
      code: 'rego.v0-syntax',
      severity: 'information',
    });
  }
  return {
    source,
    module: parsed.module,
    comments: parsed.comments,
    version: parsed.version,
    annotations: ann.annotations,
    problems,
    packageName: parsed.module.package?.path.join('.') ?? '',
  };
}
