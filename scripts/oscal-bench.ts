/**
 * Speed of the OSCAL checks and editor features on NIST's HIGH resolved catalog (the largest baseline):
 * parse, diagnostics (built-in, then with the official schema), then hover, definition, completion and
 * outline at real positions. Prints milliseconds (median of several runs after a warm-up).
 *
 * Usage: node --import tsx scripts/oscal-bench.ts [FILE] [--runs N]
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { familyOnlyDirectory } from '../server/src/engine/controls/builtinDirectory';
import { DocumentParser } from '../server/src/engine/documents/parse';
import { Engine } from '../server/src/engine/engine';
import { oscalAnalyzer } from '../server/src/engine/oscal/analyzer';
import { analyzeOscalFile } from '../server/src/engine/oscal/analyze';
import { oscalCompletions } from '../server/src/engine/oscal/features/completion';
import { oscalDefinition, oscalHover, oscalReferences } from '../server/src/engine/oscal/features/navigation';
import { oscalSymbols } from '../server/src/engine/oscal/features/symbols';
import { officialSchemasFromDirectory } from '../server/src/engine/oscal/official';
import type { Position } from '../server/src/engine/types';

const corpus = process.env.CONTROL_LENS_CORPUS ?? resolve(__dirname, '..', '..', 'shared', 'corpus');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 7;
const file = args.find((a) => !a.startsWith('--') && !/^\d+$/.test(a)) ?? join(corpus, 'oscal', 'nist.gov', 'SP800-53', 'rev5', 'json', 'NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time<T>(f: () => T): [number, T] {
  const t = performance.now();
  const r = f();
  return [performance.now() - t, r];
}

function measure(label: string, f: () => unknown, n = runs): void {
  f();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(time(f)[0]);
  console.log(`${label.padEnd(44)} ${median(times).toFixed(1).padStart(8)} ms`);
}

const text = readFileSync(file, 'utf8');
console.log(`${file.split('/').pop()}: ${(text.length / 1024 / 1024).toFixed(2)} MB`);
const [parseMs, parsed] = time(() => new DocumentParser().parse(`file://${file}`, text));
console.log(`${'parse (cold, yaml library, exact ranges)'.padEnd(44)} ${parseMs.toFixed(1).padStart(8)} ms`);
const [coldMs, cold] = time(() => analyzeOscalFile(parsed));
console.log(`${'diagnostics, built-in, first run'.padEnd(44)} ${coldMs.toFixed(1).padStart(8)} ms  (${cold.findings.length} findings)`);
measure('diagnostics, built-in, warm', () => analyzeOscalFile(parsed));
const schemas = officialSchemasFromDirectory(join(corpus, 'oscal', 'schemas'));
const [compileMs] = time(() => analyzeOscalFile(parsed, { officialSchemas: schemas }));
console.log(`${'diagnostics + official schema (incl. compile)'.padEnd(44)} ${compileMs.toFixed(1).padStart(8)} ms`);
measure('diagnostics + official schema, warm', () => analyzeOscalFile(parsed, { officialSchemas: schemas }));

const at = (needle: string, delta: number): Position => {
  const i = text.indexOf(needle);
  const before = text.slice(0, i + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
};
analyzeOscalFile(parsed); // as in the editor: diagnostics first, then features reuse the analysis
const uuidRef = /"href":"#([0-9a-f-]{36})"/.exec(text);
if (uuidRef) {
  const pos = at(uuidRef[0], 10);
  measure('hover on a #uuid link', () => oscalHover(parsed, pos));
  measure('definition of a #uuid link', () => oscalDefinition(parsed, pos));
  measure('references of a #uuid link', () => oscalReferences(parsed, pos));
}
const param = /"params":\[\{"id":"([^"]+)"/.exec(text);
if (param) measure('hover on a parameter id', () => oscalHover(parsed, at(param[0], 18)));
measure('completion of a field name (metadata)', () => oscalCompletions(parsed, at('"metadata":{', 13)));
measure('document symbols (outline)', () => oscalSymbols(parsed), 3);

// Through the engine, as the language server and the CLI run it (the OSCAL analyser alone).
{
  const engine = new Engine({ analyzers: [oscalAnalyzer], controls: familyOnlyDirectory, settings: {} });
  const uri = `file://${file}`;
  const [setMs] = time(() => engine.setText(uri, text));
  console.log(`${'engine: setText (parse + index)'.padEnd(44)} ${setMs.toFixed(1).padStart(8)} ms`);
  const [diagMs, findings] = time(() => engine.diagnostics(uri));
  console.log(`${'engine: first diagnostics (OSCAL analyser)'.padEnd(44)} ${diagMs.toFixed(1).padStart(8)} ms  (${findings.length} findings)`);
  const link = /"href":"#([0-9a-f-]{36})"/.exec(text);
  if (link) {
    const i = text.indexOf(link[0]) + 10;
    const before = text.slice(0, i).split('\n');
    const pos = { line: before.length - 1, character: before[before.length - 1].length };
    const [firstHover, h] = time(() => engine.hover(uri, pos));
    console.log(`${'engine: first hover after diagnostics'.padEnd(44)} ${firstHover.toFixed(1).padStart(8)} ms  (${h ? 'answered' : 'none'})`);
    measure('engine: hover', () => engine.hover(uri, pos));
  }
}
