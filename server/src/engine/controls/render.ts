/**
 * Control statements as markdown, with parameter insertions (`{{ insert: param, id }}`) replaced the
 * way NIST prints them: a set value, `[Selection (one or more): a; b]`, or `[Assignment: label]`.
 */
import { asArray, asString, isRecord, propValue, type OscalControl, type OscalParam } from './oscal';

export type ParamLookup = (id: string) => OscalParam | undefined;

const INSERT_RE = /\{\{\s*insert:\s*param\s*,\s*([^\s}]+)\s*\}\}/g;
const MAX_DEPTH = 8;
/** Hovers are for reading, not for whole documents. */
export const MAX_STATEMENT_CHARS = 6000;

/** Parameter expansions allowed per rendering: choices that insert each other must not multiply without end. */
const MAX_EXPANSIONS = 2000;

export interface Budget {
  left: number;
}

export function paramText(param: OscalParam | undefined, id: string, lookup: ParamLookup, depth = 0, budget: Budget = { left: MAX_EXPANSIONS }): string {
  if (budget.left-- <= 0) return '[…]';
  if (!param) return `[Assignment: ${id}]`;
  const values = asArray(param.values).filter((v): v is string => typeof v === 'string');
  if (values.length) return values.map((v) => insertParams(v, lookup, depth + 1, budget)).join(', ');
  if (isRecord(param.select)) {
    const choices = asArray(param.select.choice)
      .filter((c): c is string => typeof c === 'string')
      .map((c) => insertParams(c, lookup, depth + 1, budget));
    const many = param.select['how-many'] === 'one-or-more' ? ' (one or more)' : '';
    return `[Selection${many}: ${choices.join('; ')}]`;
  }
  return `[Assignment: ${asString(param.label) ?? id}]`;
}

export function insertParams(text: string, lookup: ParamLookup, depth = 0, budget: Budget = { left: MAX_EXPANSIONS }): string {
  if (depth > MAX_DEPTH) return text.replace(INSERT_RE, '[…]');
  return text.replace(INSERT_RE, (_m, id: string) => paramText(lookup(id), id, lookup, depth, budget));
}

/** The `statement` part of a control as markdown (items as a nested list with their labels). */
export function renderStatement(control: OscalControl, lookup: ParamLookup): string | undefined {
  const statement = asArray(control.parts).find((p) => isRecord(p) && p.name === 'statement');
  if (!isRecord(statement)) return undefined;
  const lines: string[] = [];
  const budget: Budget = { left: MAX_EXPANSIONS };
  const walk = (part: Record<string, unknown>, indent: number, depth: number): void => {
    if (depth > MAX_DEPTH * 4) return;
    const prose = typeof part.prose === 'string' ? insertParams(part.prose, lookup, 0, budget).trim() : '';
    const label = propValue(part.props, 'label');
    if (indent < 0) {
      if (prose) lines.push(prose, '');
    } else if (prose || label) {
      const pad = '  '.repeat(indent);
      // `1.` at the start of a list item would open a nested ordered list; the label is text.
      const shownLabel = label?.replace(/^(\d+)\./, '$1\\.');
      const text = [shownLabel, prose].filter(Boolean).join(' ').replace(/\n+/g, ' ');
      lines.push(`${pad}- ${text}`);
    }
    for (const child of asArray(part.parts)) if (isRecord(child)) walk(child, indent + 1, depth + 1);
  };
  walk(statement, -1, 0);
  let text = lines.join('\n').trim();
  if (text.length > MAX_STATEMENT_CHARS) text = `${text.slice(0, MAX_STATEMENT_CHARS)}…`;
  return text || undefined;
}
