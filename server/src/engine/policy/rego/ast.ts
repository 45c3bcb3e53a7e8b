/** The Rego syntax tree. Every node carries absolute offsets into the text it was parsed from. */

export interface Span {
  start: number;
  end: number;
}

export type Term =
  | VarTerm
  | ScalarTerm
  | TemplateTerm
  | RefTerm
  | CallTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ComprehensionTerm
  | InfixTerm
  | UnaryTerm
  | MembershipTerm;

export interface VarTerm extends Span {
  type: 'var';
  name: string;
}

export interface ScalarTerm extends Span {
  type: 'string' | 'number' | 'boolean' | 'null';
  /** Decoded value (string contents, number text, boolean). */
  value: string | number | boolean | null;
  raw: string;
}

export interface TemplateTerm extends Span {
  type: 'template';
  /** Interpolated expressions. */
  parts: Term[];
  /** Literal text around them (decoded): one more than `parts`. */
  segments: string[];
}

export type RefArg = ({ kind: 'dot'; name: string } & Span) | ({ kind: 'bracket'; term: Term } & Span);

export interface RefTerm extends Span {
  type: 'ref';
  head: Term;
  args: RefArg[];
}

export interface CallTerm extends Span {
  type: 'call';
  fn: VarTerm | RefTerm;
  args: Term[];
}

export interface ArrayTerm extends Span {
  type: 'array';
  items: Term[];
}

export interface ObjectTerm extends Span {
  type: 'object';
  items: { key: Term; value: Term }[];
}

export interface SetTerm extends Span {
  type: 'set';
  items: Term[];
}

export interface ComprehensionTerm extends Span {
  type: 'arraycompr' | 'setcompr' | 'objectcompr';
  head: Term;
  /** Value of an object comprehension's `key: value` head. */
  value?: Term;
  body: Body;
}

export interface InfixTerm extends Span {
  type: 'infix';
  op: string;
  left: Term;
  right: Term;
}

export interface UnaryTerm extends Span {
  type: 'unary';
  op: '-';
  operand: Term;
}

/** `x in xs` or `k, v in xs`. */
export interface MembershipTerm extends Span {
  type: 'in';
  key?: Term;
  value: Term;
  collection: Term;
}

export interface WithModifier extends Span {
  target: Term;
  value: Term;
}

export interface ExprLiteral extends Span {
  type: 'expr';
  negated: boolean;
  expr: Term;
  withs: WithModifier[];
}

export interface SomeLiteral extends Span {
  type: 'some';
  /** Declared variables (`some x, y`) or one membership (`some k, v in xs`). */
  symbols: Term[];
  withs: WithModifier[];
}

export interface EveryLiteral extends Span {
  type: 'every';
  key?: VarTerm;
  value: VarTerm;
  domain: Term;
  body: Body;
  withs: WithModifier[];
}

export type Literal = ExprLiteral | SomeLiteral | EveryLiteral;

export interface Body extends Span {
  literals: Literal[];
}

export interface ElseClause extends Span {
  value?: Term;
  body?: Body;
  hasIf: boolean;
}

export type RuleKind = 'complete' | 'function' | 'partial-set' | 'partial-object' | 'default';

export interface RuleHead extends Span {
  /** The head's ref as written (`p`, `a.b[x]`, `f`). */
  ref: VarTerm | RefTerm;
  /** First segment: the rule's name for lookups. */
  name: string;
  nameSpan: Span;
  /** Dotted path as far as it is ground (`a.b` for `a.b[x]`). */
  path: string[];
  args?: Term[];
  /** `contains` term or the `[key]` of a partial rule. */
  key?: Term;
  value?: Term;
  assign?: ':=' | '=';
  contains: boolean;
}

export interface Rule extends Span {
  default: boolean;
  head: RuleHead;
  kind: RuleKind;
  hasIf: boolean;
  /** The rule's bodies: the first, then chained `{ ... }` blocks (incremental definitions). */
  bodies: Body[];
  elses: ElseClause[];
}

export interface PackageDecl extends Span {
  path: string[];
  pathSpan: Span;
}

export interface ImportDecl extends Span {
  /** Path segments (`data`, `lib`, `x`). */
  path: string[];
  pathSpan: Span;
  alias?: string;
  aliasSpan?: Span;
}

export interface Module {
  package?: PackageDecl;
  imports: ImportDecl[];
  rules: Rule[];
}

/** Calls `visit` for every term below `term`, depth first, the term itself first. */
export function walkTerm(term: Term, visit: (t: Term) => void): void {
  visit(term);
  switch (term.type) {
    case 'template':
      term.parts.forEach((p) => walkTerm(p, visit));
      break;
    case 'ref':
      walkTerm(term.head, visit);
      for (const a of term.args) if (a.kind === 'bracket') walkTerm(a.term, visit);
      break;
    case 'call':
      walkTerm(term.fn, visit);
      term.args.forEach((a) => walkTerm(a, visit));
      break;
    case 'array':
    case 'set':
      term.items.forEach((i) => walkTerm(i, visit));
      break;
    case 'object':
      for (const it of term.items) {
        walkTerm(it.key, visit);
        walkTerm(it.value, visit);
      }
      break;
    case 'arraycompr':
    case 'setcompr':
    case 'objectcompr':
      walkTerm(term.head, visit);
      if (term.value) walkTerm(term.value, visit);
      walkBody(term.body, visit);
      break;
    case 'infix':
      walkTerm(term.left, visit);
      walkTerm(term.right, visit);
      break;
    case 'unary':
      walkTerm(term.operand, visit);
      break;
    case 'in':
      if (term.key) walkTerm(term.key, visit);
      walkTerm(term.value, visit);
      walkTerm(term.collection, visit);
      break;
    default:
      break;
  }
}

export function walkBody(body: Body, visit: (t: Term) => void): void {
  for (const lit of body.literals) {
    if (lit.type === 'expr') walkTerm(lit.expr, visit);
    else if (lit.type === 'some') lit.symbols.forEach((s) => walkTerm(s, visit));
    else {
      if (lit.key) walkTerm(lit.key, visit);
      walkTerm(lit.value, visit);
      walkTerm(lit.domain, visit);
      walkBody(lit.body, visit);
    }
    for (const w of lit.withs) {
      walkTerm(w.target, visit);
      walkTerm(w.value, visit);
    }
  }
}

/** Every term of a rule: head, bodies and else clauses. */
export function walkRule(rule: Rule, visit: (t: Term) => void): void {
  walkTerm(rule.head.ref, visit);
  rule.head.args?.forEach((a) => walkTerm(a, visit));
  if (rule.head.key) walkTerm(rule.head.key, visit);
  if (rule.head.value) walkTerm(rule.head.value, visit);
  rule.bodies.forEach((b) => walkBody(b, visit));
  for (const e of rule.elses) {
    if (e.value) walkTerm(e.value, visit);
    if (e.body) walkBody(e.body, visit);
  }
}
