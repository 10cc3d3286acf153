import type { Word, WordPart } from './parse';

export interface ExpandContext {
  /** A variable's value, or undefined when unset (bash expands it to nothing). */
  lookup(name: string): string | undefined;
  /** Runs `$(script)` and returns its standard output. */
  substitute(script: string): string;
}

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
  }
}

export function expandWord(word: Word, ctx: ExpandContext): string[] {
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
