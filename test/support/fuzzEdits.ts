/**
 * Seeded random edits and the invariants every engine answer must keep. Shared by the quick fuzz tests, the
 * LSP fuzz test and the long run (scripts/fuzz.ts), so a failure found by one replays in the others by seed.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Engine } from '../../server/src/engine';
import { appliesTo } from '../../server/src/engine/analysis';
import { LineIndex } from '../../server/src/engine/documents/lineIndex';
import type { Position, Range } from '../../server/src/engine/types';
import { CORPUS_ROOT, corpusFiles } from './corpus';
import { seededRandom } from './random';

export { seededRandom };

export type Rng = () => number;

export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function int(rng: Rng, max: number): number {
  return Math.floor(rng() * max);
}

export interface FuzzEdit {
  kind: 'insert' | 'delete' | 'truncate' | 'swap' | 'replace' | 'duplicate';
  start: number;
  end: number;
  newText: string;
}

/** Fragments people type half-way (and a few that only an attacker types). */
const FRAGMENTS = [
  ':', ': ', '- ', '-', '  ', '\n', '\r\n', '\t', '{', '}', '[', ']', ',', '"', "'", '#', '&a ', '*a', '<<: *a', '!!str ', '!foo ',
  '---\n', '...\n', '|\n  ', '>-\n  ', '? ', 'null', 'true', '0x1F', '1e999', '-.inf', '~', '%YAML 1.2\n', '\\', '\\u00', '\u0000',
  '\uFEFF', '\uD800', 'é', '😀', 'AC-6', 'ac-6.1', 'CM-7(1)', 'control-lens.dev/controls: "AC-6, QQ-9"', '__proto__: {polluted: 1}',
  'constructor: x', 'privileged: true', 'runAsNonRoot: false', 'hostNetwork: true', 'image: nginx:latest', 'kind: Pod\n',
  'apiVersion: v1\n', '{"a": [', '"uuid": "', 'x'.repeat(200),
];

/** One random edit of `text`, as an offset range and its replacement. */
export function randomEdit(rng: Rng, text: string): FuzzEdit {
  const len = text.length;
  const at = int(rng, len + 1);
  const roll = rng();
  if (roll < 0.35) return { kind: 'insert', start: at, end: at, newText: pick(rng, FRAGMENTS) };
  if (roll < 0.6) {
    const span = 1 + int(rng, rng() < 0.9 ? 40 : 2000);
    return { kind: 'delete', start: at, end: Math.min(len, at + span), newText: '' };
  }
  if (roll < 0.67) return { kind: 'truncate', start: at, end: len, newText: '' };
  if (roll < 0.82 && len >= 2) {
    const i = int(rng, len - 1);
    return { kind: 'swap', start: i, end: i + 2, newText: text[i + 1] + text[i] };
  }
  if (roll < 0.93 && len >= 1) {
    const i = int(rng, len);
    return { kind: 'replace', start: i, end: i + 1, newText: String.fromCharCode(pick(rng, [32, 9, 10, 13, 34, 39, 35, 38, 42, 45, 58, 91, 93, 123, 125, 0x41 + int(rng, 26)])) };
  }
  // Duplicate a run of lines: documents and keys appear twice, as after a careless paste.
  const lines = new LineIndex(text);
  const line = int(rng, lines.lineCount);
  const from = lines.lineStart(line);
  const to = lines.lineStart(Math.min(lines.lineCount - 1, line + 1 + int(rng, 8)));
  return { kind: 'duplicate', start: from, end: from, newText: text.slice(from, to > from ? to : lines.lineEnd(line)) + '\n' };
}

export function applyEdit(text: string, edit: FuzzEdit): string {
  return text.slice(0, edit.start) + edit.newText + text.slice(edit.end);
}

/** A random position in the text, biased towards line ends and word boundaries where features are asked. */
export function randomPosition(rng: Rng, lines: LineIndex): Position {
  const line = int(rng, lines.lineCount);
  const width = lines.lineEnd(line) - lines.lineStart(line);
  const roll = rng();
  const character = roll < 0.2 ? width : roll < 0.3 ? 0 : int(rng, width + 1);
  return { line, character };
}

export class RangeChecker {
  private readonly lines: LineIndex;
  constructor(readonly text: string) {
    this.lines = new LineIndex(text);
  }

  position(p: Position | undefined, what: string): string | undefined {
    if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character)) return `${what}: not a position: ${JSON.stringify(p)}`;
    if (p.line < 0 || p.line >= this.lines.lineCount) return `${what}: line ${p.line} outside 0..${this.lines.lineCount - 1}`;
    const width = this.lines.lineEnd(p.line) - this.lines.lineStart(p.line);
    if (p.character < 0 || p.character > width) return `${what}: character ${p.character} outside line ${p.line} (length ${width})`;
    return undefined;
  }

  range(r: Range | undefined, what: string): string | undefined {
    if (!r) return `${what}: missing range`;
    const bad = this.position(r.start, `${what}.start`) ?? this.position(r.end, `${what}.end`);
    if (bad) return bad;
    if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) return `${what}: start after end ${JSON.stringify(r)}`;
    return undefined;
  }

  contains(outer: Range, inner: Range): boolean {
    const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
    return before(outer.start, inner.start) && before(inner.end, outer.end);
  }
}

export interface StepReport {
  violations: string[];
  /** Slowest single engine call in this step, and which one. */
  slowestMs: number;
  slowest: string;
}

/**
 * Asks the engine everything an editor asks after an edit (diagnostics, then hover, completion, code actions,
 * symbols, inlay hints, code lenses, definition and references at random positions) and checks each answer.
 */
export function exerciseEngine(engine: Engine, uri: string, text: string, rng: Rng, positions = 3, raw = false): StepReport {
  const check = new RangeChecker(text);
  const lines = new LineIndex(text);
  const violations: string[] = [];
  let slowestMs = 0;
  let slowest = '';
  const timed = <T>(name: string, run: () => T): T | undefined => {
    const t0 = performance.now();
    try {
      return run();
    } catch (e) {
      violations.push(`${name} threw: ${e instanceof Error ? (e.stack ?? e.message).split('\n').slice(0, 4).join(' | ') : String(e)}`);
      return undefined;
    } finally {
      const ms = performance.now() - t0;
      if (ms > slowestMs) {
        slowestMs = ms;
        slowest = name;
      }
    }
  };
  const note = (v: string | undefined) => {
    if (v) violations.push(v);
  };

  const findings = timed('diagnostics', () => engine.diagnostics(uri)) ?? [];
  for (const [i, f] of findings.entries()) {
    note(check.range(f.range, `finding ${i} (${f.code})`));
    if (typeof f.message !== 'string' || !f.message) violations.push(`finding ${i} (${f.code}) has no message`);
    if (f.code === 'internal-error') violations.push(`analyser failed: ${f.message}`);
    for (const fix of f.fixes ?? []) for (const [j, e] of fix.edits.entries()) note(check.range(e.range, `finding ${i} (${f.code}) fix "${fix.title}" edit ${j}`));
  }
  const symbols = timed('symbols', () => engine.symbols(uri)) ?? [];
  const walkSymbols = (list: typeof symbols, path: string) => {
    for (const [i, s] of list.entries()) {
      const where = `symbol ${path}${i} "${s.name}"`;
      const bad = check.range(s.range, `${where}.range`) ?? check.range(s.selectionRange, `${where}.selectionRange`);
      if (bad) violations.push(bad);
      else if (!check.contains(s.range, s.selectionRange)) violations.push(`${where}: selectionRange outside range`);
      if (!s.name) violations.push(`${where}: empty name`);
      if (s.children) walkSymbols(s.children, `${path}${i}.`);
    }
  };
  walkSymbols(symbols, '');
  for (const [i, h] of (timed('inlayHints', () => engine.inlayHints(uri)) ?? []).entries()) note(check.position(h.position, `inlay hint ${i}`));
  for (const [i, l] of (timed('codeLenses', () => engine.codeLenses(uri)) ?? []).entries()) note(check.range(l.range, `code lens ${i}`));
  for (const [i, e] of (timed('fixAll', () => engine.fixAll(uri)) ?? []).entries()) note(check.range(e.range, `fixAll edit ${i}`));

  for (let k = 0; k < positions; k++) {
    const pos = randomPosition(rng, lines);
    const at = `${pos.line}:${pos.character}`;
    const hover = timed('hover', () => engine.hover(uri, pos));
    if (hover) {
      if (typeof hover.markdown !== 'string') violations.push(`hover at ${at}: no markdown`);
      if (hover.range) note(check.range(hover.range, `hover at ${at}`));
    }
    if (raw) violations.push(...rawCompletionViolations(engine, uri, pos, check));
    for (const [i, c] of (timed('completion', () => engine.completion(uri, pos)) ?? []).entries()) {
      if (!c.label) violations.push(`completion ${i} at ${at}: empty label`);
      if (c.range) {
        const bad = check.range(c.range, `completion "${c.label}" at ${at}`);
        if (bad) violations.push(bad);
        // Editors reject a replace range that spans lines or does not hold the cursor.
        else if (c.range.start.line !== c.range.end.line || !check.contains(c.range, { start: pos, end: pos })) {
          violations.push(`completion "${c.label}" at ${at}: range ${JSON.stringify(c.range)} is not on the cursor's line around it`);
        }
      }
    }
    const range = { start: pos, end: randomPosition(rng, lines) };
    if (range.end.line < range.start.line || (range.end.line === range.start.line && range.end.character < range.start.character)) {
      [range.start, range.end] = [range.end, range.start];
    }
    for (const [i, a] of (timed('codeActions', () => engine.codeActions(uri, range)) ?? []).entries()) {
      for (const [j, e] of a.fix.edits.entries()) note(check.range(e.range, `code action ${i} edit ${j}`));
    }
    for (const [name, run] of [
      ['definition', () => engine.definition(uri, pos)],
      ['references', () => engine.references(uri, pos)],
    ] as const) {
      for (const [i, loc] of (timed(name, run) ?? []).entries()) {
        if (typeof loc.uri !== 'string' || !loc.uri) violations.push(`${name} ${i} at ${at}: no uri`);
        else if (loc.uri === uri) note(check.range(loc.range, `${name} ${i} at ${at}`));
      }
    }
  }
  return { violations, slowestMs, slowest };
}

/**
 * Each analyser's own completion answers, before the engine drops replace ranges an editor would reject, so the
 * long run can say which analyser hands them out.
 */
function rawCompletionViolations(engine: Engine, uri: string, pos: Position, check: RangeChecker): string[] {
  const entry = engine.workspace.get(uri);
  if (!entry || entry.file.skipped) return [];
  const offset = entry.file.lines.offsetAt(pos);
  const cursor = entry.file.lines.positionAt(offset);
  const out: string[] = [];
  for (const a of engine.analyzerList) {
    if (!appliesTo(a, entry) || !a.completion) continue;
    let answers: ReturnType<NonNullable<typeof a.completion>> = [];
    try {
      answers = a.completion(entry, offset, engine.analysisContext());
    } catch (e) {
      out.push(`analyser ${a.id} completion threw: ${e instanceof Error ? e.message : String(e)}`);
    }
    for (const c of answers) {
      if (!c.range) continue;
      const bad = check.range(c.range, `analyser ${a.id} completion "${c.label}"`);
      if (bad) out.push(bad);
      else if (c.range.start.line !== cursor.line || c.range.end.line !== cursor.line || c.range.start.character > cursor.character || c.range.end.character < cursor.character) {
        out.push(`analyser ${a.id} completion "${c.label}" at ${cursor.line}:${cursor.character}: range ${JSON.stringify(c.range)} is not on the cursor's line around it`);
      }
    }
  }
  return out;
}

export interface FuzzSample {
  /** Where the text came from (corpus-relative), for reports. */
  source: string;
  /** The URI it is fed under; the extension decides the format. */
  uri: string;
  text: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rego embedded in a Gatekeeper ConstraintTemplate, so the Rego analysers are fuzzed on real policies too. */
function embeddedRego(text: string): string | undefined {
  try {
    for (const doc of parseAllDocuments(text)) {
      const value = (doc as { toJS?: () => unknown }).toJS?.();
      if (!isRecord(value) || value.kind !== 'ConstraintTemplate' || !isRecord(value.spec) || !Array.isArray(value.spec.targets)) continue;
      const target = value.spec.targets.find((t) => isRecord(t) && typeof t.rego === 'string') as { rego: string } | undefined;
      if (target) return target.rego;
    }
  } catch {
    // Not a template.
  }
  return undefined;
}

/**
 * A seeded sample of the corpus: files from every folder (OSCAL JSON and YAML, Kyverno, Gatekeeper and its
 * Rego, Pod Security fixtures, real manifests), up to `maxBytes` each so a quick run stays quick.
 */
export function sampleCorpus(rng: Rng, perFolder: number, maxBytes: number): FuzzSample[] {
  const folders = ['oscal', 'kyverno', 'gatekeeper', 'pss', 'k8s'];
  const out: FuzzSample[] = [];
  for (const folder of folders) {
    const files = corpusFiles(folder, /\.(ya?ml|json)$/i).filter((f) => statSync(f).size <= maxBytes);
    const chosen = new Set<string>();
    // One of each extension first, so JSON and YAML are both in every folder that has them.
    for (const ext of ['.json', '.yaml', '.yml']) {
      const withExt = files.filter((f) => f.toLowerCase().endsWith(ext));
      if (withExt.length) chosen.add(pick(rng, withExt));
    }
    while (chosen.size < Math.min(perFolder, files.length)) chosen.add(pick(rng, files));
    for (const path of chosen) {
      const source = relative(CORPUS_ROOT, path);
      const text = readFileSync(path, 'utf8');
      out.push({ source, uri: `file:///fuzz/${folder}/${out.length}-${basename(path)}`, text });
      if (folder === 'gatekeeper') {
        const rego = embeddedRego(text);
        if (rego) out.push({ source: `${source} (rego)`, uri: `file:///fuzz/${folder}/${out.length}-${basename(path, '.yaml')}.rego`, text: rego });
      }
    }
  }
  return out;
}

export interface FuzzRunOptions {
  seed: number;
  edits: number;
  perFolder: number;
  maxBytes: number;
  positions?: number;
  /** Also check each analyser's completion answers before the engine's own guard (attributes violations). */
  raw?: boolean;
  /** A step using more CPU time than this is a violation. */
  stepLimitMs: number;
  onProgress?: (done: number) => void;
}

export interface FuzzRunResult {
  edits: number;
  files: number;
  violations: string[];
  slowestStepMs: number;
  slowestStep: string;
  elapsedMs: number;
}

/**
 * Edits every sampled file in turn through one engine, as an editor with many open files would, checking
 * every answer after every edit. Texts drift freely; a file that shrinks to nothing is restored from its source.
 */
export function runEngineFuzz(makeEngine: () => Engine, options: FuzzRunOptions): FuzzRunResult {
  const rng = seededRandom(options.seed);
  const samples = sampleCorpus(rng, options.perFolder, options.maxBytes);
  const engine = makeEngine();
  const texts = samples.map((s) => s.text);
  const versions = samples.map(() => 1);
  samples.forEach((s) => engine.setText(s.uri, s.text, 1));
  const violations: string[] = [];
  let slowestStepMs = 0;
  let slowestStep = '';
  const t0 = performance.now();
  for (let n = 0; n < options.edits; n++) {
    const i = n % samples.length;
    const edit = randomEdit(rng, texts[i]);
    let next = applyEdit(texts[i], edit);
    if (next.trim() === '' && rng() < 0.7) next = samples[i].text;
    texts[i] = next;
    const stepStart = performance.now();
    // The limit is on CPU time: on a shared machine wall time also counts the waits for a core.
    const cpuStart = process.cpuUsage();
    let report: StepReport;
    try {
      engine.setText(samples[i].uri, next, ++versions[i]);
      report = exerciseEngine(engine, samples[i].uri, next, rng, options.positions ?? 3, options.raw);
    } catch (e) {
      report = { violations: [`setText threw: ${e instanceof Error ? e.message : String(e)}`], slowestMs: 0, slowest: '' };
    }
    const stepMs = performance.now() - stepStart;
    const cpu = process.cpuUsage(cpuStart);
    const stepCpuMs = (cpu.user + cpu.system) / 1000;
    const where = `seed ${options.seed} edit ${n} on ${samples[i].source} (${edit.kind} ${edit.start}-${edit.end} ${JSON.stringify(edit.newText.slice(0, 40))})`;
    if (stepMs > slowestStepMs) {
      slowestStepMs = stepMs;
      slowestStep = `${where}; slowest call ${report.slowest} ${report.slowestMs.toFixed(1)} ms`;
    }
    if (stepCpuMs > options.stepLimitMs) violations.push(`${where}: step took ${stepCpuMs.toFixed(0)} ms of CPU, ${stepMs.toFixed(0)} ms wall (limit ${options.stepLimitMs}); slowest call ${report.slowest}`);
    for (const v of report.violations) violations.push(`${where}: ${v}`);
    options.onProgress?.(n + 1);
  }
  return { edits: options.edits, files: samples.length, violations, slowestStepMs, slowestStep, elapsedMs: performance.now() - t0 };
}
