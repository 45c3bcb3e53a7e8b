/**
 * How many of the faults that the official NIST JSON schema finds in mutated NIST examples do the
 * built-in checks (no official schema) find as well? Prints the figure per mutation kind.
 *
 * Usage: node --import tsx scripts/oscal-mutation-agreement.ts [--per-kind N] [--as-version 1.2.1] [--verbose]
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JsonPath } from '../server/src/engine/documents/paths';
import { analyzeOscalValue } from '../server/src/engine/oscal/analyze';
import { officialIssues, officialSchemasFromDirectory } from '../server/src/engine/oscal/official';
import { applyMutation, generateMutations, MUTATION_KINDS, type Mutation, type MutationKind } from './oscal-mutations';

export interface AgreementResult {
  documents: number;
  mutations: number;
  /** Mutations the official schema rejects. */
  officialFaults: number;
  /** Of those, the ones the built-in checks report at a related path. */
  builtInFound: number;
  /** Mutations the official schema accepts but the built-in checks reject (false alarms). */
  builtInOnly: number;
  byKind: Record<MutationKind, { faults: number; found: number }>;
  missed: { file: string; mutation: Mutation; official: string[] }[];
}

function related(a: JsonPath, b: JsonPath): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * `asVersion` rewrites each document's `oscal-version` first (the examples are 1.1.2), so that the same
 * suite measures the model of another version against that version's official schema.
 */
export function measureAgreement(files: string[], schemasDir: string, perKind: number, asVersion?: string): AgreementResult {
  const official = officialSchemasFromDirectory(schemasDir);
  const result: AgreementResult = {
    documents: 0,
    mutations: 0,
    officialFaults: 0,
    builtInFound: 0,
    builtInOnly: 0,
    byKind: Object.fromEntries(MUTATION_KINDS.map((k) => [k, { faults: 0, found: 0 }])) as AgreementResult['byKind'],
    missed: [],
  };
  files.forEach((file, fileIndex) => {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const model = Object.keys(doc).find((k) => k !== '$schema') as string;
    const meta = (doc[model] as { metadata?: { 'oscal-version'?: string } }).metadata;
    if (asVersion && meta) meta['oscal-version'] = asVersion;
    const v = official.validatorFor(model, meta?.['oscal-version']);
    if (!v || !v.validate(doc)) return;
    result.documents++;
    for (const m of generateMutations(doc, perKind, 1000 + fileIndex)) {
      result.mutations++;
      const mutated = applyMutation(doc, m);
      // A fault is whatever the official schema rejects, however its errors are worded.
      const rejected = !v.validate(mutated);
      const faults = rejected ? officialIssues(v.validate, mutated) : [];
      const mine = (analyzeOscalValue(mutated, `file://${file}`)?.issues ?? []).filter((i) => i.severity === 'error');
      if (!rejected) {
        if (mine.length > 0) result.builtInOnly++;
        continue;
      }
      result.officialFaults++;
      result.byKind[m.kind].faults++;
      // Found when the built-in checks report an error at the mutated path, inside it, or on an object around it.
      const found = mine.some((i) => related(i.path, m.path)) || (mine.length > 0 && m.path.length <= 1);
      if (found) {
        result.builtInFound++;
        result.byKind[m.kind].found++;
      } else result.missed.push({ file, mutation: m, official: faults.map((f) => `${JSON.stringify(f.path)} ${f.message}`) });
    }
  });
  return result;
}

/** The NIST example documents (JSON) and baseline profiles used for the suite. */
export function agreementCorpus(corpusRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.json$/.test(name) && !/resolved-profile_catalog|rev4_catalog/.test(name)) out.push(p);
    }
  };
  walk(join(corpusRoot, 'oscal', 'examples'));
  walk(join(corpusRoot, 'oscal', 'nist.gov'));
  return out;
}

function main(): void {
  const args = process.argv.slice(2);
  const perKind = Number(args[args.indexOf('--per-kind') + 1]) || 10;
  const asVersion = args.includes('--as-version') ? args[args.indexOf('--as-version') + 1] : undefined;
  const corpus = process.env.CONTROL_LENS_CORPUS ?? resolve(__dirname, '..', '..', 'shared', 'corpus');
  const started = performance.now();
  const r = measureAgreement(agreementCorpus(corpus), join(corpus, 'oscal', 'schemas'), perKind, asVersion);
  if (asVersion) console.log(`documents rewritten to oscal-version ${asVersion}`);
  const pct = (a: number, b: number): string => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  console.log(`documents: ${r.documents}, mutations: ${r.mutations}, official-schema faults: ${r.officialFaults}`);
  console.log(`built-in checks found ${r.builtInFound} of ${r.officialFaults} (${pct(r.builtInFound, r.officialFaults)}%)`);
  for (const k of MUTATION_KINDS) console.log(`  ${k.padEnd(14)} ${r.byKind[k].found}/${r.byKind[k].faults} (${pct(r.byKind[k].found, r.byKind[k].faults)}%)`);
  console.log(`mutations the official schema accepts but the built-in checks reject: ${r.builtInOnly}`);
  console.log(`time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  if (args.includes('--verbose')) for (const m of r.missed) console.log('MISSED', m.file, m.mutation.description, JSON.stringify(m.mutation.path), '\n   ', m.official.join('\n    '));
}

if (require.main === module) main();
