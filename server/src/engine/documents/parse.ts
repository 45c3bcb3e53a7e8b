import { Document, parseAllDocuments } from 'yaml';
import type { Finding } from '../types';
import { LineIndex } from './lineIndex';

export type FileFormat = 'yaml' | 'json' | 'rego' | 'unknown';

export interface ParsedDocument {
  /** Zero-based index of the document in its file. */
  index: number;
  /** Absolute offset of the document's chunk; `yaml` node ranges are relative to it. */
  base: number;
  /** Absolute offsets of the document's content in the file. */
  start: number;
  end: number;
  yaml: Document.Parsed;
  /** Plain value of the document (undefined when nothing could be read). */
  value: unknown;
  /** Syntax problems of this document, with ranges relative to the chunk (see `base`). */
  errors: { message: string; start: number; end: number; severity: 'error' | 'warning'; code?: string }[];
}

export interface ParsedFile {
  uri: string;
  version: number;
  text: string;
  format: FileFormat;
  lines: LineIndex;
  documents: ParsedDocument[];
  /** Syntax and file-level problems, in file coordinates. */
  problems: Finding[];
  /** Set when the file was over the size limit and left unread. */
  skipped?: string;
}

export interface ParseOptions {
  /** Files larger than this many characters are not parsed (one information diagnostic instead). */
  maxFileSize?: number;
  /** Upper bound on alias expansion per document, against "billion laughs" files. */
  maxAliasCount?: number;
  /**
   * Upper bound on the items (roughly: commas, brackets and lines) of one document. The YAML library costs a few
   * microseconds and a few hundred bytes per node, so a million-item array would take seconds and gigabytes.
   */
  maxItems?: number;
  /**
   * Upper bound on nesting (flow brackets plus indentation columns) of one document. The YAML library recurses
   * per level and overflows the stack near 800 levels, which can abort the process rather than throw.
   */
  maxDepth?: number;
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
const DEFAULT_MAX_ALIAS_COUNT = 1000;
/** Well above NIST's largest catalogs (the MODERATE resolved catalog, pretty JSON, counts about 180,000). */
export const DEFAULT_MAX_ITEMS = 500_000;
/** The corpus's deepest file (argo-cd's CRDs) measures 66. */
export const DEFAULT_MAX_DEPTH = 300;

export function formatOf(uri: string, text: string): FileFormat {
  const lower = uri.toLowerCase();
  if (lower.endsWith('.rego')) return 'rego';
  if (lower.endsWith('.json') || lower.endsWith('.jsonc')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') return 'json';
  return 'yaml';
}

/**
 * Splits a YAML stream at its `---` markers. A marker at column 0 ends any scalar in YAML 1.2, so the
 * split is exact; parsing each chunk on its own lets an edit re-read only the document it touches.
 */
export function splitYamlDocuments(text: string): { start: number; end: number }[] {
  const chunks: { start: number; end: number }[] = [];
  const marker = /^---(?=[ \t\r\n]|$)/gm;
  let start = 0;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(text))) {
    if (m.index > start && hasContent(text, start, m.index)) {
      chunks.push({ start, end: m.index });
      start = m.index;
    } else if (m.index > start) {
      // Only comments or directives before the marker: they belong to the document it opens.
    }
  }
  chunks.push({ start, end: text.length });
  return chunks;
}

function hasContent(text: string, start: number, end: number): boolean {
  const slice = text.slice(start, end);
  const lines = slice.split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('%')) continue;
    if (/^---(\s|$)/.test(line) && raw.startsWith('---')) {
      // A marker line with content after it (`--- foo`) is content.
      if (line.slice(3).trim() && !line.slice(3).trim().startsWith('#')) return true;
      continue;
    }
    return true;
  }
  return false;
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, logLevel: 'error' } as const;

/**
 * A chunk's syntax trees, which can be dropped and read again from the chunk's text. They are most of the memory
 * of an indexed workspace (about 13 KB a small manifest), and only the files being edited need them between
 * analyses; parsing the same text with the same options gives the same trees, so ranges stay exact.
 */
class ChunkSyntax {
  private docs: Document.Parsed[] | undefined;

  constructor(
    private readonly text: string,
    docs: Document.Parsed[],
  ) {
    this.docs = docs;
  }

  get(index: number): Document.Parsed {
    if (!this.docs) {
      const parsed = parseAllDocuments(this.text, YAML_OPTIONS);
      this.docs = Array.isArray(parsed) ? (parsed as Document.Parsed[]) : [];
    }
    return this.docs[index] ?? (new Document() as Document.Parsed);
  }

  release(): void {
    this.docs = undefined;
  }
}

const SYNTAX_SOURCE = Symbol('syntaxSource');

interface SyntaxSource {
  fixed?: Document.Parsed;
  syntax?: ChunkSyntax;
  index: number;
}

/**
 * A document's tree, read through one accessor shared by every document: an accessor made of a fresh closure per
 * document would give each its own shape, which V8 keeps as a (much larger) dictionary.
 */
const YAML_PROPERTY: PropertyDescriptor = {
  enumerable: true,
  get(this: { [SYNTAX_SOURCE]: SyntaxSource }): Document.Parsed {
    const source = this[SYNTAX_SOURCE];
    return source.fixed ?? source.syntax!.get(source.index);
  },
};

interface CachedChunk {
  text: string;
  /** Per document: its value and errors, and its tree when the chunk has no re-readable syntax (placeholders). */
  docs: (Omit<ParsedDocument, 'index' | 'base' | 'start' | 'end' | 'yaml'> & { fixedYaml?: Document.Parsed })[];
  syntax?: ChunkSyntax;
  starts: number[];
  ends: number[];
}

/** Parses files; keeps each file's chunks so an edit re-reads only the documents it changed. */
export class DocumentParser {
  private readonly chunkCache = new Map<string, CachedChunk[]>();
  private readonly fileCache = new Map<string, ParsedFile>();

  constructor(private readonly options: ParseOptions = {}) {}

  parse(uri: string, text: string, version = 0): ParsedFile {
    const cached = this.fileCache.get(uri);
    if (cached && cached.version === version && cached.text === text) return cached;
    const file = this.parseFresh(uri, text, version);
    this.fileCache.set(uri, file);
    return file;
  }

  /** Records a file known only by its size, which is over the limit, without reading it. */
  oversized(uri: string, size: number): ParsedFile {
    const file: ParsedFile = { uri, version: 0, text: '', format: formatOf(uri, ''), lines: new LineIndex(''), documents: [], problems: [] };
    markOversized(file, size, this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
    this.fileCache.delete(uri);
    return file;
  }

  /** Drops the syntax trees of a file's documents; they are read again from its text when next needed. */
  releaseSyntax(uri: string): void {
    for (const chunk of this.chunkCache.get(uri) ?? []) chunk.syntax?.release();
  }

  forget(uri: string): void {
    this.chunkCache.delete(uri);
    this.fileCache.delete(uri);
  }

  private parseFresh(uri: string, text: string, version: number): ParsedFile {
    const format = formatOf(uri, text);
    const lines = new LineIndex(text);
    const file: ParsedFile = { uri, version, text, format, lines, documents: [], problems: [] };
    const max = this.options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    if (text.length > max) return markOversized(file, text.length, max);
    if (format === 'rego' || format === 'unknown') return file;

    const previous = new Map<string, CachedChunk>();
    for (const c of this.chunkCache.get(uri) ?? []) previous.set(c.text, c);
    const chunks = format === 'json' ? [{ start: 0, end: text.length }] : splitYamlDocuments(text);
    const nextCache: CachedChunk[] = [];
    for (const chunk of chunks) {
      const chunkText = text.slice(chunk.start, chunk.end);
      const parsed = previous.get(chunkText) ?? this.parseChunk(chunkText, format);
      nextCache.push(parsed);
      parsed.docs.forEach((d, i) => {
        const doc = {
          value: d.value,
          errors: d.errors,
          index: file.documents.length,
          base: chunk.start,
          start: chunk.start + parsed.starts[i],
          end: chunk.start + parsed.ends[i],
        } as ParsedDocument;
        Object.defineProperty(doc, SYNTAX_SOURCE, { value: { fixed: d.fixedYaml, syntax: parsed.syntax, index: i } satisfies SyntaxSource });
        Object.defineProperty(doc, 'yaml', YAML_PROPERTY);
        file.documents.push(doc);
        for (const e of doc.errors) {
          file.problems.push({
            range: lines.range(chunk.start + e.start, chunk.start + Math.max(e.end, e.start)),
            severity: e.severity,
            code: e.code ?? 'syntax',
            message: e.message,
            controls: [],
            source: 'syntax',
          });
        }
      });
    }
    this.chunkCache.set(uri, nextCache);
    return file;
  }

  private parseChunk(chunkText: string, format: FileFormat): CachedChunk {
    const maxAliasCount = this.options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT;
    const out: CachedChunk = { text: chunkText, docs: [], starts: [], ends: [] };
    const maxItems = this.options.maxItems ?? DEFAULT_MAX_ITEMS;
    const maxDepth = this.options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const shape = measureShape(chunkText);
    const tooComplex =
      shape.items > maxItems
        ? `The document has about ${shape.items.toLocaleString('en-US')} items, over the ${maxItems.toLocaleString('en-US')} that Control Lens reads; it was not analysed.`
        : shape.depth > maxDepth
          ? `The document nests deeper than the ${maxDepth} levels Control Lens reads (brackets and indentation); it was not analysed.`
          : undefined;
    if (tooComplex) {
      const at = Math.min(shape.deepestAt, chunkText.length);
      out.docs.push({ fixedYaml: new Document() as Document.Parsed, value: undefined, errors: [{ message: tooComplex, start: at, end: at, severity: 'warning', code: 'document-too-complex' }] });
      out.starts.push(0);
      out.ends.push(chunkText.length);
      return out;
    }
    let docs: Document.Parsed[];
    try {
      // logLevel 'error': the library would otherwise print process warnings (collection keys) to the server's stderr.
      docs = parseAllDocuments(chunkText, YAML_OPTIONS) as Document.Parsed[];
      if (!Array.isArray(docs)) docs = [];
    } catch (e) {
      // The parser itself gave up (for instance nesting deeper than the stack allows).
      const doc = new Document() as Document.Parsed;
      out.docs.push({ fixedYaml: doc, value: undefined, errors: [{ message: describeFailure(e), start: 0, end: Math.min(chunkText.length, 1), severity: 'error' }] });
      out.starts.push(0);
      out.ends.push(chunkText.length);
      return out;
    }
    out.syntax = new ChunkSyntax(chunkText, docs);
    for (const doc of docs) {
      const errors: ParsedDocument['errors'] = [];
      for (const e of doc.errors) errors.push({ message: /call stack/i.test(e.message) ? describeFailure(new RangeError(e.message)) : cleanMessage(e.message), start: e.pos[0], end: e.pos[1], severity: 'error' });
      for (const w of doc.warnings) errors.push({ message: cleanMessage(w.message), start: w.pos[0], end: w.pos[1], severity: 'warning' });
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount });
      } catch (e) {
        value = undefined;
        errors.push({ message: describeFailure(e), start: doc.range[0], end: Math.min(doc.range[1], doc.range[0] + 1), severity: 'error' });
      }
      if (format === 'json' && doc.contents === null && chunkText.trim() === '') value = undefined;
      out.docs.push({ value, errors });
      out.starts.push(doc.range[0]);
      out.ends.push(doc.range[2] ?? doc.range[1]);
    }
    return out;
  }
}

/** A file over the size limit: not parsed, one information diagnostic on its first line. */
export function markOversized(file: ParsedFile, size: number, limit: number): ParsedFile {
  file.skipped = `File is ${formatSize(size)}, over the ${formatSize(limit)} limit (setting controlLens.maxFileSize); it was not analysed.`;
  file.problems.push({
    range: file.lines.range(0, Math.min(file.text.length, file.lines.lineEnd(0))),
    severity: 'information',
    code: 'file-too-large',
    message: file.skipped,
    controls: [],
    source: 'syntax',
  });
  return file;
}

/**
 * Measures, in one cheap pass, what makes the YAML library slow or deep: items (separators, collection openers
 * and lines, roughly what it makes nodes of) and nesting (open flow brackets plus the indentation column, with
 * `- ` and `? ` indicators counted as indentation). Both over-estimate a little, never under-estimate much.
 */
export function measureShape(text: string): { items: number; depth: number; deepestAt: number } {
  let items = 0;
  let flow = 0;
  let column = 0;
  let depth = 0;
  let deepestAt = 0;
  let lineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      items++;
      lineStart = true;
      column = 0;
      continue;
    }
    if (lineStart) {
      if (c === 32) {
        column++;
        continue;
      }
      if ((c === 45 || c === 63) && text.charCodeAt(i + 1) === 32) {
        column += 2;
        i++;
        continue;
      }
      lineStart = false;
    }
    if (c === 91 || c === 123) {
      items++;
      flow++;
    } else if (c === 44) items++;
    else if ((c === 93 || c === 125) && flow > 0) flow--;
    if (flow + column > depth) {
      depth = flow + column;
      deepestAt = i;
    }
  }
  return { items, depth, deepestAt };
}

function describeFailure(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/alias/i.test(msg)) return 'Aliases expand to too many nodes (a possible alias bomb); the document was not read.';
  if (e instanceof RangeError || /call stack/i.test(msg)) return 'The document nests too deeply to be read.';
  return `The document could not be read: ${msg}`;
}

function cleanMessage(msg: string): string {
  // The yaml library appends "at line X, column Y" and a code frame; the diagnostic's range says that already.
  return msg.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
