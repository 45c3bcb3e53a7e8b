/**
 * Editor features over parsed Rego modules: document symbols, go to definition for rules and
 * functions across a set of modules (same package, imports and aliases, `data.` refs), and hover text.
 * Offsets in and out are Rego-text offsets of the module asked about; results carry file offsets.
 */
import { displayControlId } from '../../controls/ids';
import { walkBody, walkRule, walkTerm, type Rule, type Span, type Term } from './ast';
import { controlsOfRule, packageControls } from './metadata';
import type { RegoModuleInfo } from './module';
import { BUILTINS } from './builtins';

export type RegoSymbolKind = 'package' | 'rule' | 'function' | 'set' | 'object' | 'default';

export interface RegoSymbol {
  name: string;
  kind: RegoSymbolKind;
  detail: string;
  /** File offsets of the whole statement and of its name. */
  range: Span;
  selection: Span;
  children: RegoSymbol[];
}

export interface RegoLocation {
  uri: string;
  /** File offsets. */
  start: number;
  end: number;
}

function fileSpan(mod: RegoModuleInfo, s: Span): Span {
  return { start: mod.source.toFile(s.start), end: mod.source.toFile(s.end) };
}

function kindOf(rule: Rule): RegoSymbolKind {
  switch (rule.kind) {
    case 'function':
      return 'function';
    case 'partial-set':
      return 'set';
    case 'partial-object':
      return 'object';
    case 'default':
      return 'default';
    default:
      return 'rule';
  }
}

function headText(mod: RegoModuleInfo, rule: Rule): string {
  const text = mod.source.text.slice(rule.start, rule.head.end);
  return text.length > 200 ? text.slice(0, 200) + '…' : text;
}

/** The package, with each rule definition as a child. */
export function documentSymbols(mod: RegoModuleInfo): RegoSymbol[] {
  const rules: RegoSymbol[] = mod.module.rules.map((rule) => ({
    name: rule.head.path.join('.'),
    kind: kindOf(rule),
    detail: headText(mod, rule),
    range: fileSpan(mod, rule),
    selection: fileSpan(mod, rule.head.nameSpan),
    children: [],
  }));
  const pkg = mod.module.package;
  if (!pkg) return rules;
  const last = mod.module.rules[mod.module.rules.length - 1];
  return [
    {
      name: mod.packageName,
      kind: 'package',
      detail: 'package',
      range: fileSpan(mod, { start: pkg.start, end: Math.max(pkg.end, last?.end ?? pkg.end) }),
      selection: fileSpan(mod, pkg.pathSpan),
      children: rules,
    },
  ];
}

interface Target {
  term: Term;
  /** The name under the cursor (a var, or a ref's dotted prefix up to the segment under the cursor). */
  path: string[];
  rule?: Rule;
  onHeadName?: boolean;
}

function contains(s: Span, offset: number): boolean {
  return s.start <= offset && offset <= s.end;
}

/** The innermost var or ref segment under `offset`. */
function targetAt(mod: RegoModuleInfo, offset: number): Target | undefined {
  for (const rule of mod.module.rules) {
    if (!contains(rule, offset)) continue;
    if (contains(rule.head.nameSpan, offset)) return { term: rule.head.ref, path: [rule.head.name], rule, onHeadName: true };
    let best: Target | undefined;
    walkRule(rule, (t) => {
      if (!contains(t, offset)) return;
      if (t.type === 'var') {
        if (!best || t.end - t.start <= best.term.end - best.term.start) best = { term: t, path: [t.name], rule };
      } else if (t.type === 'ref' && t.head.type === 'var' && contains(t.head, offset) === false) {
        // On a dotted segment: the path up to and including that segment.
        const path = [t.head.name];
        for (const a of t.args) {
          if (a.kind === 'dot') path.push(a.name);
          else if (a.term.type === 'string') path.push(String(a.term.value));
          else break;
          if (contains(a, offset) && a.kind === 'dot') {
            if (!best || a.end - a.start <= best.term.end - best.term.start) best = { term: { type: 'var', name: a.name, start: a.start + 1, end: a.end }, path: [...path], rule };
            break;
          }
        }
      }
    });
    return best;
  }
  return undefined;
}

/** Whether `name` is a local variable of `rule`: a function argument, or assigned or declared in a body. */
export function localDeclaration(rule: Rule, name: string): Span | undefined {
  let found: Span | undefined;
  const consider = (s: Span): void => {
    if (!found || s.start < found.start) found = s;
  };
  for (const arg of rule.head.args ?? []) walkTerm(arg, (t) => t.type === 'var' && t.name === name && consider(t));
  const visitBodies = (t: Term): void => {
    if (t.type === 'infix' && t.op === ':=') walkTerm(t.left, (v) => v.type === 'var' && v.name === name && consider(v));
  };
  for (const b of rule.bodies) {
    walkBody(b, visitBodies);
    for (const lit of b.literals) {
      if (lit.type === 'some') for (const s of lit.symbols) {
        if (s.type === 'var' && s.name === name) consider(s);
        if (s.type === 'in') {
          if (s.key) walkTerm(s.key, (v) => v.type === 'var' && v.name === name && consider(v));
          walkTerm(s.value, (v) => v.type === 'var' && v.name === name && consider(v));
        }
      }
      if (lit.type === 'every') {
        if (lit.key?.name === name) consider(lit.key);
        if (lit.value.name === name) consider(lit.value);
      }
    }
  }
  for (const e of rule.elses) if (e.body) walkBody(e.body, visitBodies);
  return found;
}

/** Rules named by an absolute `data.` path: the longest matching package, then the rule's path. */
function rulesAtDataPath(modules: RegoModuleInfo[], path: string[]): { mod: RegoModuleInfo; rule?: Rule }[] {
  const out: { mod: RegoModuleInfo; rule?: Rule }[] = [];
  for (const mod of modules) {
    const pkg = mod.module.package?.path;
    if (!pkg || pkg.length > path.length || !pkg.every((seg, i) => seg === path[i])) continue;
    const rest = path.slice(pkg.length);
    if (rest.length === 0) {
      out.push({ mod });
      continue;
    }
    for (const rule of mod.module.rules) {
      const rp = rule.head.path;
      const n = Math.min(rp.length, rest.length);
      if (n > 0 && rp.slice(0, n).every((seg, i) => seg === rest[i])) out.push({ mod, rule });
    }
  }
  return out;
}

/** Where the name or ref under `offset` (a Rego-text offset of `mod`) is defined. */
export function definitionAt(modules: RegoModuleInfo[], mod: RegoModuleInfo, offset: number): RegoLocation[] {
  const importAt = mod.module.imports.find((i) => contains(i.pathSpan, offset));
  if (importAt && importAt.path[0] === 'data') return toLocations(rulesAtDataPath(modules, importAt.path.slice(1)));
  const target = targetAt(mod, offset);
  if (!target) return [];
  const [head, ...rest] = target.path;
  if (target.rule && !target.onHeadName && target.path.length === 1) {
    const local = localDeclaration(target.rule, head);
    if (local) return [{ uri: mod.source.uri, ...fileSpan(mod, local) }];
  }
  if (head === 'data') return toLocations(rulesAtDataPath(modules, rest));
  if (head === 'input') return [];
  const imp = mod.module.imports.find((i) => (i.alias ?? i.path[i.path.length - 1]) === head && i.path[0] === 'data');
  if (imp) return toLocations(rulesAtDataPath(modules, [...imp.path.slice(1), ...rest]));
  const pkg = mod.module.package?.path ?? [];
  return toLocations(rulesAtDataPath(modules, [...pkg, head, ...rest]));
}

function toLocations(found: { mod: RegoModuleInfo; rule?: Rule }[]): RegoLocation[] {
  return found.map(({ mod, rule }) => {
    const span = rule ? rule.head.nameSpan : (mod.module.package?.pathSpan ?? { start: 0, end: 0 });
    return { uri: mod.source.uri, ...fileSpan(mod, span) };
  });
}

/** Markdown for the rule, function or package under `offset`; undefined elsewhere. */
export function hoverAt(modules: RegoModuleInfo[], mod: RegoModuleInfo, offset: number): { markdown: string; range: Span } | undefined {
  const pkg = mod.module.package;
  if (pkg && contains(pkg.pathSpan, offset)) {
    const controls = packageControls(mod.annotations);
    const ann = mod.annotations.find((a) => a.target.kind === 'package');
    return { markdown: describe(`package ${mod.packageName}`, ann?.title, ann?.description, controls.map((c) => c.id)), range: fileSpan(mod, pkg.pathSpan) };
  }
  const target = targetAt(mod, offset);
  if (!target) return undefined;
  if (target.rule && !target.onHeadName && target.path.length === 1 && localDeclaration(target.rule, target.path[0])) {
    return { markdown: `\`${target.path[0]}\`: local variable`, range: fileSpan(mod, target.term) };
  }
  const defs = target.onHeadName && target.rule ? [{ mod, rule: target.rule }] : resolveRules(modules, mod, target.path);
  const first = defs.find((d) => d.rule);
  if (!first?.rule) {
    const builtin = BUILTINS[target.path.join('.')];
    if (!builtin || target.onHeadName) return undefined;
    return { markdown: '```rego\n' + builtin.signature + '\n```\n\nBuilt-in function: ' + builtin.description, range: fileSpan(mod, target.term) };
  }
  const rule = first.rule;
  const controls = controlsOfRule(rule, first.mod.annotations).map((c) => c.id);
  const ann = first.mod.annotations.find((a) => a.target.kind === 'rule' && a.target.rule === rule);
  const count = defs.filter((d) => d.rule && d.rule.head.name === rule.head.name).length;
  const kind = { complete: 'rule', function: 'function', 'partial-set': 'multi-value rule (set)', 'partial-object': 'rule with a key (object)', default: 'default rule' }[rule.kind];
  const title = `${kind} \`${rule.head.path.join('.')}\` in package \`${first.mod.packageName}\`${count > 1 ? ` (${count} definitions)` : ''}`;
  const code = '```rego\n' + headText(first.mod, rule) + '\n```';
  return { markdown: code + '\n\n' + describe(title, ann?.title, ann?.description, [...new Set(controls)]), range: fileSpan(mod, target.term) };
}

export function resolveRules(modules: RegoModuleInfo[], mod: RegoModuleInfo, path: string[]): { mod: RegoModuleInfo; rule?: Rule }[] {
  const [head, ...rest] = path;
  if (head === 'data') return rulesAtDataPath(modules, rest);
  const imp = mod.module.imports.find((i) => (i.alias ?? i.path[i.path.length - 1]) === head && i.path[0] === 'data');
  if (imp) return rulesAtDataPath(modules, [...imp.path.slice(1), ...rest]);
  return rulesAtDataPath(modules, [...(mod.module.package?.path ?? []), ...path]);
}

function describe(title: string, annTitle: string | undefined, description: string | undefined, controls: string[]): string {
  const parts = [title];
  if (annTitle) parts.push(`**${annTitle}**`);
  if (description) parts.push(description);
  if (controls.length) parts.push(`Controls: ${controls.map(displayControlId).join(', ')}`);
  return parts.join('\n\n');
}

export interface RegoCompletion {
  label: string;
  kind: 'keyword' | 'function' | 'reference' | 'value';
  detail?: string;
  documentation?: string;
  /** File offsets of the text the completion replaces. */
  start: number;
  end: number;
}

const KEYWORDS = ['if', 'contains', 'else', 'some', 'every', 'in', 'not', 'with', 'as', 'default', 'import', 'package', 'true', 'false', 'null', 'input', 'data'];

function rulesOfPackage(modules: RegoModuleInfo[], pkg: string[]): { name: string; rule: Rule; mod: RegoModuleInfo }[] {
  const out: { name: string; rule: Rule; mod: RegoModuleInfo }[] = [];
  const seen = new Set<string>();
  for (const m of modules) {
    const p = m.module.package?.path;
    if (!p || p.length !== pkg.length || !p.every((s, i) => s === pkg[i])) continue;
    for (const rule of m.module.rules) {
      if (seen.has(rule.head.name)) continue;
      seen.add(rule.head.name);
      out.push({ name: rule.head.name, rule, mod: m });
    }
  }
  return out;
}

/** Completions at a Rego-text offset of `mod`: keywords, rules, imports, built-ins; after `alias.` or `data.x.`, that package's rules. */
export function completionsAt(modules: RegoModuleInfo[], mod: RegoModuleInfo, offset: number): RegoCompletion[] {
  const text = mod.source.text;
  let wordStart = offset;
  while (wordStart > 0 && /[A-Za-z0-9_.]/.test(text[wordStart - 1])) wordStart--;
  const typed = text.slice(wordStart, offset);
  const lastDot = typed.lastIndexOf('.');
  const start = mod.source.toFile(lastDot < 0 ? wordStart : wordStart + lastDot + 1);
  const end = mod.source.toFile(offset);
  const ruleItem = (r: { name: string; rule: Rule; mod: RegoModuleInfo }): RegoCompletion => ({
    label: r.name,
    kind: r.rule.kind === 'function' ? 'function' : 'reference',
    detail: headText(r.mod, r.rule),
    start,
    end,
  });
  if (lastDot >= 0) {
    const base = typed.slice(0, lastDot).split('.');
    let pkg: string[] | undefined;
    if (base[0] === 'data') pkg = base.slice(1);
    else {
      const imp = mod.module.imports.find((i) => (i.alias ?? i.path[i.path.length - 1]) === base[0] && i.path[0] === 'data');
      if (imp) pkg = [...imp.path.slice(1), ...base.slice(1)];
    }
    const out: RegoCompletion[] = [];
    if (pkg) {
      out.push(...rulesOfPackage(modules, pkg).map(ruleItem));
      const subs = new Set<string>();
      for (const m of modules) {
        const p = m.module.package?.path;
        if (p && p.length > pkg.length && pkg.every((s, i) => s === p[i])) subs.add(p[pkg.length]);
      }
      for (const s of subs) out.push({ label: s, kind: 'reference', detail: `package ${[...pkg, s].join('.')}`, start, end });
    }
    const prefix = typed.slice(0, lastDot + 1);
    for (const [name, doc] of Object.entries(BUILTINS)) {
      if (name.startsWith(prefix)) out.push({ label: name.slice(prefix.length), kind: 'function', detail: doc.signature, documentation: doc.description, start, end });
    }
    return out;
  }
  const out: RegoCompletion[] = KEYWORDS.map((k) => ({ label: k, kind: 'keyword' as const, start, end }));
  out.push(...rulesOfPackage(modules, mod.module.package?.path ?? []).map(ruleItem));
  for (const imp of mod.module.imports) {
    if (imp.path[0] !== 'data' && imp.path[0] !== 'input') continue;
    out.push({ label: imp.alias ?? imp.path[imp.path.length - 1], kind: 'reference', detail: `import ${imp.path.join('.')}`, start, end });
  }
  const namespaces = new Set<string>();
  for (const [name, doc] of Object.entries(BUILTINS)) {
    const dot = name.indexOf('.');
    if (dot < 0) out.push({ label: name, kind: 'function', detail: doc.signature, documentation: doc.description, start, end });
    else namespaces.add(name.slice(0, dot));
  }
  for (const ns of namespaces) out.push({ label: ns, kind: 'function', detail: `${ns}.* built-in functions`, start, end });
  // Local variables of the rule being written.
  const rule = mod.module.rules.find((r) => r.start <= offset && offset <= r.end);
  if (rule) {
    const locals = new Set<string>();
    walkRule(rule, (t) => {
      if (t.type === 'var' && !t.name.startsWith('_') && t.name !== typed && localDeclaration(rule, t.name)) locals.add(t.name);
    });
    for (const l of locals) out.push({ label: l, kind: 'value', detail: 'local variable', start, end });
  }
  return out;
}

/** `package\0name` of what a name or dotted path denotes: same package, an import (or its alias), or `data.`. */
export function ruleKey(mod: RegoModuleInfo, path: string[]): string | undefined {
  let abs: string[] | undefined;
  if (path[0] === 'data') abs = path.slice(1);
  else if (path[0] === 'input') return undefined;
  else {
    const imp = mod.module.imports.find((i) => (i.alias ?? i.path[i.path.length - 1]) === path[0] && i.path[0] === 'data');
    if (imp) abs = [...imp.path.slice(1), ...path.slice(1)];
    else if (path.length === 1) abs = [...(mod.module.package?.path ?? []), path[0]];
  }
  if (!abs || abs.length === 0) return undefined;
  return `${abs.slice(0, -1).join('.')}\0${abs[abs.length - 1]}`;
}

/**
 * Every place that refers to the rule or function under `offset` (its definitions included), across the
 * modules: names in the same package, imported names and aliases, and `data.` refs. Linear in the size
 * of the modules: each candidate is resolved by key, not by a search.
 */
export function referencesAt(modules: RegoModuleInfo[], mod: RegoModuleInfo, offset: number): RegoLocation[] {
  const target = targetAt(mod, offset);
  if (!target) return [];
  const name = target.path[target.path.length - 1];
  const out = new Map<string, RegoLocation>();
  const add = (m: RegoModuleInfo, s: Span): void => {
    const loc = { uri: m.source.uri, ...fileSpan(m, s) };
    out.set(`${loc.uri}#${loc.start}`, loc);
  };
  const rule = target.rule;
  if (rule && !target.onHeadName && target.path.length === 1 && localDeclaration(rule, name)) {
    walkRule(rule, (t) => t.type === 'var' && t.name === name && add(mod, t));
    return [...out.values()].sort((a, b) => a.start - b.start);
  }
  const wanted = new Set<string>();
  for (const d of definitionAt(modules, mod, offset)) {
    const dm = modules.find((m) => m.source.uri === d.uri && m.source.toFile(0) <= d.start && d.start <= m.source.toFile(m.source.text.length));
    const r = dm?.module.rules.find((x) => dm.source.toFile(x.head.nameSpan.start) === d.start);
    if (dm && r) wanted.add(`${dm.module.package?.path.join('.') ?? ''}\0${r.head.name}`);
  }
  if (wanted.size === 0) return [];
  for (const m of modules) {
    const pkg = m.module.package?.path.join('.') ?? '';
    for (const r of m.module.rules) {
      if (r.head.name === name && wanted.has(`${pkg}\0${name}`)) add(m, r.head.nameSpan);
      let locals: Map<string, boolean> | undefined;
      const isLocal = (n: string): boolean => {
        locals ??= new Map();
        let v = locals.get(n);
        if (v === undefined) locals.set(n, (v = localDeclaration(r, n) !== undefined));
        return v;
      };
      walkRule(r, (t) => {
        if (t.type === 'var' && t.name === name) {
          if (t !== r.head.ref && !isLocal(name)) {
            const k = ruleKey(m, [name]);
            if (k && wanted.has(k)) add(m, t);
          }
        } else if (t.type === 'ref' && t.head.type === 'var') {
          const path = [t.head.name];
          for (const a of t.args) {
            if (a.kind === 'dot') path.push(a.name);
            else if (a.term.type === 'string') path.push(String(a.term.value));
            else break;
            if (path[path.length - 1] === name && a.kind === 'dot' && !(path.length === 2 && isLocal(path[0]))) {
              const k = ruleKey(m, path);
              if (k && wanted.has(k)) add(m, { start: a.start + 1, end: a.end });
            }
          }
        }
      });
    }
    for (const imp of m.module.imports) {
      if (imp.path[0] !== 'data' || imp.path[imp.path.length - 1] !== name) continue;
      if (wanted.has(`${imp.path.slice(1, -1).join('.')}\0${name}`)) add(m, { start: imp.pathSpan.end - name.length, end: imp.pathSpan.end });
    }
  }
  return [...out.values()].sort((a, b) => (a.uri === b.uri ? a.start - b.start : a.uri < b.uri ? -1 : 1));
}
