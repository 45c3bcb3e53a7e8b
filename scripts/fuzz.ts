/**
 * `npm run fuzz`: the long fuzz run of issue 9 (100,000 random edits of a larger corpus sample through the
 * engine, every answer checked), where `npm test` runs a few thousand. Exits 1 on any violation and prints how
 * to replay it. Options: --edits=N --seed=N --per-folder=N --max-bytes=N --step-limit-ms=N, and --raw to check
 * each analyser's completion answers before the engine's guard drops ranges an editor would reject.
 */
import { createEngine } from '../server/src/engine';
import { runEngineFuzz } from '../test/support/fuzzEdits';

function arg(name: string, fallback: number): number {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.slice(name.length + 3)) : fallback;
}

const options = {
  seed: arg('seed', Date.now() % 1_000_000),
  edits: arg('edits', 100_000),
  perFolder: arg('per-folder', 12),
  maxBytes: arg('max-bytes', 400_000),
  stepLimitMs: arg('step-limit-ms', 5000),
  positions: 3,
  raw: process.argv.includes('--raw'),
};
process.stdout.write(`fuzz: seed ${options.seed}, ${options.edits} edits, ${options.perFolder} files per corpus folder up to ${options.maxBytes} bytes\n`);
const t0 = Date.now();
const result = runEngineFuzz(() => createEngine(), {
  ...options,
  onProgress: (done) => {
    if (done % 5000 === 0) process.stdout.write(`fuzz: ${done} edits, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  },
});
process.stdout.write(`fuzz: ${result.edits} edits over ${result.files} files in ${(result.elapsedMs / 1000).toFixed(1)} s; slowest step ${result.slowestStepMs.toFixed(0)} ms (${result.slowestStep})\n`);
if (result.violations.length) {
  process.stdout.write(`fuzz: ${result.violations.length} violations; replay with --seed=${options.seed} --edits=${options.edits} --per-folder=${options.perFolder} --max-bytes=${options.maxBytes}\n`);
  for (const v of result.violations.slice(0, 40)) process.stdout.write(`  ${v}\n`);
  process.exit(1);
}
process.stdout.write('fuzz: no violations\n');
