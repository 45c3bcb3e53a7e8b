import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdtempSync as makeTemp, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { ALL_ANALYZERS, createEngine } from '../../../server/src/engine';
import type { FileAnalyzer } from '../../../server/src/engine/analysis';
import { encodeLike } from '../../../server/src/engine/documents/decode';
import { rangeOfPath } from '../../../server/src/engine/documents/paths';
import type { Finding } from '../../../server/src/engine/types';
import { corpusFiles, hasCorpus } from '../../support/corpus';

const temporary: string[] = [];
after(() => temporary.forEach((f) => rmSync(f, { recursive: true, force: true })));
function mkdtempSync(prefix: string): string {
  const folder = makeTemp(prefix);
  temporary.push(folder);
  return folder;
}

/**
 * A stand-in analyser with fixes of both kinds, so `check --fix` is tested whatever real analysers are plugged
 * in: a Kubernetes object whose name has capitals gets a safe fix (lower-case it); one whose name ends in `!`
 * gets only an unsafe one, which --fix must leave alone.
 */
const fakeFixer: FileAnalyzer = {
  id: 'test.fake-fixer',
  families: ['kubernetes'],
  analyze(entry) {
    const out: Finding[] = [];
    for (const d of entry.documents) {
      for (const o of d.objects) {
        if (!o.name || o.name === o.name.toLowerCase()) continue;
        const range = rangeOfPath(entry.file, d.doc, [...o.path, 'metadata', 'name'], 'value');
        const safe = !o.name.endsWith('!');
        // Keep the quotes (JSON, quoted YAML): replace the name inside the value's source text.
        const lines = entry.file.lines;
        const source = entry.file.text.slice(lines.offsetAt(range.start), lines.offsetAt(range.end));
        out.push({
          range,
          severity: 'warning',
          code: 'test.lowercase-name',
          message: `Name "${o.name}" has capitals`,
          controls: [],
          source: 'kubernetes',
          fixes: [{ title: 'Lower-case the name', kind: 'quickfix', safe, isPreferred: true, edits: [{ range, newText: source.replace(o.name, o.name.toLowerCase()) }] }],
        });
      }
    }
    return out;
  },
};

const deployment = (name: string, eol = '\n') =>
  ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: ${name}`, '  namespace: shop', 'spec:', '  replicas: 1', ''].join(eol);

interface Snapshot {
  bytes: Buffer;
  ino: number;
  mode: number;
  mtimeMs: number;
}

function snapshot(folder: string): Map<string, Snapshot> {
  const out = new Map<string, Snapshot>();
  for (const name of readdirSync(folder)) {
    const p = join(folder, name);
    const st = statSync(p);
    out.set(name, { bytes: readFileSync(p), ino: st.ino, mode: st.mode & 0o777, mtimeMs: st.mtimeMs });
  }
  return out;
}

async function check(folder: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check', '.', '--fix', '--format', 'json', '--fail-on', 'never', ...extra], { cwd: folder, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

test('check --fix writes each changed file atomically and leaves every other file byte-identical', async (t) => {
  ALL_ANALYZERS.push(fakeFixer);
  t.after(() => ALL_ANALYZERS.splice(ALL_ANALYZERS.indexOf(fakeFixer), 1));
  const folder = mkdtempSync(join(tmpdir(), 'control-lens-fix-'));
  writeFileSync(join(folder, 'web.yaml'), deployment('Web'));
  chmodSync(join(folder, 'web.yaml'), 0o640);
  writeFileSync(join(folder, 'crlf.yaml'), deployment('Api', '\r\n'));
  writeFileSync(join(folder, 'multi.yaml'), deployment('first') + '---\n' + deployment('Second') + '---\n' + deployment('Third'));
  writeFileSync(join(folder, 'obj.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Json' }, data: { a: 'b' } }, null, 2) + '\n');
  writeFileSync(join(folder, 'clean.yaml'), deployment('clean'));
  writeFileSync(join(folder, 'unsafe.yaml'), deployment('"Risky!"'));
  writeFileSync(join(folder, 'broken.yaml'), 'apiVersion: v1\nkind: [Pod\nmetadata: {name: Broken\n');
  writeFileSync(join(folder, 'notes.md'), '# not analysed\n');
  const before = snapshot(folder);

  const { code, stdout, stderr } = await check(folder);
  assert.equal(code, 0, stderr);
  assert.match(stderr, /fixed 4 files/);
  const after = snapshot(folder);

  // No temporary file is left behind, and no file appeared or vanished.
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());

  const changed = ['web.yaml', 'crlf.yaml', 'multi.yaml', 'obj.json'];
  for (const [name, b] of before) {
    const a = after.get(name)!;
    if (changed.includes(name)) {
      // Replaced by a rename: a new file took the name, so no reader ever saw half of it.
      assert.notEqual(a.ino, b.ino, `${name} was rewritten in place`);
      assert.equal(a.mode, b.mode, `${name} lost its permissions`);
    } else {
      assert.ok(a.bytes.equals(b.bytes), `${name} changed`);
      assert.equal(a.ino, b.ino, `${name} was replaced`);
      assert.equal(a.mtimeMs, b.mtimeMs, `${name} was written`);
    }
  }
  // Exactly the fix, nothing else: line ends and the untouched documents are as they were.
  assert.equal(after.get('web.yaml')!.bytes.toString(), deployment('web'));
  assert.equal(after.get('crlf.yaml')!.bytes.toString(), deployment('api', '\r\n'));
  assert.equal(after.get('multi.yaml')!.bytes.toString(), deployment('first') + '---\n' + deployment('second') + '---\n' + deployment('third'));
  assert.equal(after.get('obj.json')!.bytes.toString(), before.get('obj.json')!.bytes.toString().replace('"Json"', '"json"'));

  // The report describes the fixed files: what is left is the unsafe finding only.
  const report = JSON.parse(stdout) as { findings: { file: string; code: string }[] };
  assert.deepEqual(report.findings.filter((f) => f.code === 'test.lowercase-name').map((f) => f.file), ['unsafe.yaml']);

  // A second run has nothing left to fix and touches nothing.
  const again = await check(folder);
  assert.match(again.stderr, /fixed 0 files/);
  for (const [name, a] of snapshot(folder)) assert.equal(a.ino, after.get(name)!.ino, `${name} rewritten on the second run`);
});

test('check --fix keeps a byte order mark and does not rewrite files it decoded from another encoding', async (t) => {
  ALL_ANALYZERS.push(fakeFixer);
  t.after(() => ALL_ANALYZERS.splice(ALL_ANALYZERS.indexOf(fakeFixer), 1));
  const folder = mkdtempSync(join(tmpdir(), 'control-lens-fix-enc-'));
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  writeFileSync(join(folder, 'bom.yaml'), Buffer.concat([bom, Buffer.from(deployment('Bom'))]));
  const wide = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(deployment('Wide'), 'utf16le')]);
  writeFileSync(join(folder, 'utf16.yaml'), wide);
  await check(folder);
  const fixedBom = readFileSync(join(folder, 'bom.yaml'));
  assert.ok(fixedBom.subarray(0, 3).equals(bom), 'the byte order mark was dropped');
  assert.equal(fixedBom.subarray(3).toString(), deployment('bom'));
  const afterWide = readFileSync(join(folder, 'utf16.yaml'));
  // Either fixed in its own encoding or left alone; never turned into UTF-8 behind the user's back.
  assert.ok(afterWide.equals(wide) || afterWide.equals(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(deployment('wide'), 'utf16le')])), 'UTF-16 file re-encoded');
});

test('check --fix with the analysers the product ships: fixed corpus manifests lose their safe-fixable findings', { skip: !hasCorpus() && 'no corpus' }, async (t) => {
  const engine = createEngine();
  const candidates = corpusFiles('pss', /\.ya?ml$/).filter((f) => f.includes('/fail/'));
  const fixable: string[] = [];
  for (const f of candidates) {
    await engine.loadFile(f);
    const uri = engine.workspace.uris().find((u) => u.endsWith(encodeURI(basename(f))));
    if (uri && engine.fixAll(uri).length) fixable.push(f);
    if (fixable.length >= 20) break;
  }
  if (!fixable.length) {
    t.skip(`no analyser in ALL_ANALYZERS (${ALL_ANALYZERS.map((a) => a.id).join(', ')}) offers a safe fix on the Pod Security fixtures yet`);
    return;
  }
  const folder = mkdtempSync(join(tmpdir(), 'control-lens-fix-real-'));
  fixable.forEach((f, i) => copyFileSync(f, join(folder, `${i}-${basename(f)}`)));
  writeFileSync(join(folder, 'untouched.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n');
  const before = snapshot(folder);
  const { stdout, stderr } = await check(folder);
  assert.match(stderr, /fixed [1-9]\d* files?/);
  const after = snapshot(folder);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  assert.ok(after.get('untouched.yaml')!.bytes.equals(before.get('untouched.yaml')!.bytes));
  assert.equal(after.get('untouched.yaml')!.ino, before.get('untouched.yaml')!.ino);
  // What --fix reports afterwards has no safe fix left to apply.
  const recheck = createEngine();
  await recheck.indexFolders([folder]);
  for (const uri of recheck.workspace.uris()) assert.deepEqual(recheck.fixAll(uri), [], `${uri} still has safe fixes after --fix`);
  assert.ok(JSON.parse(stdout).summary.files >= fixable.length);
});

test('encodeLike reproduces the original encoding, and refuses what it cannot reproduce', () => {
  const text = 'a: é\n';
  const utf8 = Buffer.from(text);
  assert.deepEqual(Buffer.from(encodeLike(utf8, text, 'a: è\n')!), Buffer.from('a: è\n'));
  const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  assert.deepEqual(Buffer.from(encodeLike(be, text, 'b: é\n')!), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('b: é\n', 'utf16le').swap16()]));
  // Changed on disk since it was read: the edit was computed for other text.
  assert.equal(encodeLike(utf8, 'a: x\n', 'a: y\n'), undefined);
  // Invalid UTF-8 was read as U+FFFD; writing it back would destroy the original bytes.
  const latin1 = Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]);
  assert.equal(encodeLike(latin1, 'a: \uFFFD\n', 'b: \uFFFD\n'), undefined);
  assert.equal(encodeLike(Buffer.from([0, 1, 2]), '', 'x'), undefined);
});
