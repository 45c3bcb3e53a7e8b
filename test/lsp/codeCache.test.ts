/**
 * The server's code cache (server/src/lsp/codeCache.ts) on a small bundle in a temporary folder. Each start is a
 * fresh node process, as each server start is (V8 also keeps compiled scripts for the life of a process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheEntryName, type CodeCacheCounts } from '../../server/src/lsp/codeCache';
import { REPO_ROOT } from '../support/corpus';

const base = mkdtempSync(join(tmpdir(), 'control-lens-code-cache-'));
const root = join(base, 'dist');
const cacheDir = join(base, 'cache');
const bundle = join(root, 'bundle.js');
const outside = join(base, 'elsewhere.js');
mkdirSync(root);
writeFileSync(outside, 'exports.answer = () => "outside";\n');

test.after(() => rmSync(base, { recursive: true, force: true }));

function writeBundle(body: string, mtimeSeconds: number): void {
  writeFileSync(bundle, body);
  utimesSync(bundle, mtimeSeconds, mtimeSeconds);
}

interface Start {
  answer: unknown;
  counts: CodeCacheCounts;
}

/** One start: install the cache, require `file`, call its `answer()`, then save as the launcher does. */
function start(file = bundle, save = true): Start {
  const script = `
    const { installCodeCache, saveCodeCaches, codeCacheCounts } = require(${JSON.stringify(join(REPO_ROOT, 'server/src/lsp/codeCache.ts'))});
    installCodeCache({ dir: ${JSON.stringify(cacheDir)}, root: ${JSON.stringify(root)} });
    const answer = require(${JSON.stringify(file)}).answer();
    if (${save}) saveCodeCaches();
    process.stdout.write(JSON.stringify({ answer, counts: codeCacheCounts() }));`;
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' })) as Start;
}

const entries = (): string[] => readdirSync(cacheDir).filter((n) => n.endsWith('.v8cache'));

test('the first start compiles the bundle and writes its entry; the next compiles from the entry', () => {
  writeBundle('const path = require("node:path");\nexports.answer = () => [6 * 7, path.basename(__filename), module.exports === exports];\n', 1_700_000_000);
  const first = start();
  assert.deepEqual(first.answer, [42, 'bundle.js', true]);
  assert.deepEqual(first.counts, { fromCache: 0, compiled: 1, rejected: 0, written: 1 });
  assert.deepEqual(entries(), [cacheEntryName(bundle)]);

  const second = start();
  assert.deepEqual(second.answer, [42, 'bundle.js', true]);
  assert.deepEqual(second.counts, { fromCache: 1, compiled: 0, rejected: 0, written: 0 });
});

test('nothing is written until the launcher saves', () => {
  writeBundle('exports.answer = () => "unsaved";\n', 1_700_000_050);
  rmSync(cacheDir, { recursive: true, force: true });
  const run = start(bundle, false);
  assert.equal(run.answer, 'unsaved');
  // The process saved at exit, after its output: the entry is there for the next start.
  assert.equal(run.counts.written, 0);
  assert.deepEqual(entries(), [cacheEntryName(bundle)]);
  assert.equal(start().counts.fromCache, 1);
});

test('a rebuilt bundle gets an entry of its own, and the old entry is removed', () => {
  writeBundle('exports.answer = () => 43;\n', 1_700_000_100);
  const run = start();
  assert.equal(run.answer, 43);
  assert.deepEqual(run.counts, { fromCache: 0, compiled: 1, rejected: 0, written: 1 });
  assert.deepEqual(entries(), [cacheEntryName(bundle)]);
});

test('an entry V8 refuses is replaced: the bundle is compiled from source and works', () => {
  writeFileSync(join(cacheDir, cacheEntryName(bundle)), Buffer.from('not a code cache'));
  const run = start();
  assert.equal(run.answer, 43);
  assert.deepEqual(run.counts, { fromCache: 0, compiled: 1, rejected: 1, written: 1 });
  assert.equal(start().counts.fromCache, 1);
});

test('files outside the bundle folder are left to node', () => {
  const run = start(outside);
  assert.equal(run.answer, 'outside');
  assert.deepEqual(run.counts, { fromCache: 0, compiled: 0, rejected: 0, written: 0 });
});
