import type { ControlLensConfig } from './config/config';
import type { WorkspaceCatalogs } from './controls/workspaceCatalogs';
import type { DocumentFamily } from './documents/classify';
import type { Evidence } from './coverage/evidence';
import type { ParsedFile } from './documents/parse';
import type { Finding, Fix, Position, Range, TextEdit } from './types';
import type { IndexedFile, WorkspaceIndex } from './workspace/index';

/** What a control id resolves to, as far as the catalogs in play know it. */
export interface ControlSummary {
  id: string;
  display: string;
  title?: string;
  family: string;
  familyTitle?: string;
  baselines: string[];
}

/** The controls in play: the built-in SP 800-53 index plus the workspace's and the configured catalogs. */
export interface ControlDirectory {
  lookup(id: string): ControlSummary | undefined;
  isKnownFamily(family: string): boolean;
  /** Markdown for a hover on the control (title, family, baselines, statement when a catalog has it). */
  hover(id: string): string | undefined;
}

export interface AnalysisContext {
  config: ControlLensConfig;
  workspace: WorkspaceIndex;
  controls: ControlDirectory;
  /** The workspace's catalogs and profiles (registry with resolution), for analysers that need more than lookups. */
  catalogs: WorkspaceCatalogs;
  /** False in an untrusted workspace: no network, no external programs. */
  trusted: boolean;
  /** Reads a workspace file's text (for references such as suite.yaml's paths); undefined when absent. */
  readText(path: string): string | undefined;
}

/**
 * One analysis over a file. Analysers are independent of each other and of LSP; the engine runs every
 * analyser whose families the file holds and caches the result per file version and dependency generation.
 */
export interface FileAnalyzer {
  id: string;
  /** The file's own document families this analyser looks at; it runs only on files that hold one. */
  families: DocumentFamily[] | 'rego';
  /** Families elsewhere in the workspace whose change can change this analyser's findings. */
  dependsOn?: DocumentFamily[];
  /**
   * A key of exactly what the analyser reads from the rest of the workspace (say, the namespaces' pod security
   * levels). When present, cached findings stay valid until the key changes, not whenever a `dependsOn` family
   * changes: typing in one manifest then re-checks that manifest alone. `entry` is the file being analysed (what
   * it reads from elsewhere may depend on what it is).
   */
  dependencyKey?(ctx: AnalysisContext, entry: IndexedFile): string;
  analyze(entry: IndexedFile, ctx: AnalysisContext): Finding[];
  /**
   * Control coverage: what findings cannot say, chiefly passes (`kind: 'pass'`, with `check` = the finding code
   * the check would emit and `resource` = the resource it ran on), and policies mapped to controls. Failures and
   * exceptions are read from the findings. Optional: coverage works out passes itself for the checks it knows.
   */
  evidence?(entry: IndexedFile, ctx: AnalysisContext): Evidence[];
  /** Describes the finding codes this analyser emits (for SARIF rules, hovers and docs). */
  describeRule?(code: string): RuleHelp | undefined;

  // Editor features. Each takes an absolute offset in the file and answers in engine terms; the server
  // merges the answers of every analyser that applies to the file.
  hover?(entry: IndexedFile, offset: number, ctx: AnalysisContext): HoverAnswer | undefined;
  completion?(entry: IndexedFile, offset: number, ctx: AnalysisContext): CompletionAnswer[];
  definition?(entry: IndexedFile, offset: number, ctx: AnalysisContext): LocationAnswer[];
  references?(entry: IndexedFile, offset: number, ctx: AnalysisContext): LocationAnswer[];
  symbols?(entry: IndexedFile, ctx: AnalysisContext): SymbolAnswer[];
  /** Short labels shown inline after a position (e.g. the controls a resource touches). */
  inlayHints?(entry: IndexedFile, ctx: AnalysisContext): InlayHintAnswer[];
  /**
   * Every safe fix of the file at once, for source.fixAll and `check --fix`, when fixes interact (two fixes
   * that both create a `securityContext` must merge). Without it the engine takes each finding's safe fix
   * that does not overlap another.
   */
  fixAll?(entry: IndexedFile, ctx: AnalysisContext): TextEdit[];
  /** Edits offered at a range that mend no finding (e.g. "Set last-modified to now"); findings' own fixes are offered by the engine. */
  codeActions?(entry: IndexedFile, range: Range, ctx: AnalysisContext): Fix[];
  /** Actions shown above a line (e.g. "Run Kyverno test"). */
  codeLenses?(entry: IndexedFile, ctx: AnalysisContext): CodeLensAnswer[];
}

export interface HoverAnswer {
  markdown: string;
  range?: Range;
}

export type CompletionKind = 'field' | 'value' | 'control' | 'reference' | 'snippet' | 'keyword' | 'function';

export interface CompletionAnswer {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  /** Text to insert (a snippet with $1 placeholders when `snippet` is true); defaults to the label. */
  insertText?: string;
  snippet?: boolean;
  /** The range the completion replaces; defaults to the word at the cursor. */
  range?: Range;
  sortText?: string;
  filterText?: string;
}

export interface LocationAnswer {
  uri: string;
  range: Range;
}

export type SymbolKindName = 'file' | 'module' | 'namespace' | 'package' | 'class' | 'method' | 'property' | 'field' | 'function' | 'variable' | 'constant' | 'string' | 'object' | 'key' | 'event' | 'struct';

export interface SymbolAnswer {
  name: string;
  detail?: string;
  kind: SymbolKindName;
  range: Range;
  selectionRange: Range;
  children?: SymbolAnswer[];
}

export interface InlayHintAnswer {
  position: Position;
  label: string;
  tooltip?: string;
}

export interface CodeLensAnswer {
  range: Range;
  title: string;
  /** A command the client knows (`controlLens.runKyvernoTest`, ...) and its arguments. */
  command: string;
  arguments?: unknown[];
}

/** What a finding code means: shown in SARIF rule metadata and hovers. */
export interface RuleHelp {
  title: string;
  /** Markdown: why it matters and how to mend it, in our own words. */
  help?: string;
  controls?: string[];
  references?: string[];
}

export function appliesTo(analyzer: FileAnalyzer, entry: IndexedFile): boolean {
  if (analyzer.families === 'rego') return entry.file.format === 'rego';
  return analyzer.families.some((f) => entry.families.has(f));
}

export type { ParsedFile };
