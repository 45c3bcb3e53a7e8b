import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, toUri } from '../../../server/src/engine';
import { nodeFileSystem, type FileSystemHost } from '../../../server/src/engine/workspace/fileSystem';

test('indexing reads ahead but applies files in walk order, whatever order the reads finish in', async (t) => {
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
  // Later files answer sooner, so a loader that applied reads as they finish would index them backwards.
  let inFlight = 0;
  let maxInFlight = 0;
  const fs: FileSystemHost = {
    ...nodeFileSystem,
    readFile: async (p) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const bytes = await nodeFileSystem.readFile(p);
      await new Promise((r) => setTimeout(r, 40 - (names.indexOf(p) % 20) * 2));
      inFlight--;
      return bytes;
    },
  };
  const engine = createEngine({ fs, settings: { maxFileSize: 2048 } });
  const uris = await engine.indexFolders([root]);
  assert.equal(uris.length, 41);
  assert.deepEqual(engine.workspace.uris(), uris, 'the index holds files in walk order');
  assert.ok(maxInFlight > 1 && maxInFlight <= 16, `reads in flight: ${maxInFlight}`);
  // The oversized file was skipped by its size, in its place.
  assert.equal(engine.workspace.get(toUri(join(root, 'big.yaml')))!.file.problems[0].code, 'file-too-large');
  assert.equal(engine.workspace.get(toUri(names[7]))!.documents[0].objects[0].name, 'c7');
});
