/**
 * The Rego scanner. Produces tokens with absolute offsets into the source text, remembers whether a
 * line break or any whitespace came before each token (Rego separates body literals by newlines, and a
 * ref continues with `.`/`[`/`(` only when nothing separates them), and collects comments on the side
 * for METADATA annotations.
 */

export type TokenKind =
  | 'ident'
  | 'keyword'
  | 'number'
  | 'string'
  | 'rawstring'
  | 'template'
  | 'op'
  | 'eof'
  | 'illegal';

export interface Token {
  kind: TokenKind;
  /** Keyword, identifier or operator text; the source text for literals. */
  value: string;
  start: number;
  end: number;
  /** A line break (or the start of input) separates this token from the previous one. */
  nlBefore: boolean;
  /** Any whitespace or comment separates this token from the previous one. */
  wsBefore: boolean;
  /** For template strings: the interpolated expressions' source spans. */
  parts?: { start: number; end: number }[];
  /** A problem found while scanning this token (unterminated string, bad escape). */
  problem?: string;
}

export interface Comment {
  /** Offset of the `#`. */
  start: number;
  end: number;
  /** Text after the `#`. */
  text: string;
  /** Nothing but whitespace before the comment on its line. */
  ownLine: boolean;
}

/** Always keywords, in every Rego version. */
export const CORE_KEYWORDS = new Set(['package', 'import', 'as', 'default', 'else', 'not', 'some', 'with', 'null', 'true', 'false']);
/** Keywords of Rego v1 that v0 modules get only through `future.keywords` or `rego.v1` imports. */
export const FUTURE_KEYWORDS = ['in', 'every', 'contains', 'if'] as const;

const SINGLE_OPERATORS = new Set(['=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '.', ',', ';', ':', '(', ')', '[', ']', '{', '}']);

/** The operator at `i`: two-character ones first (`:=`, `==`, `!=`, `<=`, `>=`). */
function operatorAt(text: string, i: number): string | undefined {
  const c = text[i];
  if (text[i + 1] === '=' && (c === ':' || c === '=' || c === '!' || c === '<' || c === '>')) return c + '=';
  return SINGLE_OPERATORS.has(c) ? c : undefined;
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export interface ScanResult {
  tokens: Token[];
  comments: Comment[];
}

/** Scans `text[start, end)`; offsets stay absolute so nested scans (template strings) keep positions. */
export function scan(text: string, start = 0, end = text.length): ScanResult {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let i = start;
  let nl = true;
  let ws = true;
  let lineHasToken = false;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      nl = true;
      ws = true;
      lineHasToken = false;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 0xfeff) {
      ws = true;
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
      comments.push({ start: i, end: j, text: text.slice(i + 1, j), ownLine: !lineHasToken });
      ws = true;
      i = j;
      continue;
    }
    const tokStart = i;
    const push = (kind: TokenKind, value: string, tokEnd: number, extra?: Partial<Token>): void => {
      const t: Token = { kind, value, start: tokStart, end: tokEnd, nlBefore: nl, wsBefore: ws };
      if (extra) Object.assign(t, extra);
      tokens.push(t);
      nl = false;
      ws = false;
      lineHasToken = true;
      i = tokEnd;
    };
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < end && isIdentPart(text.charCodeAt(j))) j++;
      const word = text.slice(i, j);
      push(CORE_KEYWORDS.has(word) ? 'keyword' : 'ident', word, j);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && !continuesRef(tokens, i))) {
      const j = scanNumber(text, i, end);
      push('number', text.slice(i, j), j);
      continue;
    }
    if (c === 34 /* " */) {
      const r = scanQuoted(text, i, end, false);
      push('string', text.slice(i, r.end), r.end, r.problem ? { problem: r.problem } : undefined);
      continue;
    }
    if (c === 96 /* ` */) {
      let j = i + 1;
      while (j < end && text.charCodeAt(j) !== 96) j++;
      if (j >= end) push('rawstring', text.slice(i, end), end, { problem: 'unterminated raw string' });
      else push('rawstring', text.slice(i, j + 1), j + 1);
      continue;
    }
    if (c === 36 /* $ */ && (text.charCodeAt(i + 1) === 34 || text.charCodeAt(i + 1) === 96)) {
      const r = scanTemplate(text, i, end);
      push('template', text.slice(i, r.end), r.end, { parts: r.parts, ...(r.problem ? { problem: r.problem } : {}) });
      continue;
    }
    const op = operatorAt(text, i);
    if (op) {
      push('op', op, i + op.length);
      continue;
    }
    // One illegal character at a time, so the parser can point at it exactly.
    const width = c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    push('illegal', text.slice(i, i + width), i + width);
  }
  tokens.push({ kind: 'eof', value: '', start: end, end, nlBefore: true, wsBefore: true });
  return { tokens, comments };
}

/** `x.5` is not a number after a ref-like token with nothing between. */
function continuesRef(tokens: Token[], at: number): boolean {
  const prev = tokens[tokens.length - 1];
  if (!prev || prev.end !== at) return false;
  return prev.kind === 'ident' || (prev.kind === 'op' && (prev.value === ']' || prev.value === ')' || prev.value === '}'));
}

function scanNumber(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && isDigit(text.charCodeAt(j))) j++;
  if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
    j++;
    while (j < end && isDigit(text.charCodeAt(j))) j++;
  }
  const e = text.charCodeAt(j);
  if (e === 101 || e === 69) {
    let k = j + 1;
    if (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45) k++;
    if (isDigit(text.charCodeAt(k))) {
      while (k < end && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}

/** A double-quoted string with JSON escapes; in a template `\{` is an escape too. */
function scanQuoted(text: string, i: number, end: number, template: boolean): { end: number; problem?: string } {
  let j = i + 1;
  let problem: string | undefined;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === 34) return { end: j + 1, problem };
    if (c === 10 || c === 13) return { end: j, problem: 'unterminated string' };
    if (c === 92 /* \ */) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) problem ??= 'invalid unicode escape in string';
        j += 6;
        continue;
      }
      if (!'"\\/bfnrt'.includes(e ?? '') && !(template && (e === '{' || e === '}'))) problem ??= `invalid escape \\${e ?? ''} in string`;
      j += 2;
      continue;
    }
    if (c < 32 && c !== 9) problem ??= 'control character in string';
    j++;
  }
  return { end, problem: 'unterminated string' };
}

/** `$"text {expr} text"` or `` $`text {expr}` ``: finds the interpolated expressions' spans. */
function scanTemplate(text: string, i: number, end: number): { end: number; parts: { start: number; end: number }[]; problem?: string } {
  const raw = text.charCodeAt(i + 1) === 96;
  const close = raw ? 96 : 34;
  const parts: { start: number; end: number }[] = [];
  let j = i + 2;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c === close) return { end: j + 1, parts };
    if (!raw && (c === 10 || c === 13)) return { end: j, parts, problem: 'unterminated template string' };
    if (!raw && c === 92) {
      j += 2;
      continue;
    }
    if (c === 123 /* { */) {
      const exprStart = j + 1;
      let depth = 1;
      let k = exprStart;
      while (k < end && depth > 0) {
        const d = text.charCodeAt(k);
        if (d === 123) depth++;
        else if (d === 125) depth--;
        else if (d === 34) {
          k = scanQuoted(text, k, end, false).end;
          continue;
        } else if (d === 96) {
          const next = text.indexOf('`', k + 1);
          k = next < 0 || next >= end ? end : next + 1;
          continue;
        } else if (!raw && (d === 10 || d === 13)) break;
        if (depth > 0) k++;
      }
      if (depth > 0) return { end: Math.min(k, end), parts, problem: 'unterminated interpolation in template string' };
      parts.push({ start: exprStart, end: k });
      j = k + 1;
      continue;
    }
    j++;
  }
  return { end, parts, problem: 'unterminated template string' };
}
