import { basename, dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  appliesTo,
  type AnalysisContext,
  type CodeLensAnswer,
  type CompletionAnswer,
  type ControlDirectory,
  type FileAnalyzer,
  type HoverAnswer,
  type InlayHintAnswer,
  type LocationAnswer,
  type RuleHelp,
  type SymbolAnswer,
} from './analysis';
import { controlHoverAt } from './features/controlHover';
import { CONFIG_FILE_NAMES, mergeConfig, severityOverride, type ControlLensConfig } from './config/config';
import { readConfigFile } from './config/configFile';
import { decodeBytes } from './documents/decode';
import { DocumentParser, type ParsedFile } from './documents/parse';
import type { Finding, Fix, Position, Range, TextEdit } from './types';
import { rangesOverlap } from './types';
import { nodeFileSystem, type FileSystemHost } from './workspace/fileSystem';
import { WorkspaceIndex, type IndexedFile } from './workspace/index';
import { configBase, WorkspaceCatalogs } from './controls/workspaceCatalogs';
import { applyObjectIgnores } from './mapping/suppression';
import { walkFiles } from './workspace/walk';
import { appendAll } from './arrays';

export interface EngineOptions {
  analyzers: FileAnalyzer[];
  /** The controls in play; by default the workspace's catalogs over the built-in SP 800-53 index. */
  controls?: ControlDirectory;
  /** Where remote catalogs are cached (the client passes its global storage). */
  cacheDir?: string;
  fs?: FileSystemHost;
  /** Settings (VS Code's `controlLens.*` or the command's flags); the config file sits between defaults and these. */
  settings?: Partial<ControlLensConfig>;
  trusted?: boolean;
}

type FileRead = { bytes: Uint8Array } | { oversized: number };

/** One analyser's findings on one version of a file, and the stamp they were made under. */
interface AnalyzerFindings {
  analyzer: FileAnalyzer;
  stamp: string;
  findings: Finding[];
}

function runAnalyzer(analyzer: FileAnalyzer, entry: IndexedFile, ctx: AnalysisContext): Finding[] {
  try {
    return analyzer.analyze(entry, ctx);
  } catch (e) {
    // One analyser's bug must not hide the others' findings; say where it happened.
    return [
      {
        range: zeroRange(),
        severity: 'error',
        code: 'internal-error',
        message: `Control Lens could not finish the ${analyzer.id} analysis of this file: ${e instanceof Error ? e.message : String(e)}`,
        controls: [],
        source: 'syntax',
      },
    ];
  }
}

/** How long indexing runs before it lets other work (LSP requests, cancellation) in. */
const INDEX_SLICE_MS = 20;

export interface CancellationSignal {
  isCancelled(): boolean;
}

export interface IndexProgress {
  done: number;
  total: number;
}

/** Turns a path or file URI into the URI the engine keys files by. */
export function toUri(pathOrUri: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(pathOrUri) ? pathOrUri : pathToFileURL(pathOrUri).href;
}

export function toPath(uri: string): string | undefined {
  return uri.startsWith('file:') ? fileURLToPath(uri) : undefined;
}

/**
 * The language service. Holds the workspace index and answers what the editor, the coverage view and the
 * command ask; knows nothing of LSP.
 */
export class Engine {
  readonly workspace = new WorkspaceIndex();
  readonly fs: FileSystemHost;
  private parser: DocumentParser;
  private settings: Partial<ControlLensConfig>;
  /** Config files by the folder they govern: a file's configuration comes from the nearest one above it. */
  private readonly configFiles = new Map<string, { uri: string; config: Partial<ControlLensConfig> }>();
  private readonly configByFolder = new Map<string, ControlLensConfig>();
  private configProblems = new Map<string, Finding[]>();
  private effective: ControlLensConfig;
  private trusted: boolean;
  private readonly analyzers: FileAnalyzer[];
  readonly controls: ControlDirectory;
  readonly catalogs: WorkspaceCatalogs;
  private roots: string[] = [];
  /** Findings per file, valid while the file's parse, the configuration and its analysers' dependencies are unchanged. */
  private readonly diagnosticsCache = new Map<string, { file: ParsedFile; configGeneration: number; findings: Finding[]; byAnalyzer: AnalyzerFindings[] }>();
  private configGeneration = 0;

  constructor(options: EngineOptions) {
    this.fs = options.fs ?? nodeFileSystem;
    this.analyzers = options.analyzers;
    this.catalogs = new WorkspaceCatalogs({ fs: this.fs, cacheDir: options.cacheDir });
    this.controls = options.controls ?? this.catalogs.directory;
    this.settings = options.settings ?? {};
    this.trusted = options.trusted ?? true;
    this.effective = mergeConfig(this.settings);
    this.parser = new DocumentParser({ maxFileSize: this.effective.maxFileSize });
    this.catalogs.configure(this.effective, configBase(undefined, this.roots));
  }

  get config(): ControlLensConfig {
    return this.effective;
  }

  get isTrusted(): boolean {
    return this.trusted;
  }

  setTrusted(trusted: boolean): void {
    this.trusted = trusted;
    this.configChanged();
  }

  updateSettings(settings: Partial<ControlLensConfig>): void {
    this.settings = settings;
    this.configChanged();
  }

  /**
   * The workspace-wide configuration (catalogs, baseline, size limit): the config file at the first root, or the
   * only config file there is. Per-file settings come from `configFor`.
   */
  private primaryConfigFile(): { uri: string; config: Partial<ControlLensConfig> } | undefined {
    for (const root of this.roots) {
      const atRoot = this.configFiles.get(root);
      if (atRoot) return atRoot;
    }
    return this.configFiles.size === 1 ? [...this.configFiles.values()][0] : undefined;
  }

  private configChanged(): void {
    const before = this.effective.maxFileSize;
    const primary = this.primaryConfigFile();
    this.effective = mergeConfig(primary?.config ?? {}, this.settings);
    this.configByFolder.clear();
    if (this.effective.maxFileSize !== before) this.parser = new DocumentParser({ maxFileSize: this.effective.maxFileSize });
    this.catalogs.configure(this.effective, configBase(primary?.uri, this.roots));
    this.configGeneration++;
  }

  /** The configuration in force for one file: settings over the nearest `.control-lens.yaml` above it over defaults. */
  configFor(uri: string): ControlLensConfig {
    if (this.configFiles.size === 0) return this.effective;
    const path = toPath(uri);
    if (!path) return this.effective;
    let best: string | undefined;
    for (const folder of this.configFiles.keys()) {
      if ((path === folder || path.startsWith(folder.endsWith(sep) ? folder : folder + sep)) && (!best || folder.length > best.length)) best = folder;
    }
    if (!best) return this.effective;
    let config = this.configByFolder.get(best);
    if (!config) {
      config = mergeConfig(this.configFiles.get(best)!.config, this.settings);
      this.configByFolder.set(best, config);
    }
    return config;
  }

  /** Fetches remote catalogs named by settings or imported by workspace profiles, if the user allowed it. */
  async fetchRemoteCatalogs(): Promise<void> {
    await this.catalogs.fetchRemote(this.effective, this.trusted);
    this.configGeneration++;
  }

  /** Adds or replaces a file's text (an open editor buffer or a file read from disk). */
  setText(uri: string, text: string, version = 0): IndexedFile {
    const file = this.parser.parse(uri, text, version);
    const indexed = this.workspace.upsert(file);
    this.catalogs.syncFile(indexed);
    if (CONFIG_FILE_NAMES.includes(basename(uri))) this.applyConfigFile(uri, file);
    return indexed;
  }

  /** Lets a file's syntax trees go until they are needed again (for a file no editor shows). */
  releaseSyntax(uri: string): void {
    this.parser.releaseSyntax(uri);
  }

  remove(uri: string): void {
    this.parser.forget(uri);
    this.workspace.remove(uri);
    this.catalogs.removeFile(uri);
    this.diagnosticsCache.delete(uri);
    if (this.configProblems.delete(uri)) {
      for (const [folder, entry] of this.configFiles) if (entry.uri === uri) this.configFiles.delete(folder);
      this.configChanged();
    }
  }

  private applyConfigFile(uri: string, file: ParsedFile): void {
    const { config, problems } = readConfigFile(file);
    const path = toPath(uri);
    if (path) this.configFiles.set(dirname(path), { uri, config });
    this.configProblems.set(uri, problems);
    this.configChanged();
  }

  /** Reads a file from disk into the index; binary or oddly encoded files get one explaining finding. */
  async loadFile(path: string): Promise<IndexedFile | undefined> {
    return this.applyRead(path, this.readBytes(path));
  }

  /** A file's bytes, or only its size when it is over the limit; undefined when it cannot be read. */
  private readBytes(path: string): FileRead | undefined {
    try {
      return this.fs.readFileUpTo(path, this.effective.maxFileSize);
    } catch {
      return undefined;
    }
  }

  private applyRead(path: string, read: FileRead | undefined): IndexedFile | undefined {
    if (!read) return undefined;
    const uri = toUri(path);
    if ('oversized' in read) return this.workspace.upsert(this.parser.oversized(uri, read.oversized));
    const decoded = decodeBytes(read.bytes);
    const indexed = this.setText(uri, decoded.binary ? '' : decoded.text, 0);
    if (decoded.note) this.fileNotes.set(uri, decoded.note);
    else this.fileNotes.delete(uri);
    return indexed;
  }

  private readonly fileNotes = new Map<string, string>();

  /** Reads every analysable file under the roots (honouring .gitignore and include/exclude). */
  async indexFolders(
    roots: string[],
    onProgress?: (p: IndexProgress) => void,
    cancel?: CancellationSignal,
    options: { releaseSyntax?: boolean | ((entry: IndexedFile) => boolean) } = {},
  ): Promise<string[]> {
    const folders: string[] = [];
    for (const r of roots) {
      const st = await this.fs.stat(r);
      folders.push(st && !st.isDirectory ? dirname(r) : r);
    }
    this.roots = [...new Set([...this.roots, ...folders])];
    this.configChanged();
    for (const root of roots) {
      for (const name of CONFIG_FILE_NAMES) {
        const p = join(root, name);
        if (this.fs.existsSync(p)) await this.loadFile(p);
      }
    }
    const files: string[] = [];
    for (const root of roots) {
      const st = await this.fs.stat(root);
      if (st && !st.isDirectory) files.push(root);
      else {
        const config = this.configFor(toUri(join(root, CONFIG_FILE_NAMES[0])));
        appendAll(files, await walkFiles(this.fs, root, { include: config.include, exclude: config.exclude, isCancelled: cancel?.isCancelled }));
      }
    }
    // Reads are synchronous (see FileSystemHost.readFileUpTo), so the loop hands the thread back every few
    // milliseconds: a server indexing thousands of files keeps answering the editor meanwhile.
    let done = 0;
    let sliceStart = performance.now();
    for (const f of files) {
      if (cancel?.isCancelled()) break;
      const indexed = this.applyRead(f, this.readBytes(f));
      // A long-running server keeps values, not trees, of the files nobody has open (the trees come back on demand).
      const release = options.releaseSyntax;
      if (indexed && (release === true || (typeof release === 'function' && release(indexed)))) this.releaseSyntax(indexed.file.uri);
      done++;
      if (onProgress && (done % 50 === 0 || done === files.length)) onProgress({ done, total: files.length });
      if (performance.now() - sliceStart > INDEX_SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return files.map(toUri);
  }

  private context(uri?: string): AnalysisContext {
    return {
      config: uri ? this.configFor(uri) : this.effective,
      workspace: this.workspace,
      controls: this.controls,
      catalogs: this.catalogs,
      trusted: this.trusted,
      readText: (path) => {
        const uri = toUri(path);
        const known = this.workspace.get(uri);
        if (known) return known.file.text;
        try {
          return decodeBytes(this.fs.readFileSync(isAbsolute(path) ? path : join(process.cwd(), path))).text;
        } catch {
          return undefined;
        }
      },
    };
  }

  /** All findings for a file, with configured severities applied and `off` codes removed. */
  diagnostics(uri: string, cancel?: CancellationSignal): Finding[] {
    const entry = this.workspace.get(uri);
    if (!entry) return [];
    const active = this.analyzers.filter((a) => appliesTo(a, entry));
    const stamps = this.dependencyStamps(active, entry);
    const cached = this.diagnosticsCache.get(uri);
    // Of the same file under the same configuration, an analyser whose own stamp has not moved hands back its
    // findings: a change elsewhere re-runs only the analysers that read it (say, catalog resolution, not the
    // checks of a 4 MB catalog).
    const sameFile = cached !== undefined && cached.file === entry.file && cached.configGeneration === this.configGeneration;
    const previous = sameFile ? cached.byAnalyzer : [];
    if (sameFile && previous.length === active.length && previous.every((p, i) => p.analyzer === active[i] && p.stamp === stamps[i])) return cached.findings;
    const byAnalyzer: AnalyzerFindings[] = [];

    const findings: Finding[] = [...entry.file.problems];
    const note = this.fileNotes.get(uri);
    if (note) {
      findings.push({ range: zeroRange(), severity: entry.file.text === '' ? 'information' : 'warning', code: 'encoding', message: note, controls: [], source: 'syntax' });
    }
    appendAll(findings, this.configProblems.get(uri) ?? []);
    if (!entry.file.skipped) {
      const ctx = this.context(uri);
      for (const [i, analyzer] of active.entries()) {
        if (cancel?.isCancelled()) return [];
        const reusable = previous.find((p) => p.analyzer === analyzer && p.stamp === stamps[i]);
        const own = reusable?.findings ?? runAnalyzer(analyzer, entry, ctx);
        byAnalyzer.push({ analyzer, stamp: stamps[i], findings: own });
        appendAll(findings, own);
      }
    }
    const result = this.applySeverities(applyObjectIgnores(entry, findings), this.configFor(uri));
    this.diagnosticsCache.set(uri, { file: entry.file, configGeneration: this.configGeneration, findings: result, byAnalyzer });
    return result;
  }

  /**
   * Per analyser, a string that changes when what it reads from the rest of the workspace may have: its
   * dependency key (usually a memoised string, shared by every file, so the cache holds no copy), else the
   * generations of the families it depends on.
   */
  private dependencyStamps(active: FileAnalyzer[], entry: IndexedFile): string[] {
    const ctx = active.some((a) => a.dependencyKey) ? this.context(entry.file.uri) : undefined;
    return active.map((a) => {
      if (a.dependencyKey && ctx) {
        try {
          return a.dependencyKey(ctx, entry);
        } catch {
          // Fall back to the coarser family generations.
        }
      }
      return (a.dependsOn ?? []).map((f) => this.workspace.generation(f)).join(',');
    });
  }

  private applySeverities(findings: Finding[], config: ControlLensConfig): Finding[] {
    const out: Finding[] = [];
    for (const f of findings) {
      const override = severityOverride(config, f.code);
      if (override === 'off') continue;
      out.push(override ? { ...f, severity: override } : f);
    }
    return out;
  }

  /** Findings that are active (not suppressed by an ignore annotation). */
  activeDiagnostics(uri: string): Finding[] {
    return this.diagnostics(uri).filter((f) => !f.suppressed);
  }

  /** Fixes offered for a range: those of the findings that overlap it, then the analysers' own actions there. */
  codeActions(uri: string, range: Range): { finding?: Finding; fix: Fix }[] {
    const out: { finding?: Finding; fix: Fix }[] = [];
    for (const finding of this.activeDiagnostics(uri)) {
      if (!finding.fixes || !rangesOverlap(finding.range, range)) continue;
      for (const fix of finding.fixes) out.push({ finding, fix });
    }
    for (const fix of this.gather(uri, (a, e, ctx) => a.codeActions?.(e, range, ctx))) out.push({ fix });
    return out;
  }

  /** Offsets helper for features that take LSP positions. */
  offsetAt(uri: string, position: Position): number | undefined {
    return this.workspace.get(uri)?.file.lines.offsetAt(position);
  }

  private applicable(uri: string): { entry: IndexedFile; analyzers: FileAnalyzer[] } | undefined {
    const entry = this.workspace.get(uri);
    if (!entry || entry.file.skipped) return undefined;
    return { entry, analyzers: this.analyzers.filter((a) => appliesTo(a, entry)) };
  }

  /** Runs one feature hook of every applicable analyser; a failing hook answers nothing rather than failing the request. */
  private gather<T>(uri: string, run: (a: FileAnalyzer, entry: IndexedFile, ctx: AnalysisContext) => T[] | T | undefined): T[] {
    const target = this.applicable(uri);
    if (!target) return [];
    const ctx = this.context(uri);
    const out: T[] = [];
    for (const a of target.analyzers) {
      try {
        const r = run(a, target.entry, ctx);
        if (Array.isArray(r)) appendAll(out, r);
        else if (r !== undefined) out.push(r);
      } catch {
        // A hook's failure must not break the others' answers.
      }
    }
    return out;
  }

  hover(uri: string, position: Position): HoverAnswer | undefined {
    const target = this.applicable(uri);
    if (!target) return undefined;
    const offset = target.entry.file.lines.offsetAt(position);
    const parts = this.gather(uri, (a, e, ctx) => a.hover?.(e, offset, ctx));
    const control = controlHoverAt(target.entry.file, offset, this.controls);
    if (control && !parts.some((p) => p.markdown.includes(control.markdown))) parts.push(control);
    if (!parts.length) return undefined;
    return { markdown: parts.map((p) => p.markdown).join('\n\n---\n\n'), range: parts.find((p) => p.range)?.range };
  }

  completion(uri: string, position: Position): CompletionAnswer[] {
    const offset = this.offsetAt(uri, position);
    if (offset === undefined) return [];
    const cursor = this.workspace.get(uri)!.file.lines.positionAt(offset);
    // Editors reject a replace range that spans lines or does not hold the cursor (LSP requires both), losing
    // the item; without a range they replace the word at the cursor instead.
    return this.gather(uri, (a, e, ctx) => a.completion?.(e, offset, ctx)).map((c) => (c.range && !holdsCursor(c.range, cursor) ? { ...c, range: undefined } : c));
  }

  definition(uri: string, position: Position): LocationAnswer[] {
    const offset = this.offsetAt(uri, position);
    return offset === undefined ? [] : this.gather(uri, (a, e, ctx) => a.definition?.(e, offset, ctx));
  }

  references(uri: string, position: Position): LocationAnswer[] {
    const offset = this.offsetAt(uri, position);
    return offset === undefined ? [] : this.gather(uri, (a, e, ctx) => a.references?.(e, offset, ctx));
  }

  symbols(uri: string): SymbolAnswer[] {
    return this.gather(uri, (a, e, ctx) => a.symbols?.(e, ctx)).map(namedSymbol);
  }

  inlayHints(uri: string, range?: Range): InlayHintAnswer[] {
    if (!this.configFor(uri).inlayHints) return [];
    const hints = this.gather(uri, (a, e, ctx) => a.inlayHints?.(e, ctx));
    return range ? hints.filter((h) => h.position.line >= range.start.line && h.position.line <= range.end.line) : hints;
  }

  codeLenses(uri: string): CodeLensAnswer[] {
    return this.gather(uri, (a, e, ctx) => a.codeLenses?.(e, ctx));
  }

  /**
   * Safe fixes of a whole file, non-overlapping, for source.fixAll and `check --fix`. Analysers whose fixes
   * interact compute theirs in rounds (`fixAll`); findings of the others contribute their first safe fix.
   */
  fixAll(uri: string): TextEdit[] {
    const target = this.applicable(uri);
    if (!target) return [];
    const ctx = this.context(uri);
    const edits: TextEdit[] = [];
    const handledBy = new Set<string>();
    for (const a of target.analyzers) {
      if (!a.fixAll) continue;
      try {
        appendAll(edits, a.fixAll(target.entry, ctx));
        handledBy.add(a.id);
      } catch {
        // Fall back to the per-finding fixes below.
      }
    }
    for (const f of this.activeDiagnostics(uri)) {
      const owner = this.ownerOf(f.code);
      if (owner && handledBy.has(owner)) continue;
      const fix = f.fixes?.find((x) => x.safe && x.kind === 'quickfix');
      if (!fix) continue;
      if (fix.edits.some((e) => edits.some((o) => rangesOverlap(o.range, e.range)))) continue;
      appendAll(edits, fix.edits);
    }
    return edits;
  }

  /** The analyser that emits a finding code (the one that describes the rule). */
  private ownerOf(code: string): string | undefined {
    for (const a of this.analyzers) if (a.describeRule?.(code)) return a.id;
    return undefined;
  }

  ruleHelp(code: string): RuleHelp | undefined {
    for (const a of this.analyzers) {
      const help = a.describeRule?.(code);
      if (help) return help;
    }
    return undefined;
  }

  get analyzerList(): readonly FileAnalyzer[] {
    return this.analyzers;
  }

  /** The context analysers see; for one file when `uri` is given (its own configuration). */
  analysisContext(uri?: string): AnalysisContext {
    return this.context(uri);
  }
}

/** VS Code refuses a whole outline if one symbol's name is empty (an empty key in a half-typed file has one). */
function namedSymbol(s: SymbolAnswer): SymbolAnswer {
  const children = s.children?.map(namedSymbol);
  return { ...s, name: s.name || '""', ...(children ? { children } : {}) };
}

function holdsCursor(range: Range, cursor: Position): boolean {
  return range.start.line === cursor.line && range.end.line === cursor.line && range.start.character <= cursor.character && cursor.character <= range.end.character;
}

function zeroRange(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

