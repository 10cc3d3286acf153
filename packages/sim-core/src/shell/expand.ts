import { evaluateArithmetic } from './arith';
import type { Word, WordPart } from './parse';

export interface ExpandContext {
  /** A variable's value, or undefined when unset (bash expands it to nothing). */
  lookup(name: string): string | undefined;
  /** Runs `$(script)` and returns its standard output. */
  substitute(script: string): string;
  /** Sets a shell variable (`$((i++))`, `$((n = 3))`); without it arithmetic cannot assign. */
  assign?(name: string, value: string): void;
}

/** An expansion bash refuses (`$((1/0))`, a brace range too long): the command does not run. */
export class ExpansionError extends Error {}

/** A bound on `{1..N}`: bash would try to allocate it all. */
const MAX_BRACE_WORDS = 10_000;

/**
 * Expands words as bash does for the cases a lab uses: variables and command substitutions,
 * then field splitting of unquoted expansions on blanks (so `$EMPTY` vanishes and `"$EMPTY"`
 * stays an empty argument). No globbing: the simulated hosts have no files to match.
 */
export function expandWords(words: readonly Word[], ctx: ExpandContext): string[] {
  const fields: string[] = [];
  for (const word of words) fields.push(...expandWord(word, ctx));
  return fields;
}

function partValue(part: WordPart, ctx: ExpandContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'var': {
      const value = ctx.lookup(part.name);
      if ((value === undefined || value === '') && part.fallback) return expandWord(part.fallback, ctx).join(' ');
      return part.trim ? trimPattern(value ?? '', part.trim.op, part.trim.pattern) : (value ?? '');
    }
    case 'subst':
      // bash drops the trailing newlines of a command substitution.
      return ctx.substitute(part.script).replace(/\n+$/, '');
    case 'arith':
      return evaluateArithmetic(expandHeredoc(part.expression, ctx), {
        lookup: (name) => ctx.lookup(name),
        assign: (name, value) => {
          if (!ctx.assign) throw new ExpansionError(`${part.expression}: cannot assign here`);
          ctx.assign(name, value);
        },
      });
  }
}

/** A word expanded without field splitting: the value of `NAME=word` (bash splits no assignment). */
export function expandAssignmentValue(word: Word, ctx: ExpandContext): string {
  return word.map((part) => partValue(part, ctx)).join('');
}

/**
 * bash's brace expansion for a word of plain unquoted text: `{1..5}`, `{a..e}`, `{01..10..3}`,
 * `{x,y,z}` and `pre{a,b}post`, nested, as in `for i in {1..3}`.
 */
export function expandBraces(text: string): string[] {
  let depth = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      if (depth === 0) open = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth !== 0) continue;
      const inner = text.slice(open + 1, i);
      const prefix = text.slice(0, open);
      const suffixes = expandBraces(text.slice(i + 1));
      const alternatives = braceAlternatives(inner);
      if (alternatives === undefined) {
        // Not an expansion (`{}`, `{a}`): the braces stay, later ones may still expand.
        return suffixes.map((s) => `${prefix}{${inner}}${s}`);
      }
      const words: string[] = [];
      for (const alternative of alternatives)
        for (const a of expandBraces(alternative)) for (const s of suffixes) words.push(`${prefix}${a}${s}`);
      if (words.length > MAX_BRACE_WORDS) {
        throw new ExpansionError(`brace expansion of \`${text}' makes more than ${MAX_BRACE_WORDS} words`);
      }
      return words;
    }
  }
  return [text];
}

function braceAlternatives(inner: string): string[] | undefined {
  const range = /^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$/.exec(inner);
  if (range) {
    const [, from, to, stepText] = range as unknown as [string, string, string, string | undefined];
    const numeric = /\d/.test(from);
    if (numeric !== /\d/.test(to)) return undefined;
    const a = numeric ? Number(from) : from.charCodeAt(0);
    const b = numeric ? Number(to) : to.charCodeAt(0);
    const step = Math.abs(Number(stepText ?? 1)) || 1;
    if (Math.abs(b - a) / step >= MAX_BRACE_WORDS) {
      throw new ExpansionError(`brace expansion {${inner}} makes more than ${MAX_BRACE_WORDS} words`);
    }
    const width = numeric && (/^-?0\d/.test(from) || /^-?0\d/.test(to)) ? Math.max(from.length, to.length) : 0;
    const out: string[] = [];
    for (let n = a; a <= b ? n <= b : n >= b; n += a <= b ? step : -step) {
      out.push(
        numeric
          ? n < 0
            ? `-${String(-n).padStart(width - 1, '0')}`
            : String(n).padStart(width, '0')
          : String.fromCharCode(n),
      );
    }
    return out;
  }
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of inner) {
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.length > 1 ? parts : undefined;
}

export function expandWord(word: Word, ctx: ExpandContext): string[] {
  if (word.length === 1 && word[0]?.kind === 'text' && !word[0].quoted && /\{.*[,.].*\}/.test(word[0].text)) {
    return expandBraces(word[0].text);
  }
  const fields: string[] = [];
  let current = '';
  // A word with any quoted part is a field even when empty (`""`).
  let hasField = false;
  for (const part of word) {
    const value = partValue(part, ctx);
    if (part.kind === 'text' || part.quoted) {
      current += value;
      hasField = hasField || part.quoted || value !== '';
      continue;
    }
    const pieces = value.split(/[ \t\n]+/);
    pieces.forEach((piece, index) => {
      if (index > 0 && (hasField || current !== '')) {
        fields.push(current);
        current = '';
        hasField = false;
      }
      current += piece;
      if (piece !== '') hasField = true;
    });
  }
  if (hasField || current !== '') fields.push(current);
  return fields;
}

/** Expands `$VAR`s in a here-document body (no field splitting). */
export function expandHeredoc(body: string, ctx: ExpandContext): string {
  return body.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*|\?)/g, (_m, braced, bare) => {
    return ctx.lookup((braced ?? bare) as string) ?? '';
  });
}

/** `${VAR#glob}` and friends: the shortest (`#`, `%`) or longest (`##`, `%%`) match cut off. */
function trimPattern(value: string, op: '#' | '##' | '%' | '%%', pattern: string): string {
  const glob = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, op.length === 2 ? '.*' : '.*?')
    .replace(/\?/g, '.');
  if (op.startsWith('#')) {
    const m = new RegExp(`^${glob}`, 's').exec(value);
    return m ? value.slice(m[0].length) : value;
  }
  // Suffix: try each start position, from the right for the shortest match.
  const suffix = new RegExp(`^${glob}$`, 's');
  const starts = [...Array(value.length + 1).keys()];
  for (const i of op === '%' ? starts.reverse() : starts) {
    if (suffix.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}
