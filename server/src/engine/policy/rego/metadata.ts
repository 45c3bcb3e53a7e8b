/**
 * Rego METADATA annotations: YAML written in a `# METADATA` comment block just before a package or rule.
 * Parsed with the `yaml` library, checked the way OPA checks them (known keys, scope values, shapes),
 * and read for control mappings: `custom.controls` (ids) and `related_resources` (ids mentioned in
 * their refs and descriptions).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { findControlMentions, parseControlId } from '../../controls/ids';
import type { Module, Rule, Span } from './ast';
import type { Comment } from './lexer';

export type AnnotationScope = 'rule' | 'document' | 'package' | 'subpackages';

export interface ControlMentionRef extends Span {
  /** Canonical id. */
  id: string;
  /** As written. */
  text: string;
}

export interface RegoAnnotation extends Span {
  scope: AnnotationScope;
  /** The package, or the rule the block stands before. */
  target: { kind: 'package' } | { kind: 'rule'; rule: Rule };
  title?: string;
  description?: string;
  entrypoint?: boolean;
  relatedResources: { ref: string; description?: string }[];
  custom?: Record<string, unknown>;
  controls: ControlMentionRef[];
}

export interface AnnotationProblem extends Span {
  message: string;
  code: string;
  severity: 'error' | 'warning';
}

/** What the annotation checks need to know about control ids (a ControlDirectory fits). */
export interface ControlLookup {
  isKnownFamily(family: string): boolean;
  lookup(id: string): unknown;
}

const KNOWN_KEYS = new Set(['scope', 'title', 'description', 'related_resources', 'authors', 'organizations', 'schemas', 'entrypoint', 'custom', 'compile']);
const SCOPES = new Set<AnnotationScope>(['rule', 'document', 'package', 'subpackages']);

interface Block {
  header: Comment;
  lines: Comment[];
  /** Start offset of each YAML line in the YAML text, and where it sits in the file. */
  yamlStarts: number[];
  fileStarts: number[];
  yaml: string;
}

/** Groups `# METADATA` comments with the comment lines that follow them directly. */
function metadataBlocks(text: string, comments: Comment[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < comments.length; i++) {
    const c = comments[i];
    if (!c.ownLine || c.text.trim() !== 'METADATA') continue;
    const lines: Comment[] = [];
    let prev = c;
    for (let j = i + 1; j < comments.length; j++) {
      const next = comments[j];
      if (!next.ownLine || !onNextLine(text, prev.end, next.start)) break;
      lines.push(next);
      prev = next;
    }
    const yamlStarts: number[] = [];
    const fileStarts: number[] = [];
    let yaml = '';
    for (const l of lines) {
      yamlStarts.push(yaml.length);
      fileStarts.push(l.start + 1);
      yaml += l.text + '\n';
    }
    blocks.push({ header: c, lines, yamlStarts, fileStarts, yaml });
    i += lines.length;
  }
  return blocks;
}

function onNextLine(text: string, from: number, to: number): boolean {
  const between = text.slice(from, to);
  return /^\r?\n[ \t]*$/.test(between) || /^\r[ \t]*$/.test(between);
}

function toFile(block: Block, yamlOffset: number): number {
  let lo = 0;
  let hi = block.yamlStarts.length - 1;
  if (hi < 0) return block.header.end;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (block.yamlStarts[mid] <= yamlOffset) lo = mid;
    else hi = mid - 1;
  }
  const line = block.lines[lo];
  return Math.min(block.fileStarts[lo] + (yamlOffset - block.yamlStarts[lo]), line.end);
}

export interface AnnotationResult {
  annotations: RegoAnnotation[];
  problems: AnnotationProblem[];
}

/** Reads and checks every METADATA block of a parsed module. */
export function readAnnotations(text: string, module: Module, comments: Comment[], controls?: ControlLookup): AnnotationResult {
  const annotations: RegoAnnotation[] = [];
  const problems: AnnotationProblem[] = [];
  for (const block of metadataBlocks(text, comments)) {
    const span = (node: Node | undefined): Span => {
      const r = node?.range;
      if (!r) return { start: block.header.start, end: block.header.end };
      return { start: toFile(block, r[0]), end: toFile(block, Math.max(r[0], r[1])) };
    };
    const problem = (message: string, at: Span, code = 'rego.metadata', severity: 'error' | 'warning' = 'error'): void => {
      problems.push({ message, start: at.start, end: at.end, code, severity });
    };
    const blockEnd = block.lines.length ? block.lines[block.lines.length - 1].end : block.header.end;
    const headerSpan = { start: block.header.start, end: block.header.end };
    const target = targetAfter(module, blockEnd);
    const doc = parseDocument(block.yaml, { prettyErrors: false });
    if (doc.errors.length) {
      for (const e of doc.errors.slice(0, 3)) {
        problem(`METADATA is not valid YAML: ${e.message.split('\n')[0]}`, { start: toFile(block, e.pos[0]), end: toFile(block, Math.max(e.pos[0] + 1, e.pos[1])) });
      }
      continue;
    }
    const root = doc.contents;
    if (!isMap(root)) {
      problem('METADATA must be a YAML map of annotation keys (title, description, scope, custom, ...)', root ? span(root) : headerSpan);
      continue;
    }
    if (!target) {
      problem('METADATA block is not followed by a package or rule it could annotate', headerSpan, 'rego.metadata', 'warning');
      continue;
    }
    const ann: RegoAnnotation = {
      start: block.header.start,
      end: blockEnd,
      scope: target === 'package' ? 'package' : 'rule',
      target: target === 'package' ? { kind: 'package' } : { kind: 'rule', rule: target },
      relatedResources: [],
      controls: [],
    };
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const keySpan = span(pair.key as Node);
      const value = pair.value as Node | null;
      if (!KNOWN_KEYS.has(key)) {
        problem(`unknown METADATA key \`${key}\`; known keys are ${[...KNOWN_KEYS].join(', ')} (put your own under \`custom\`)`, keySpan, 'rego.metadata-key', 'warning');
        continue;
      }
      const plain = value && isScalar(value) ? value.value : undefined;
      switch (key) {
        case 'scope': {
          if (typeof plain !== 'string' || !SCOPES.has(plain as AnnotationScope)) {
            problem(`invalid annotation scope: must be one of ${[...SCOPES].join(', ')}`, span(value ?? undefined), 'rego.metadata-scope');
            break;
          }
          const scope = plain as AnnotationScope;
          const onPackage = target === 'package';
          if (onPackage && (scope === 'rule' || scope === 'document')) problem(`annotation scope '${scope}' must be applied to a rule, not the package`, span(value!), 'rego.metadata-scope');
          else if (!onPackage && (scope === 'package' || scope === 'subpackages')) problem(`annotation scope '${scope}' must be applied to the package statement`, span(value!), 'rego.metadata-scope');
          else ann.scope = scope;
          break;
        }
        case 'title':
        case 'description':
          if (typeof plain !== 'string') problem(`\`${key}\` must be a string`, span(value ?? undefined));
          else ann[key] = plain;
          break;
        case 'entrypoint':
          if (typeof plain !== 'boolean') problem('`entrypoint` must be true or false', span(value ?? undefined));
          else ann.entrypoint = plain;
          break;
        case 'related_resources':
          readRelatedResources(value, ann, span, problem, controls);
          break;
        case 'authors':
        case 'organizations':
          if (!isSeq(value)) problem(`\`${key}\` must be a list`, span(value ?? undefined));
          break;
        case 'schemas':
          if (!isSeq(value)) problem('`schemas` must be a list of `path: schema` entries', span(value ?? undefined));
          break;
        case 'custom':
          if (!isMap(value)) {
            problem('`custom` must be a map', span(value ?? undefined));
            break;
          }
          ann.custom = (value.toJSON() ?? {}) as Record<string, unknown>;
          for (const p of value.items) {
            if (isScalar(p.key) && p.key.value === 'controls') readCustomControls(p.value as Node | null, ann, span, problem, controls);
          }
          break;
        default:
          break;
      }
    }
    annotations.push(ann);
  }
  return { annotations, problems };
}

type SpanOf = (node: Node | undefined) => Span;
type Report = (message: string, at: Span, code?: string, severity?: 'error' | 'warning') => void;

function checkControl(text: string, at: Span, ann: RegoAnnotation, problem: Report, controls?: ControlLookup): void {
  const parsed = parseControlId(text);
  if (!parsed) {
    problem(`"${text}" is not a control id; write ids as NIST does ("AC-6", "CM-7(1)") or as OSCAL does ("ac-6", "cm-7.1")`, at, 'controls.malformed-id', 'error');
    return;
  }
  if (controls && (!controls.isKnownFamily(parsed.family) || !controls.lookup(parsed.id))) {
    problem(`${text} is not a control of the catalogs in play`, at, 'controls.unknown-control', 'warning');
  }
  ann.controls.push({ id: parsed.id, text, start: at.start, end: at.end });
}

function readCustomControls(value: Node | null, ann: RegoAnnotation, span: SpanOf, problem: Report, controls?: ControlLookup): void {
  if (isSeq(value)) {
    for (const item of value.items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number')) checkControl(String(item.value).trim(), span(item), ann, problem, controls);
      else problem('`custom.controls` entries must be control ids such as AC-6', span(item as Node));
    }
    return;
  }
  if (isScalar(value) && typeof value.value === 'string') {
    // `controls: "AC-6, CM-7"`: one string, ids separated by commas.
    const s = span(value);
    const quote = value.type === 'QUOTE_DOUBLE' || value.type === 'QUOTE_SINGLE' ? 1 : 0;
    for (const m of value.value.matchAll(/[^,;\s][^,;]*/g)) {
      const token = m[0].trim();
      const start = s.start + quote + (m.index ?? 0);
      checkControl(token, { start, end: start + token.length }, ann, problem, controls);
    }
    return;
  }
  problem('`custom.controls` must be a list of control ids such as [AC-6, CM-7]', span(value ?? undefined));
}

function readRelatedResources(value: Node | null, ann: RegoAnnotation, span: SpanOf, problem: Report, controls?: ControlLookup): void {
  if (!isSeq(value)) {
    problem('`related_resources` must be a list of `{ref, description}` entries or URLs', span(value ?? undefined));
    return;
  }
  const isKnownFamily = controls ? (f: string) => controls.isKnownFamily(f) : (f: string) => /^[a-z]{2}$/.test(f);
  for (const item of value.items) {
    let ref: string | undefined;
    let description: string | undefined;
    const texts: { text: string; node: Node }[] = [];
    if (isScalar(item) && typeof item.value === 'string') {
      ref = item.value;
      texts.push({ text: ref, node: item });
    } else if (isMap(item)) {
      for (const p of item.items) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        const v = p.value as Node | null;
        if (k === 'ref' && isScalar(v) && typeof v.value === 'string') ref = v.value;
        else if (k === 'description' && isScalar(v) && typeof v.value === 'string') description = v.value;
        else problem(k === 'ref' || k === 'description' ? `\`${k}\` must be a string` : `unknown related_resources key \`${k}\`; use ref and description`, span((k === 'ref' || k === 'description' ? v : p.key) as Node), 'rego.metadata', k === 'ref' || k === 'description' ? 'error' : 'warning');
        if ((k === 'ref' || k === 'description') && isScalar(v) && typeof v.value === 'string') texts.push({ text: v.value, node: v });
      }
      if (ref === undefined) problem('a related resource needs a `ref` (a URL)', span(item));
    } else {
      problem('`related_resources` entries are `{ref, description}` maps or URLs', span(item as Node));
      continue;
    }
    if (ref !== undefined) {
      if (!/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(ref)) problem(`related resource ref "${ref}" is not a URL`, span(texts.find((t) => t.text === ref)?.node), 'rego.metadata', 'error');
      ann.relatedResources.push({ ref, description });
    }
    for (const { text, node } of texts) {
      const s = span(node);
      const quote = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') ? 1 : 0;
      for (const m of findControlMentions(text, isKnownFamily)) {
        const start = s.start + quote + m.offset;
        ann.controls.push({ id: m.id, text: m.text, start, end: start + m.text.length });
      }
    }
  }
}

/** The package or rule a METADATA block ending at `offset` annotates: the next statement after it. */
function targetAfter(module: Module, offset: number): 'package' | Rule | undefined {
  let best: { at: number; target: 'package' | Rule } | undefined;
  if (module.package && module.package.start >= offset) best = { at: module.package.start, target: 'package' };
  for (const r of module.rules) {
    if (r.start >= offset && (!best || r.start < best.at)) best = { at: r.start, target: r };
  }
  for (const i of module.imports) {
    // An import between the block and the statement means the block annotates nothing.
    if (i.start >= offset && best && i.start < best.at) return undefined;
  }
  return best?.target;
}

/** The controls a rule maps to: its own annotations, its document's, and the package's. */
export function controlsOfRule(rule: Rule, annotations: RegoAnnotation[]): ControlMentionRef[] {
  const out: ControlMentionRef[] = [];
  for (const a of annotations) {
    if (a.target.kind === 'package') out.push(...a.controls);
    else if (a.target.rule === rule) out.push(...a.controls);
    else if (a.scope === 'document' && a.target.rule.head.name === rule.head.name) out.push(...a.controls);
  }
  return out;
}

/** Controls named for the package as a whole. */
export function packageControls(annotations: RegoAnnotation[]): ControlMentionRef[] {
  return annotations.filter((a) => a.target.kind === 'package').flatMap((a) => a.controls);
}
