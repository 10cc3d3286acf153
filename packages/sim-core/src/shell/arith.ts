/**
 * bash's arithmetic expansion, `$((expression))` (bash manual, "Shell Arithmetic"): 64-bit
 * signed integers that wrap, C's operators and precedence, variables by name (unset or empty is
 * 0, a value that is itself an expression is evaluated), `=`, `+=`… and `++`/`--` on variables.
 */

/** Where the expression reads and writes its variables. */
export interface ArithmeticScope {
  lookup(name: string): string | undefined;
  assign(name: string, value: string): void;
}

/** A failed evaluation, worded as bash words it (`1/0: division by 0 (error token is "0")`). */
export class ArithmeticError extends Error {}

const MAX_NESTING = 32;

type Token =
  | { readonly kind: 'number'; readonly value: bigint }
  | { readonly kind: 'name' | 'op'; readonly text: string };

/** Longest first, so `<<=` wins over `<<` and `<`. */
const OPERATORS = [
  '<<=',
  '>>=',
  '**',
  '++',
  '--',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '^=',
  '|=',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '&',
  '^',
  '|',
  '!',
  '~',
  '?',
  ':',
  '=',
  '(',
  ')',
  ',',
];

const BINARY_LEVELS: readonly (readonly string[])[] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
];

const wrap = (n: bigint) => BigInt.asIntN(64, n);
const truth = (b: boolean) => (b ? 1n : 0n);

function literal(text: string, expression: string): bigint {
  const base = /^(\d+)#([0-9A-Za-z@_]+)$/.exec(text);
  const [radix, digits] = base
    ? [Number(base[1]), base[2] as string]
    : /^0[xX][0-9a-fA-F]+$/.test(text)
      ? [16, text.slice(2)]
      : /^0\d+$/.test(text)
        ? [8, text.slice(1)]
        : [10, text];
  if (radix < 2 || radix > 64)
    throw new ArithmeticError(`${expression}: invalid arithmetic base (error token is "${text}")`);
  let value = 0n;
  for (const ch of digits) {
    const digit = /\d/.test(ch)
      ? Number(ch)
      : /[a-z]/.test(ch)
        ? ch.charCodeAt(0) - 87
        : /[A-Z]/.test(ch)
          ? ch.charCodeAt(0) - (radix <= 36 ? 55 : 29)
          : ch === '@'
            ? 62
            : 63;
    if (digit >= radix) throw new ArithmeticError(`${expression}: value too great for base (error token is "${text}")`);
    value = wrap(value * BigInt(radix) + BigInt(digit));
  }
  return value;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const rest = expression.slice(i);
    const blank = /^\s+/.exec(rest);
    if (blank) {
      i += blank[0].length;
      continue;
    }
    const number = /^(\d+#[0-9A-Za-z@_]+|0[xX][0-9a-fA-F]+|\d+)/.exec(rest);
    if (number) {
      if (/^[A-Za-z_.]/.test(rest.slice(number[0].length))) {
        throw new ArithmeticError(`${expression.trim()}: value too great for base (error token is "${rest.trim()}")`);
      }
      tokens.push({ kind: 'number', value: literal(number[0], expression.trim()) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) {
      throw new ArithmeticError(
        `${expression.trim()}: syntax error: invalid arithmetic operator (error token is "${rest.trim()}")`,
      );
    }
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

class Evaluator {
  private at = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: readonly Token[],
    private readonly scope: ArithmeticScope,
    private readonly nesting: number,
  ) {}

  run(): bigint {
    if (this.tokens.length === 0) return 0n;
    const value = this.comma();
    if (this.at < this.tokens.length) this.fail('syntax error in expression', this.remaining());
    return value;
  }

  private remaining(): string {
    return this.tokens
      .slice(this.at)
      .map((t) => (t.kind === 'number' ? String(t.value) : t.text))
      .join(' ');
  }

  private fail(message: string, token: string): never {
    throw new ArithmeticError(`${this.expression.trim()}: ${message} (error token is "${token}")`);
  }

  private peek(): string | undefined {
    const t = this.tokens[this.at];
    return t?.kind === 'op' ? t.text : undefined;
  }

  private accept(op: string): boolean {
    if (this.peek() !== op) return false;
    this.at++;
    return true;
  }

  private comma(): bigint {
    let value = this.assignment();
    while (this.accept(',')) value = this.assignment();
    return value;
  }

  private assignment(): bigint {
    const t = this.tokens[this.at];
    const next = this.tokens[this.at + 1];
    if (t?.kind === 'name' && next?.kind === 'op' && /^([-+*/%&^|]|<<|>>)?=$/.test(next.text)) {
      this.at += 2;
      const right = this.assignment();
      const op = next.text.slice(0, -1);
      const value = op === '' ? right : this.binary(op, this.variable(t.text), right);
      this.scope.assign(t.text, String(value));
      return value;
    }
    return this.conditional();
  }

  private conditional(): bigint {
    const test = this.level(0);
    if (!this.accept('?')) return test;
    const yes = this.comma();
    if (!this.accept(':')) this.fail("`:' expected for conditional expression", this.remaining());
    const no = this.conditional();
    return test !== 0n ? yes : no;
  }

  private level(depth: number): bigint {
    const ops = BINARY_LEVELS[depth];
    if (!ops) return this.power();
    let left = this.level(depth + 1);
    for (;;) {
      const op = this.peek();
      if (op === undefined || !ops.includes(op)) return left;
      this.at++;
      const right = this.level(depth + 1);
      left = this.binary(op, left, right);
    }
  }

  private power(): bigint {
    const base = this.unary();
    if (!this.accept('**')) return base;
    const exponent = this.power();
    if (exponent < 0n) this.fail('exponent less than 0', String(exponent));
    let result = 1n;
    for (let i = 0n; i < exponent && i < 64n; i++) result = wrap(result * base);
    return exponent >= 64n && (base > 1n || base < -1n) ? 0n : result;
  }

  private unary(): bigint {
    const op = this.peek();
    if (op === '-' || op === '+' || op === '!' || op === '~') {
      this.at++;
      const value = this.unary();
      if (op === '-') return wrap(-value);
      if (op === '!') return truth(value === 0n);
      if (op === '~') return wrap(~value);
      return value;
    }
    if (op === '++' || op === '--') {
      this.at++;
      const t = this.tokens[this.at];
      if (t?.kind !== 'name') this.fail('syntax error: operand expected', this.remaining() || op);
      this.at++;
      const value = wrap(this.variable(t.text) + (op === '++' ? 1n : -1n));
      this.scope.assign(t.text, String(value));
      return value;
    }
    return this.postfix();
  }

  private postfix(): bigint {
    const t = this.tokens[this.at];
    if (t?.kind === 'name') {
      this.at++;
      const value = this.variable(t.text);
      const op = this.peek();
      if (op === '++' || op === '--') {
        this.at++;
        this.scope.assign(t.text, String(wrap(value + (op === '++' ? 1n : -1n))));
      }
      return value;
    }
    return this.primary();
  }

  private primary(): bigint {
    const t = this.tokens[this.at];
    if (t === undefined) {
      const last = this.tokens[this.tokens.length - 1];
      this.fail('syntax error: operand expected', last?.kind === 'op' ? last.text : '');
    }
    if (t.kind === 'number') {
      this.at++;
      return t.value;
    }
    if (t.kind === 'op' && t.text === '(') {
      this.at++;
      const value = this.comma();
      if (!this.accept(')')) this.fail("missing `)'", this.remaining());
      return value;
    }
    return this.fail('syntax error: operand expected', this.remaining());
  }

  private variable(name: string): bigint {
    const value = (this.scope.lookup(name) ?? '').trim();
    if (value === '') return 0n;
    if (/^-?\d+$/.test(value)) return wrap(BigInt(value));
    if (this.nesting >= MAX_NESTING) this.fail('expression recursion level exceeded', name);
    return new Evaluator(value, tokenize(value), this.scope, this.nesting + 1).run();
  }

  private binary(op: string, a: bigint, b: bigint): bigint {
    switch (op) {
      case '||':
        return truth(a !== 0n || b !== 0n);
      case '&&':
        return truth(a !== 0n && b !== 0n);
      case '|':
        return wrap(a | b);
      case '^':
        return wrap(a ^ b);
      case '&':
        return wrap(a & b);
      case '==':
        return truth(a === b);
      case '!=':
        return truth(a !== b);
      case '<':
        return truth(a < b);
      case '<=':
        return truth(a <= b);
      case '>':
        return truth(a > b);
      case '>=':
        return truth(a >= b);
      case '<<':
        return wrap(a << (b & 63n));
      case '>>':
        return wrap(a >> (b & 63n));
      case '+':
        return wrap(a + b);
      case '-':
        return wrap(a - b);
      case '*':
        return wrap(a * b);
      default:
        // `/` and `%` truncate toward zero, as C and bash do (BigInt division does too).
        if (b === 0n) this.fail('division by 0', String(b));
        return wrap(op === '/' ? a / b : a % b);
    }
  }
}

/** Evaluates an arithmetic expression (already parameter-expanded) to its decimal value. */
export function evaluateArithmetic(expression: string, scope: ArithmeticScope): string {
  return String(new Evaluator(expression, tokenize(expression), scope, 0).run());
}
