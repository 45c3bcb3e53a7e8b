/**
 * A recursive-descent parser for Rego, following OPA's own parser (ast/parser.go) in what it accepts:
 * v0 and v1 syntax, `future.keywords` and `rego.v1` imports, partial rules, ref heads, functions, else
 * chains, `some`/`in`/`every`, comprehensions, `with` modifiers and template strings. It keeps going
 * after an error: the statement in error is skipped up to the next line that starts a statement at
 * the same or lower indentation, so one slip yields one diagnostic, not a cascade.
 */
import type {
  Body,
  ElseClause,
  EveryLiteral,
  ImportDecl,
  Literal,
  Module,
  PackageDecl,
  RefArg,
  RefTerm,
  Rule,
  RuleHead,
  RuleKind,
  Span,
  Term,
  VarTerm,
  WithModifier,
} from './ast';
import { FUTURE_KEYWORDS, scan, type Comment, type Token } from './lexer';

export type RegoVersion = 'v0' | 'v1';

export interface RegoSyntaxProblem {
  message: string;
  start: number;
  end: number;
  /** `rego.syntax` for grammar errors; `rego.v1-syntax` for constructs Rego v1 rejects; `rego.import` for bad imports. */
  code: string;
}

export interface ParseOptions {
  /** `auto` (default) picks v1 unless the text parses better as v0. */
  version?: RegoVersion | 'auto';
  /** Parse `text[start, end)` only; offsets stay absolute. */
  start?: number;
  end?: number;
}

export interface ParseResult {
  module: Module;
  errors: RegoSyntaxProblem[];
  comments: Comment[];
  version: RegoVersion;
  /** In `auto` mode, where a v0 text first breaks the v1 rules (for an informational hint). */
  v0Evidence?: RegoSyntaxProblem;
}

const MAX_DEPTH = 200;

class ParseFailure extends Error {
  constructor(
    message: string,
    readonly start: number,
    readonly end: number,
    readonly code = 'rego.syntax',
  ) {
    super(message);
  }
}

const BINARY_PRECEDENCE: Record<string, number> = {
  '==': 1,
  '!=': 1,
  '<': 1,
  '>': 1,
  '<=': 1,
  '>=': 1,
  '|': 2,
  '&': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
};

const ROOTS = new Set(['data', 'input', 'future', 'rego']);

/** Parses a Rego module. Never throws: every problem is in `errors`. */
export function parseRego(text: string, options: ParseOptions = {}): ParseResult {
  const start = options.start ?? 0;
  const end = options.end ?? text.length;
  const mode = options.version ?? 'auto';
  const scanned = scan(text, start, end);
  if (mode !== 'auto') return run(text, scanned.tokens, scanned.comments, mode);
  const v1 = run(text, scanned.tokens, scanned.comments, 'v1');
  if (v1.errors.length === 0) return v1;
  const v0 = run(text, scanned.tokens, scanned.comments, 'v0');
  if (v0.errors.length < v1.errors.length) {
    // Evidence of v0: where v1 stumbles and v0 does not (not an error both share).
    const shared = new Set(v0.errors.map((e) => e.start));
    return { ...v0, v0Evidence: v1.errors.find((e) => e.code === 'rego.v1-syntax') ?? v1.errors.find((e) => !shared.has(e.start)) };
  }
  return v1;
}

function run(text: string, tokens: Token[], comments: Comment[], version: RegoVersion): ParseResult {
  const parser = new Parser(text, tokens, version);
  try {
    const module = parser.parseModule();
    return { module, errors: parser.errors, comments, version };
  } catch (e) {
    // The depth guard should make this unreachable; a stack overflow must still not take the server down.
    if (!(e instanceof RangeError)) throw e;
    return { module: { imports: [], rules: [] }, errors: [{ message: 'the module is nested too deeply to read', start: 0, end: Math.min(1, text.length), code: 'rego.syntax' }], comments, version };
  }
}

class Parser {
  readonly errors: RegoSyntaxProblem[] = [];
  private pos = 0;
  private depth = 0;
  private readonly keywords = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
    private readonly version: RegoVersion,
    keywords?: Set<string>,
    depth = 0,
  ) {
    this.depth = depth;
    if (version === 'v1') FUTURE_KEYWORDS.forEach((k) => this.keywords.add(k));
    keywords?.forEach((k) => this.keywords.add(k));
  }

  // ---- token helpers

  private get tok(): Token {
    return this.tokens[this.pos];
  }

  private atEnd(): boolean {
    return this.tokens[this.pos].kind === 'eof';
  }

  private next(): Token {
    const t = this.tokens[this.pos];
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private get lastEnd(): number {
    return this.pos > 0 ? this.tokens[this.pos - 1].end : this.tok.start;
  }

  private isOp(value: string, t: Token = this.tok): boolean {
    return t.kind === 'op' && t.value === value;
  }

  private isKw(word: string, t: Token = this.tok): boolean {
    if (t.kind === 'keyword') return t.value === word;
    return t.kind === 'ident' && t.value === word && this.keywords.has(word);
  }

  /** An identifier usable as a variable: not a keyword, not an active future keyword. */
  private isVarToken(t: Token = this.tok): boolean {
    return t.kind === 'ident' && !this.keywords.has(t.value);
  }

  private fail(message: string, t: Token = this.tok, code?: string): never {
    if (t.problem) throw new ParseFailure(t.problem, t.start, t.end);
    const width = t.kind === 'eof' ? 0 : t.end - t.start;
    throw new ParseFailure(message, t.start, t.start + width, code);
  }

  private unexpected(expected: string, t: Token = this.tok): never {
    if (t.kind === 'eof') this.fail(`unexpected end of input, expected ${expected}`, t);
    if (t.kind === 'illegal') this.fail(`illegal character ${JSON.stringify(t.value)}`, t);
    this.fail(`unexpected ${describe(t)}, expected ${expected}`, t);
  }

  private expectOp(value: string, expected = `\`${value}\``): Token {
    if (!this.isOp(value)) this.unexpected(expected);
    return this.next();
  }

  private column(offset: number): number {
    let i = offset;
    while (i > 0 && this.text.charCodeAt(i - 1) !== 10 && this.text.charCodeAt(i - 1) !== 13) i--;
    return offset - i;
  }

  // ---- module level

  parseModule(): Module {
    const module: Module = { imports: [], rules: [] };
    if (this.tok.kind === 'eof') {
      this.errors.push({ message: 'empty module: a Rego file starts with a package declaration', start: this.tok.start, end: this.tok.start, code: 'rego.syntax' });
      return module;
    }
    while (!this.atEnd()) {
      const startPos = this.pos;
      const startTok = this.tok;
      this.depth = 0;
      try {
        if (this.isKw('package')) {
          const pkg = this.parsePackage();
          if (module.package) this.errors.push({ message: 'a module has only one package declaration', start: pkg.start, end: pkg.end, code: 'rego.syntax' });
          else if (module.rules.length || module.imports.length) this.errors.push({ message: 'the package declaration comes first', start: pkg.start, end: pkg.end, code: 'rego.syntax' });
          else module.package = pkg;
        } else {
          if (!module.package && startPos === 0) {
            this.errors.push({ message: 'expected a package declaration (`package name`) first', start: startTok.start, end: startTok.end, code: 'rego.syntax' });
          }
          if (this.isKw('import')) module.imports.push(this.parseImport());
          else module.rules.push(this.parseRule());
        }
        if (!this.atEnd() && !this.tok.nlBefore && !this.isOp(';')) this.unexpected('a new line before the next statement');
        while (this.isOp(';')) this.next();
      } catch (e) {
        if (!(e instanceof ParseFailure)) throw e;
        this.errors.push({ message: e.message, start: e.start, end: e.end, code: e.code });
        this.recover(startPos, this.column(startTok.start));
      }
    }
    return module;
  }

  /** Skips to the next token that can start a statement: first on its line, no deeper than the failed one. */
  private recover(startPos: number, column: number): void {
    if (this.pos <= startPos) this.next();
    while (this.tok.kind !== 'eof') {
      const t = this.tok;
      if (t.nlBefore && (t.kind === 'ident' || t.kind === 'keyword') && this.column(t.start) <= column) {
        if (t.kind === 'ident' || ['package', 'import', 'default'].includes(t.value)) return;
      }
      this.next();
    }
  }

  private parseDottedPath(what: string): { path: string[]; span: Span; terms: Term } {
    if (!this.isVarToken() && this.tok.kind !== 'ident') this.unexpected(`a ${what} path`);
    const head = this.parseVar();
    const term = this.parsePostfix(head, false);
    const path: string[] = [];
    const collect = (t: Term): void => {
      if (t.type === 'var') path.push(t.name);
      else if (t.type === 'ref') {
        collect(t.head);
        for (const a of t.args) {
          if (a.kind === 'dot') path.push(a.name);
          else if (a.term.type === 'string') path.push(String(a.term.value));
          else throw new ParseFailure(`unexpected ${a.term.type} in ${what} path, expected a string`, a.term.start, a.term.end);
        }
      } else throw new ParseFailure(`invalid ${what} path`, t.start, t.end);
    };
    collect(term);
    return { path, span: { start: term.start, end: term.end }, terms: term };
  }

  private parsePackage(): PackageDecl {
    const kw = this.next();
    const { path, span } = this.parseDottedPath('package');
    return { start: kw.start, end: span.end, path, pathSpan: span };
  }

  private parseImport(): ImportDecl {
    const kw = this.next();
    const { path, span } = this.parseDottedPath('import');
    const decl: ImportDecl = { start: kw.start, end: span.end, path, pathSpan: span };
    if (this.isKw('as')) {
      this.next();
      if (!this.isVarToken()) this.unexpected('an alias name');
      const alias = this.next();
      decl.alias = alias.value;
      decl.aliasSpan = { start: alias.start, end: alias.end };
      decl.end = alias.end;
    }
    this.applyImport(decl);
    return decl;
  }

  private applyImport(decl: ImportDecl): void {
    const [root, second, third] = decl.path;
    const bad = (message: string): never => {
      throw new ParseFailure(message, decl.pathSpan.start, decl.pathSpan.end, 'rego.import');
    };
    if (!ROOTS.has(root)) bad(`unexpected import path, must begin with one of data, input, future, rego; got ${root}`);
    if (root === 'future') {
      if (second !== 'keywords' || decl.path.length > 3) bad('invalid import, must be `future.keywords` or `future.keywords.<keyword>`');
      if (decl.alias) bad('`future` imports cannot be aliased');
      if (third !== undefined && !(FUTURE_KEYWORDS as readonly string[]).includes(third)) bad(`unexpected keyword, must be one of ${FUTURE_KEYWORDS.join(', ')}`);
      if (third) this.keywords.add(third);
      else FUTURE_KEYWORDS.forEach((k) => this.keywords.add(k));
    } else if (root === 'rego') {
      if (second !== 'v1' || decl.path.length !== 2) bad('invalid import, must be `rego.v1`');
      if (decl.alias) bad('`rego` imports cannot be aliased');
      FUTURE_KEYWORDS.forEach((k) => this.keywords.add(k));
    }
  }

  // ---- rules

  private parseRule(): Rule {
    const first = this.tok;
    const isDefault = this.isKw('default');
    if (isDefault) this.next();
    if (!this.isVarToken()) this.unexpected(isDefault ? 'a rule name' : 'a rule, import or package');
    const head = this.parseHead(isDefault);
    const rule: Rule = { start: first.start, end: head.end, default: isDefault, head, kind: ruleKind(head, isDefault), hasIf: false, bodies: [], elses: [] };

    if (isDefault) {
      if (!head.value) throw new ParseFailure(`expected default rule value term (e.g., default ${head.name} := <VALUE>)`, head.start, head.end);
      if (head.key && !head.contains) throw new ParseFailure('default rules cannot have a key', head.key.start, head.key.end);
      if (head.contains) throw new ParseFailure('default rules cannot be multi-value rules', head.start, head.end);
      this.checkGroundDefault(head.value);
      rule.end = this.lastEnd;
      return rule;
    }

    if (this.isKw('if')) {
      this.next();
      rule.hasIf = true;
      rule.bodies.push(this.isOp('{') ? this.parseBraceBody() : this.parseSingleLiteralBody());
    } else if (this.isOp('{')) {
      rule.bodies.push(this.parseBraceBody());
    } else if (!head.value && !head.contains && !head.key && !head.args) {
      if (this.tok.kind === 'eof' || this.tok.nlBefore) throw new ParseFailure(`rule \`${head.name}\` needs a value or a body (e.g., ${head.name} if { ... })`, head.start, head.end);
      this.unexpected('`if`, `{`, `:=` or `=`');
    } else if (head.args && !head.value && this.tok.kind !== 'eof' && !this.tok.nlBefore && !this.isKw('else')) {
      // A function head alone (`f("x", _)`) is a fact with value true.
      this.unexpected('`if`, `{`, `:=` or `=`');
    }

    while (this.isKw('else')) {
      if (head.contains || rule.kind === 'partial-set') this.fail('else keyword cannot be used on multi-value rules');
      rule.elses.push(this.parseElse());
    }
    while (this.isOp('{')) {
      if (rule.elses.length) this.fail('expected else keyword');
      rule.bodies.push(this.parseBraceBody());
    }
    rule.end = this.lastEnd;
    // `p[x] if { ... }` is a single-value rule with value true (OPA's parser), not a partial set.
    if (rule.hasIf && rule.kind === 'partial-set' && !head.contains) rule.kind = 'partial-object';
    if (this.version === 'v1') this.checkV1Rule(rule);
    return rule;
  }

  private checkGroundDefault(value: Term): void {
    let bad: Term | undefined;
    const visit = (t: Term): void => {
      if (bad) return;
      if (t.type === 'var' || t.type === 'ref' || t.type === 'call' || t.type.endsWith('compr')) bad = t;
      else if (t.type === 'array' || t.type === 'set') t.items.forEach(visit);
      else if (t.type === 'object') t.items.forEach((i) => (visit(i.key), visit(i.value)));
      else if (t.type === 'infix' || t.type === 'in' || t.type === 'template') bad = t;
      else if (t.type === 'unary') visit(t.operand);
    };
    visit(value);
    if (bad) throw new ParseFailure('default rule value cannot contain variables, references, calls or comprehensions', bad.start, bad.end);
  }

  /** What OPA's v1 parser rejects in rule shapes that v0 accepted. */
  /** Recorded without abandoning the rule, so it stays in the tree for symbols and for the v1 fix. */
  private v1Problem(message: string, start: number, end: number, code: string): void {
    this.errors.push({ message, start, end, code });
  }

  private checkV1Rule(rule: Rule): void {
    const firstBody = rule.bodies[0];
    if (firstBody && !rule.hasIf) {
      return this.v1Problem('`if` keyword is required before rule body', firstBody.start, firstBody.start + 1, 'rego.v1-syntax');
    }
    if (rule.kind === 'partial-set' && !rule.head.contains) {
      return this.v1Problem('`contains` keyword is required for partial set rules', rule.head.start, rule.head.end, 'rego.v1-syntax');
    }
    for (const e of rule.elses) {
      if (e.body && !e.hasIf) return this.v1Problem('`if` keyword is required before rule body', e.body.start, e.body.start + 1, 'rego.v1-syntax');
    }
  }

  private parseHead(isDefault: boolean): RuleHead {
    const nameTok = this.tok;
    const nameVar = this.parseVar();
    let ref: VarTerm | RefTerm = nameVar;
    let args: Term[] | undefined;
    // The first continuation of a head may follow whitespace (`p [x]`), as OPA allows.
    const refArgs: RefArg[] = [];
    let first = true;
    while ((this.isOp('.') || this.isOp('[') || this.isOp('(')) && (first || !this.tok.wsBefore)) {
      first = false;
      if (this.isOp('(')) {
        args = this.parseArgs(')');
        break;
      }
      refArgs.push(this.parseRefArg());
    }
    if (refArgs.length) ref = { type: 'ref', head: nameVar, args: refArgs, start: nameVar.start, end: refArgs[refArgs.length - 1].end };
    const path = [nameVar.name];
    for (const a of refArgs) {
      if (a.kind === 'dot') path.push(a.name);
      else if (a.term.type === 'string') path.push(String(a.term.value));
      else break;
    }
    const head: RuleHead = {
      start: nameTok.start,
      end: this.lastEnd,
      ref,
      name: nameVar.name,
      nameSpan: { start: nameVar.start, end: nameVar.end },
      path,
      contains: false,
    };
    if (args) head.args = args;
    const lastArg = refArgs[refArgs.length - 1];
    if (lastArg?.kind === 'bracket') head.key = lastArg.term;

    if (this.isKw('contains')) {
      if (args) this.fail(`the contains keyword can only be used with multi-value rule definitions (e.g., ${head.name} contains <VALUE> { ... })`);
      if (isDefault) this.fail('default rules cannot be multi-value rules');
      this.next();
      head.contains = true;
      head.key = this.parseInTerm(true);
    } else if (this.isOp(':=') || this.isOp('=')) {
      head.assign = this.next().value as ':=' | '=';
      if (this.tok.kind === 'eof' || this.isKw('if')) this.unexpected('a value term');
      head.value = this.parseInTerm(true);
    }
    head.end = this.lastEnd;
    return head;
  }

  private parseElse(): ElseClause {
    const kw = this.next();
    const clause: ElseClause = { start: kw.start, end: kw.end, hasIf: false };
    if (this.isOp(':=') || this.isOp('=')) {
      this.next();
      clause.value = this.parseInTerm(true);
    } else if (!this.isOp('{') && !this.isKw('if')) {
      this.unexpected('else value term or rule body');
    }
    if (this.isKw('if')) {
      this.next();
      clause.hasIf = true;
      clause.body = this.isOp('{') ? this.parseBraceBody() : this.parseSingleLiteralBody();
    } else if (this.isOp('{')) {
      clause.body = this.parseBraceBody();
    }
    clause.end = this.lastEnd;
    return clause;
  }

  private parseBraceBody(): Body {
    const open = this.expectOp('{');
    const body = this.parseQuery('}');
    const close = this.expectOp('}', '`}` or a new line');
    return { literals: body, start: open.start, end: close.end };
  }

  private parseSingleLiteralBody(): Body {
    if (this.tok.kind === 'eof') this.unexpected('a rule body');
    const lit = this.parseLiteral();
    return { literals: [lit], start: lit.start, end: lit.end };
  }

  /** Literals up to (not including) `end`, separated by `;` or line breaks. */
  private parseQuery(end: string): Literal[] {
    const literals: Literal[] = [];
    if (this.isOp(end)) this.fail('found empty body');
    while (true) {
      literals.push(this.parseLiteral());
      if (this.isOp(';')) {
        this.next();
        if (this.isOp(end)) return literals;
        continue;
      }
      if (this.isOp(end)) return literals;
      if (this.tok.kind === 'eof') this.unexpected(`\`${end}\``);
      if (!this.tok.nlBefore) this.unexpected(`a new line, \`;\` or \`${end}\``);
    }
  }

  private parseLiteral(): Literal {
    const start = this.tok.start;
    let negated = false;
    if (this.isKw('not')) {
      this.next();
      negated = true;
    }
    let lit: Literal;
    if (this.isKw('some')) {
      if (negated) this.fail("illegal negation of 'some'");
      lit = this.parseSome();
    } else if (this.isKw('every')) {
      if (negated) this.fail("illegal negation of 'every'");
      lit = this.parseEvery();
    } else {
      const lhs = this.parseInTerm(true);
      let expr = lhs;
      if (this.isOp(':=') || this.isOp('=')) {
        const op = this.next().value;
        if (op === ':=' && !isAssignable(lhs)) {
          // OPA's compiler rejects this; saying so here catches a half-finished line that ran on into the next.
          this.errors.push({ message: `cannot assign to ${describeTerm(lhs)}: the left of := is a variable, or an array or object of variables`, start: lhs.start, end: lhs.end, code: 'rego.assignment' });
        }
        const rhs = this.parseInTerm(true);
        expr = { type: 'infix', op, left: lhs, right: rhs, start: lhs.start, end: rhs.end };
      }
      lit = { type: 'expr', negated, expr, withs: [], start, end: expr.end };
    }
    if (this.isKw('with')) {
      lit.withs = this.parseWiths();
      lit.end = this.lastEnd;
    }
    return lit;
  }

  private parseWiths(): WithModifier[] {
    const withs: WithModifier[] = [];
    while (this.isKw('with')) {
      const kw = this.next();
      if (this.tok.kind !== 'ident') this.unexpected('a with target (e.g., input.x)');
      const target = this.parsePostfix(this.parseVar(true), false);
      if (target.type !== 'var' && target.type !== 'ref') throw new ParseFailure('expected with target path', target.start, target.end);
      if (!this.isKw('as')) this.unexpected('`as`');
      this.next();
      const value = this.parseInTerm(true);
      withs.push({ target, value, start: kw.start, end: value.end });
    }
    return withs;
  }

  private parseSome(): Literal {
    const kw = this.next();
    const terms: Term[] = [];
    if (this.keywords.has('in')) {
      terms.push(this.parseBinary(1));
      while (this.isOp(',')) {
        this.next();
        terms.push(this.parseBinary(1));
      }
      if (this.isKw('in')) {
        if (terms.length > 2) throw new ParseFailure('illegal domain: at most a key and a value before `in`', terms[0].start, terms[terms.length - 1].end);
        this.next();
        const collection = this.parseBinary(1);
        const member: Term = { type: 'in', key: terms.length === 2 ? terms[0] : undefined, value: terms[terms.length - 1], collection, start: terms[0].start, end: collection.end };
        return { type: 'some', symbols: [member], withs: [], start: kw.start, end: collection.end };
      }
      for (const t of terms) if (t.type !== 'var') throw new ParseFailure('expected var in `some` declaration', t.start, t.end);
      return { type: 'some', symbols: terms, withs: [], start: kw.start, end: this.lastEnd };
    }
    do {
      if (terms.length) this.next();
      if (!this.isVarToken()) this.unexpected('a variable name');
      terms.push(this.parseVar());
    } while (this.isOp(','));
    if (this.tok.kind === 'ident' && this.tok.value === 'in' && !this.tok.nlBefore) {
      this.fail('`in` is a keyword only with `import future.keywords.in` or `import rego.v1`');
    }
    return { type: 'some', symbols: terms, withs: [], start: kw.start, end: this.lastEnd };
  }

  private parseEvery(): EveryLiteral {
    const kw = this.next();
    if (!this.isVarToken()) this.unexpected('a variable name');
    let value = this.parseVar();
    let key: VarTerm | undefined;
    if (this.isOp(',')) {
      this.next();
      if (!this.isVarToken()) this.unexpected('a variable name');
      key = value;
      value = this.parseVar();
    }
    if (!this.isKw('in')) this.unexpected('`in` (every x in xs { ... })');
    this.next();
    const domain = this.parseBinary(1);
    if (!this.isOp('{')) this.unexpected('`{` (every needs a body)');
    const body = this.parseBraceBody();
    return { type: 'every', key, value, domain, body, withs: [], start: kw.start, end: body.end };
  }

  // ---- terms

  /** Membership (`x in xs`, `k, v in xs`) over binary expressions; the lowest precedence. */
  private parseInTerm(keyVal: boolean, lhs?: Term): Term {
    let left = this.parseBinary(1, lhs);
    if (keyVal && this.isOp(',') && this.keywords.has('in') && this.inFollowsOnLine()) {
      this.next();
      const mid = this.parseBinary(1);
      if (!this.isKw('in')) this.unexpected('`in`');
      this.next();
      const collection = this.parseBinary(1);
      left = { type: 'in', key: left, value: mid, collection, start: left.start, end: collection.end };
    }
    while (this.isKw('in')) {
      this.next();
      const collection = this.parseBinary(1);
      left = { type: 'in', value: left, collection, start: left.start, end: collection.end };
    }
    return left;
  }

  /** Whether an `in` keyword comes before the end of the current literal, at the current nesting level. */
  private inFollowsOnLine(): boolean {
    let depth = 0;
    for (let i = this.pos + 1; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === 'eof' || (t.nlBefore && depth === 0)) return false;
      if (t.kind === 'op') {
        if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
        else if (t.value === ')' || t.value === ']' || t.value === '}') {
          if (--depth < 0) return false;
        } else if (t.value === ';' && depth === 0) return false;
      }
      if (depth === 0 && this.isKw('in', t)) return true;
    }
    return false;
  }

  private parseBinary(minPrec: number, lhs?: Term): Term {
    let left = lhs ?? this.parseUnary();
    while (this.tok.kind === 'op') {
      const prec = BINARY_PRECEDENCE[this.tok.value];
      if (prec === undefined || prec < minPrec) break;
      const op = this.next().value;
      const right = this.parseBinary(prec + 1);
      left = { type: 'infix', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private parseUnary(): Term {
    if (this.isOp('-')) {
      if (this.depth > MAX_DEPTH) this.fail('expression nested too deeply');
      const minus = this.next();
      if (this.tok.kind === 'number' && !this.tok.wsBefore) {
        const num = this.next();
        return this.parsePostfix({ type: 'number', value: Number('-' + num.value), raw: '-' + num.value, start: minus.start, end: num.end }, false);
      }
      this.depth++;
      try {
        const operand = this.parseUnary();
        return { type: 'unary', op: '-', operand, start: minus.start, end: operand.end };
      } finally {
        this.depth--;
      }
    }
    return this.parseTerm();
  }

  private parseTerm(): Term {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.fail('expression nested too deeply');
    }
    try {
      return this.parsePostfix(this.parsePrimary(), true);
    } finally {
      this.depth = Math.max(0, this.depth - 1);
    }
  }

  private parseVar(allowKeywords = false): VarTerm {
    const t = this.tok;
    if (t.kind !== 'ident' && !(allowKeywords && t.kind === 'keyword')) this.unexpected('a name');
    this.next();
    return { type: 'var', name: t.value, start: t.start, end: t.end };
  }

  private parsePrimary(): Term {
    const t = this.tok;
    if (t.problem) this.fail(t.problem);
    switch (t.kind) {
      case 'keyword':
        if (t.value === 'null' || t.value === 'true' || t.value === 'false') {
          this.next();
          return { type: t.value === 'null' ? 'null' : 'boolean', value: t.value === 'null' ? null : t.value === 'true', raw: t.value, start: t.start, end: t.end };
        }
        return this.unexpected('a term');
      case 'ident':
        // `contains` anywhere but in a rule head is an ordinary name, as in OPA.
        if (this.keywords.has(t.value) && t.value !== 'contains') this.unexpected('a term');
        return this.parseVar();
      case 'number': {
        this.next();
        if (/^0\d/.test(t.value)) throw new ParseFailure('expected number: leading zeros are not allowed', t.start, t.end);
        return { type: 'number', value: Number(t.value), raw: t.value, start: t.start, end: t.end };
      }
      case 'string': {
        this.next();
        let value: string;
        try {
          value = JSON.parse(t.value) as string;
        } catch {
          throw new ParseFailure(`illegal string literal: ${t.value}`, t.start, t.end);
        }
        return { type: 'string', value, raw: t.value, start: t.start, end: t.end };
      }
      case 'rawstring':
        this.next();
        return { type: 'string', value: t.value.slice(1, -1), raw: t.value, start: t.start, end: t.end };
      case 'template':
        this.next();
        return { type: 'template', parts: (t.parts ?? []).map((p) => this.parseEmbedded(p.start, p.end)), segments: templateSegments(this.text, t), start: t.start, end: t.end };
      case 'op':
        if (t.value === '[') return this.parseArray();
        if (t.value === '{') return this.parseSetOrObject();
        if (t.value === '(') {
          this.next();
          const inner = this.parseInTerm(false);
          this.expectOp(')', '`)` (non-terminated expression)');
          return inner;
        }
        return this.unexpected('a term');
      default:
        return this.unexpected('a term');
    }
  }

  /** An interpolated expression of a template string, parsed with the same keywords. */
  private parseEmbedded(start: number, end: number): Term {
    if (this.text.slice(start, end).trim() === '') throw new ParseFailure('empty interpolation in template string', start - 1, end + 1);
    const sub = new Parser(this.text, scan(this.text, start, end).tokens, this.version, this.keywords, this.depth + 1);
    const term = sub.parseInTerm(false);
    if (sub.tok.kind !== 'eof') sub.unexpected('`}` closing the interpolation');
    return term;
  }

  /** Ref arguments and calls that follow a term with nothing in between. */
  private parsePostfix(head: Term, allowCalls: boolean): Term {
    let term = head;
    while (!this.tok.wsBefore && (this.isOp('.') || this.isOp('[') || (allowCalls && this.isOp('(')))) {
      if (term.type === 'string' || term.type === 'number' || term.type === 'boolean' || term.type === 'null' || term.type === 'template') {
        throw new ParseFailure(`illegal ref (head cannot be ${term.type})`, term.start, term.end);
      }
      if (this.isOp('(')) {
        if (term.type !== 'var' && term.type !== 'ref') throw new ParseFailure('only names and refs can be called', term.start, this.tok.end);
        if (term.type === 'ref' && term.head.type !== 'var') throw new ParseFailure('only names and refs can be called', term.start, this.tok.end);
        const args = this.parseArgs(')');
        term = { type: 'call', fn: term, args, start: term.start, end: this.lastEnd };
        continue;
      }
      const arg = this.parseRefArg();
      if (term.type === 'ref') {
        term.args.push(arg);
        term.end = arg.end;
      } else {
        term = { type: 'ref', head: term, args: [arg], start: term.start, end: arg.end };
      }
    }
    return term;
  }

  private parseRefArg(): RefArg {
    const t = this.next();
    if (t.value === '.') {
      const name = this.tok;
      if ((name.kind !== 'ident' && name.kind !== 'keyword') || name.wsBefore) this.unexpected('a name after `.`');
      this.next();
      return { kind: 'dot', name: name.value, start: t.start, end: name.end };
    }
    const inner = this.parseInTerm(false);
    const close = this.expectOp(']');
    return { kind: 'bracket', term: inner, start: t.start, end: close.end };
  }

  /** `(a, b, c)` or `[a, b]`: comma separated, trailing comma allowed. Consumes both brackets. */
  private parseArgs(close: string): Term[] {
    this.next();
    const out: Term[] = [];
    while (!this.isOp(close)) {
      out.push(this.parseInTerm(false));
      if (this.isOp(',')) {
        this.next();
        continue;
      }
      if (!this.isOp(close)) this.unexpected(`\`,\` or \`${close}\``);
    }
    this.next();
    return out;
  }

  private parseArray(): Term {
    const open = this.next();
    if (this.isOp(']')) return { type: 'array', items: [], start: open.start, end: this.next().end };
    let maybeComprehension = true;
    if (this.isOp(',')) {
      this.next();
      maybeComprehension = false;
    }
    const head = this.parseTerm();
    if (maybeComprehension && this.isOp('|')) {
      this.next();
      const lits = this.parseQuery(']');
      const close = this.next();
      return { type: 'arraycompr', head, body: { literals: lits, start: head.end, end: close.start }, start: open.start, end: close.end };
    }
    const items = [this.parseInTerm(false, head)];
    return this.finishList('array', ']', items, open.start);
  }

  private finishList(type: 'array' | 'set', close: string, items: Term[], start: number): Term {
    while (true) {
      if (this.isOp(close)) break;
      if (!this.isOp(',')) this.unexpected(`\`,\` or \`${close}\``);
      this.next();
      if (this.isOp(close)) break;
      items.push(this.parseInTerm(false));
    }
    const end = this.next().end;
    return { type, items, start, end };
  }

  private parseSetOrObject(): Term {
    const open = this.next();
    if (this.isOp('}')) return { type: 'object', items: [], start: open.start, end: this.next().end };
    let maybeComprehension = true;
    if (this.isOp(',')) {
      this.next();
      maybeComprehension = false;
    }
    let head = this.parseTerm();
    if (maybeComprehension && this.isOp('|')) {
      this.next();
      const lits = this.parseQuery('}');
      const close = this.next();
      return { type: 'setcompr', head, body: { literals: lits, start: head.end, end: close.start }, start: open.start, end: close.end };
    }
    if (!this.isOp(':')) head = this.parseInTerm(false, head);
    if (this.isOp(':')) {
      this.next();
      let value = this.parseTerm();
      if (maybeComprehension && this.isOp('|')) {
        this.next();
        const lits = this.parseQuery('}');
        const close = this.next();
        return { type: 'objectcompr', head, value, body: { literals: lits, start: value.end, end: close.start }, start: open.start, end: close.end };
      }
      value = this.parseInTerm(false, value);
      const items = [{ key: head, value }];
      while (!this.isOp('}')) {
        if (!this.isOp(',')) this.unexpected('`,` or `}`');
        this.next();
        if (this.isOp('}')) break;
        const key = this.parseInTerm(false);
        this.expectOp(':', '`:` (object key and value)');
        items.push({ key, value: this.parseInTerm(false) });
      }
      return { type: 'object', items, start: open.start, end: this.next().end };
    }
    if (!this.isOp(',') && !this.isOp('}')) this.unexpected('`,`, `:` or `}` (non-terminated set)');
    return this.finishList('set', '}', [head], open.start);
  }
}

function isAssignable(t: Term): boolean {
  if (t.type === 'var') return true;
  if (t.type === 'array') return t.items.every(isAssignable);
  if (t.type === 'object') return t.items.every((i) => i.key.type !== 'var' && isAssignable(i.value));
  return t.type === 'string' || t.type === 'number' || t.type === 'boolean' || t.type === 'null';
}

function describeTerm(t: Term): string {
  switch (t.type) {
    case 'infix':
      return `an expression (${t.op})`;
    case 'call':
      return 'a function call';
    case 'ref':
      return 'a reference';
    default:
      return `a ${t.type}`;
  }
}

/** The literal pieces of a template string, decoded (`\{` is a brace; `$"..."` uses JSON escapes). */
function templateSegments(text: string, t: Token): string[] {
  const raw = text[t.start + 1] === '`';
  const bounds = [t.start + 2, ...(t.parts ?? []).flatMap((p) => [p.start - 1, p.end + 1]), t.end - 1];
  const out: string[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const piece = text.slice(bounds[i], Math.max(bounds[i], bounds[i + 1]));
    if (raw) out.push(piece);
    else {
      try {
        out.push(JSON.parse(`"${piece.replace(/\\([{}])/g, '$1')}"`) as string);
      } catch {
        out.push(piece);
      }
    }
  }
  return out;
}

function ruleKind(head: RuleHead, isDefault: boolean): RuleKind {
  if (isDefault) return 'default';
  if (head.args) return 'function';
  if (head.contains) return 'partial-set';
  if (head.key && head.ref.type === 'ref') return head.value || head.ref.args.length > 1 ? 'partial-object' : 'partial-set';
  return 'complete';
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'ident':
      return `name \`${t.value}\``;
    case 'keyword':
      return `keyword \`${t.value}\``;
    case 'op':
      return `\`${t.value}\``;
    case 'number':
      return `number ${t.value}`;
    case 'string':
    case 'rawstring':
    case 'template':
      return 'string';
    default:
      return `\`${t.value}\``;
  }
}
