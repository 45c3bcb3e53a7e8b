import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { createEngine, toUri, type Engine, type Finding } from '../../../server/src/engine';
import { LineIndex } from '../../../server/src/engine/documents/lineIndex';
import { nodeFileSystem, type FileSystemHost } from '../../../server/src/engine/workspace/fileSystem';
import { RangeChecker } from '../../support/fuzzEdits';
import { hostileCases, MANIFEST, MANIFEST_UNKNOWN_AT } from '../../support/fuzzHostile';

// CPU time, not wall time: on a shared machine the wall clock also counts the waits for a core. The cases take
// milliseconds to a few hundred.
const LIMIT_MS = 2000;
const HEAP_GROWTH_LIMIT = 400 * 1024 * 1024;

const folder = mkdtempSync(join(tmpdir(), 'control-lens-hostile-'));
// The 50 MB file must not pile up in the temporary folder run after run.
after(() => rmSync(folder, { recursive: true, force: true }));
const cases = hostileCases();
for (const c of cases) {
  const p = join(folder, c.file);
  if (c.bytes) writeFileSync(p, c.bytes);
  else c.write!(p);
}

/** The node file system, recording which files were read whole. */
function recordingFs(): FileSystemHost & { read: string[] } {
  const read: string[] = [];
  return {
    ...nodeFileSystem,
    read,
    readFile: (p) => {
      read.push(p);
      return nodeFileSystem.readFile(p);
    },
    readFileSync: (p) => {
      read.push(p);
      return nodeFileSystem.readFileSync(p);
    },
  };
}

interface Answer {
  engine: Engine;
  fs: ReturnType<typeof recordingFs>;
  uri: string;
  findings: Finding[];
  /** CPU time (user + system) to load and answer. */
  ms: number;
  wallMs: number;
  heapGrowth: number;
}

/** Loads one file as the server and the command do (bytes → decode → parse → analyse) and asks every feature. */
async function answer(file: string): Promise<Answer> {
  const fs = recordingFs();
  const engine = createEngine({ fs });
  const path = join(folder, file);
  const uri = toUri(path);
  const heapBefore = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const loaded = await engine.loadFile(path);
  assert.ok(loaded, `${file} was not loaded`);
  const findings = engine.diagnostics(uri);
  const text = engine.workspace.get(uri)!.file.text;
  const lines = engine.workspace.get(uri)!.file.lines;
  for (const line of [0, Math.floor(lines.lineCount / 2), lines.lineCount - 1]) {
    const pos = { line, character: Math.min(3, lines.lineText(line).length) };
    engine.hover(uri, pos);
    engine.completion(uri, pos);
    engine.definition(uri, pos);
    engine.codeActions(uri, { start: pos, end: pos });
  }
  engine.symbols(uri);
  engine.inlayHints(uri);
  engine.codeLenses(uri);
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
  const check = new RangeChecker(text);
  for (const f of findings) {
    assert.equal(check.range(f.range, f.code), undefined, `${file}: ${f.code} range outside the document`);
    assert.notEqual(f.code, 'internal-error', `${file}: ${f.message}`);
    assert.ok(f.message.length > 10, `${file}: unclear message "${f.message}"`);
  }
  return { engine, fs, uri, findings, ms, wallMs, heapGrowth };
}

function only(findings: Finding[], code: string): Finding {
  const hits = findings.filter((f) => f.code === code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(findings.map((f) => [f.code, f.message]))}`);
  return hits[0];
}

const expectations: Record<string, (a: Answer) => void> = {
  'bomb.yaml': (a) => assert.match(only(a.findings, 'syntax').message, /alias bomb/),
  'bomb-manifest.yaml': (a) => assert.match(only(a.findings, 'syntax').message, /alias bomb/),
  'huge.yaml': (a) => {
    const f = only(a.findings, 'file-too-large');
    assert.equal(f.severity, 'information');
    assert.match(f.message, /50\.0 MB.*controlLens\.maxFileSize/);
    assert.equal(a.findings.length, 1);
    assert.ok(!a.fs.read.some((p) => p.endsWith('huge.yaml')), 'the oversized file was read');
  },
  'deep-flow.yaml': (a) => assert.match(only(a.findings, 'document-too-complex').message, /nests deeper than the 300 levels/),
  'deep-block.yaml': (a) => assert.match(only(a.findings, 'document-too-complex').message, /nests deeper/),
  'deep.json': (a) => assert.match(only(a.findings, 'document-too-complex').message, /nests deeper/),
  'long-line.yaml': (a) => {
    // Valid YAML: read in full, nothing to say about it.
    const value = a.engine.workspace.get(a.uri)!.documents[0].doc.value as { data: { blob: string } };
    assert.equal(value.data.blob.length, 5 * 1024 * 1024);
    assert.ok(!a.findings.some((f) => f.severity === 'error'), JSON.stringify(a.findings));
  },
  'long-flow.yaml': (a) => assert.match(only(a.findings, 'document-too-complex').message, /about 2,621,44\d items, over the 500,000/),
  'image.yaml': (a) => {
    const f = only(a.findings, 'encoding');
    assert.match(f.message, /binary/);
    assert.equal(a.findings.length, 1, 'binary bytes are not parsed into syntax noise');
  },
  'latin1.yaml': (a) => {
    assert.match(only(a.findings, 'encoding').message, /not valid UTF-8/);
    // The rest of the file is still analysed.
    assert.ok(a.findings.some((f) => f.code === 'controls.unknown-control'));
  },
  'utf16le.yaml': (a) => {
    assert.match(only(a.findings, 'encoding').message, /UTF-16 \(little-endian\)/);
    assert.deepEqual(only(a.findings, 'controls.unknown-control').range.start, MANIFEST_UNKNOWN_AT);
  },
  'utf16be.yaml': (a) => {
    assert.match(only(a.findings, 'encoding').message, /UTF-16 \(big-endian\)/);
    assert.deepEqual(only(a.findings, 'controls.unknown-control').range.start, MANIFEST_UNKNOWN_AT);
  },
  'crlf.yaml': (a) => {
    // The same positions as with LF line ends: a CR is not a character of the line.
    const f = only(a.findings, 'controls.unknown-control');
    assert.deepEqual(f.range, { start: MANIFEST_UNKNOWN_AT, end: { line: MANIFEST_UNKNOWN_AT.line, character: MANIFEST_UNKNOWN_AT.character + 4 } });
    assert.ok(!a.findings.some((x) => x.code === 'syntax'));
  },
  'tabs.yaml': (a) => {
    const f = a.findings.find((x) => x.code === 'syntax' && /tab/i.test(x.message));
    assert.ok(f, JSON.stringify(a.findings));
    assert.equal(f.range.start.line, 3);
  },
  'dupes.yaml': (a) => {
    const f = a.findings.find((x) => x.code === 'syntax' && /unique/i.test(x.message));
    assert.ok(f, JSON.stringify(a.findings));
    assert.equal(f.range.start.line, MANIFEST.split('\n').length - 1);
  },
  'proto.yaml': (a) => {
    const value = a.engine.workspace.get(a.uri)!.documents[0].doc.value as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(value, '__proto__'), 'the key is kept as data');
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  },
  'proto.json': (a) => {
    const value = a.engine.workspace.get(a.uri)!.documents[0].doc.value as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(value, '__proto__'));
    assert.equal(a.engine.workspace.get(a.uri)!.documents[0].classification.type, 'Pod');
  },
  'million-catalog.json': (a) => assert.match(only(a.findings, 'document-too-complex').message, /about 1,000,0\d\d items/),
};

for (const c of cases) {
  test(`hostile file: ${c.name} is answered quickly with a clear diagnostic`, async () => {
    const expect = expectations[c.file];
    assert.ok(expect, `no expectation for ${c.file}`);
    const a = await answer(c.file);
    expect(a);
    assert.ok(a.ms < LIMIT_MS, `${c.file} took ${a.ms.toFixed(0)} ms of CPU (${a.wallMs.toFixed(0)} ms wall)`);
    assert.ok(a.heapGrowth < HEAP_GROWTH_LIMIT, `${c.file} grew the heap by ${(a.heapGrowth / 1e6).toFixed(0)} MB`);
    for (const probe of [{}, Object.prototype, Object, Array.prototype] as Record<string, unknown>[]) assert.equal(probe.polluted, undefined, 'prototype polluted');
  });
}

test('documents just under the nesting and item limits are still read', () => {
  const engine = createEngine();
  const uri = 'file:///under-limits.yaml';
  engine.setText(uri, 'key: ' + '['.repeat(250) + '1' + ']'.repeat(250) + '\n', 1);
  assert.deepEqual(engine.diagnostics(uri), []);
  let v = engine.workspace.get(uri)!.documents[0].doc.value as { key: unknown };
  let depth = 0;
  for (let x: unknown = v.key; Array.isArray(x); x = x[0]) depth++;
  assert.equal(depth, 250);
  engine.setText(uri, `items: [${Array(200_000).fill('1').join(',')}]\n`, 2);
  assert.deepEqual(engine.diagnostics(uri), []);
  v = engine.workspace.get(uri)!.documents[0].doc.value as { key: unknown };
  assert.equal((v as unknown as { items: number[] }).items.length, 200_000);
});

test('the size limit is configurable and applies to editor buffers as to files on disk', async () => {
  const engine = createEngine({ settings: { maxFileSize: 2048 } });
  const big = MANIFEST + `  filler: "${'x'.repeat(3000)}"\n`;
  engine.setText('file:///buffer.yaml', big, 1);
  const f = only(engine.diagnostics('file:///buffer.yaml'), 'file-too-large');
  assert.match(f.message, /over the 2 KB limit/);
  engine.setText('file:///small.yaml', MANIFEST, 1);
  assert.ok(engine.diagnostics('file:///small.yaml').some((x) => x.code === 'controls.unknown-control'));
});

test('control-lens check answers over a folder of hostile files', async () => {
  let stdout = '';
  let stderr = '';
  const cpu0 = process.cpuUsage();
  const code = await runCli(['check', '.', '--format', 'json', '--fail-on', 'never'], { cwd: folder, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  const cpu = process.cpuUsage(cpu0);
  const ms = (cpu.user + cpu.system) / 1000;
  assert.equal(code, 0, stderr);
  const report = JSON.parse(stdout) as { findings: { file: string; code: string; severity: string }[]; summary: { files: number } };
  assert.equal(report.summary.files, cases.length);
  assert.ok(!report.findings.some((f) => f.code === 'internal-error'), stdout.slice(0, 2000));
  const codesOf = (file: string) => report.findings.filter((f) => f.file === file).map((f) => f.code);
  assert.deepEqual(codesOf('huge.yaml'), ['file-too-large']);
  assert.deepEqual(codesOf('million-catalog.json'), ['document-too-complex']);
  assert.deepEqual(codesOf('deep-block.yaml'), ['document-too-complex']);
  assert.deepEqual(codesOf('image.yaml'), ['encoding']);
  assert.ok(codesOf('bomb.yaml').includes('syntax'));
  assert.ok(codesOf('utf16le.yaml').includes('controls.unknown-control'));
  assert.ok(ms < LIMIT_MS * cases.length, `the command took ${ms.toFixed(0)} ms of CPU`);
});

test('a CRLF typed into an LF file keeps every range inside its line (found by the fuzz test)', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name:\r\n base\nspec: {}\n';
  const lines = new LineIndex(text);
  // The offset between CR and LF is the end of the line, not one character past it.
  assert.deepEqual(lines.positionAt(text.indexOf('\r') + 1), { line: 3, character: 7 });
  const engine = createEngine();
  engine.setText('file:///mixed.yaml', text, 1);
  const findings = engine.diagnostics('file:///mixed.yaml');
  assert.ok(findings.some((f) => f.code === 'syntax'));
  const check = new RangeChecker(text);
  for (const f of findings) assert.equal(check.range(f.range, f.code), undefined);
});
