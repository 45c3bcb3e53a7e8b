import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, toUri } from '../../../server/src/engine';
import { nodeFileSystem, type FileSystemHost } from '../../../server/src/engine/workspace/fileSystem';

function repository(t: { after(fn: () => void): void }): { root: string; names: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-index-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const names: string[] = [];
  for (let i = 0; i < 40; i++) {
    const dir = join(root, `d${String(i % 4)}`);
    mkdirSync(dir, { recursive: true });
    const p = join(dir, `f${String(i).padStart(2, '0')}.yaml`);
    writeFileSync(p, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`);
    names.push(p);
  }
  writeFileSync(join(root, 'big.yaml'), 'a: 1\n'.repeat(1000));
  return { root, names };
}

/** A file system whose reads each take `ms` of this thread, as a slow disk would; `onFirstRead` runs as reading starts. */
function slowFileSystem(ms: number, reads: string[], onFirstRead: () => void): FileSystemHost {
  return {
    ...nodeFileSystem,
    readFileUpTo: (p, max) => {
      if (!reads.length) onFirstRead();
      reads.push(p);
      const until = performance.now() + ms;
      while (performance.now() < until) {
        // Busy: the read holds the thread.
      }
      return nodeFileSystem.readFileUpTo(p, max);
    },
  };
}

test('indexing applies files in walk order and skips an oversized file by its size alone', async (t) => {
  const { root, names } = repository(t);
  const engine = createEngine({ settings: { maxFileSize: 2048 } });
  const uris = await engine.indexFolders([root]);
  assert.equal(uris.length, 41);
  assert.deepEqual(engine.workspace.uris(), uris, 'the index holds files in walk order');
  assert.equal(engine.workspace.get(toUri(join(root, 'big.yaml')))!.file.problems[0].code, 'file-too-large');
  assert.equal(engine.workspace.get(toUri(names[7]))!.documents[0].objects[0].name, 'c7');
  assert.deepEqual(nodeFileSystem.readFileUpTo(join(root, 'big.yaml'), 2048), { oversized: 5000 });
});

test('indexing hands the thread back while it reads, so requests and cancellation get in', async (t) => {
  const { root } = repository(t);
  const reads: string[] = [];
  let indexing = true;
  let ranDuringIndexing = false;
  const engine = createEngine({
    fs: slowFileSystem(2, reads, () =>
      setImmediate(() => {
        ranDuringIndexing = indexing;
      }),
    ),
  });
  await engine.indexFolders([root]);
  indexing = false;
  assert.equal(reads.length, 41);
  assert.ok(ranDuringIndexing, 'work queued as reading began ran before indexing finished');

  // A cancellation that arrives as a message (here: a callback) stops the loop at the next hand-back.
  let cancelled = false;
  const second = createEngine({
    fs: slowFileSystem(2, [], () =>
      setImmediate(() => {
        cancelled = true;
      }),
    ),
  });
  await second.indexFolders([root], undefined, { isCancelled: () => cancelled });
  assert.ok(second.workspace.uris().length < 41, `indexed ${second.workspace.uris().length} of 41 before stopping`);
});

test('a named pipe given as a file is passed over, not waited on', { skip: process.platform === 'win32' }, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-fifo-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const fifo = join(root, 'pipe.yaml');
  execFileSync('mkfifo', [fifo]);
  assert.throws(() => nodeFileSystem.readFileUpTo(fifo, 1024), /not a regular file/);
  const engine = createEngine({});
  await engine.indexFolders([fifo]);
  assert.equal(engine.workspace.uris().length, 0);
});

test('trees let go while indexing (all, or by a predicate) are read again: the same findings at the same places', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'control-lens-release-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  containers:\n  - name: app\n    image: nginx\n    securityContext:\n      privileged: true\n`;
  writeFileSync(join(root, 'small.yaml'), pod('small'));
  writeFileSync(join(root, 'large.yaml'), Array.from({ length: 400 }, (_, i) => pod(`p${i}`)).join('---\n'));
  const findingsOf = async (releaseSyntax?: boolean | ((e: { file: { text: string } }) => boolean)) => {
    const engine = createEngine({ trusted: true });
    const asked: number[] = [];
    const predicate = typeof releaseSyntax === 'function' ? (e: { file: { text: string } }) => (asked.push(e.file.text.length), releaseSyntax(e)) : releaseSyntax;
    const uris = await engine.indexFolders([root], undefined, undefined, { releaseSyntax: predicate });
    return { findings: uris.map((u) => engine.diagnostics(u).map((f) => `${f.code}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`)), asked };
  };
  const kept = await findingsOf();
  assert.ok(kept.findings[0].length > 400, 'the large file has its findings');
  assert.deepEqual((await findingsOf(true)).findings, kept.findings);
  const byPredicate = await findingsOf((e) => e.file.text.length > 1000);
  assert.deepEqual(byPredicate.findings, kept.findings);
  assert.equal(byPredicate.asked.length, 2, 'the predicate is asked once per file');
});
