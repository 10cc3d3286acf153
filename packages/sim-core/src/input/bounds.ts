/**
 * Limits on any JSON or YAML a user sends (REST bodies, WebSocket frames, AWS API bodies,
 * scenario files). Everything downstream — validators, snapshots, `JSON.stringify` — walks
 * values recursively, so a value nested 100,000 deep must be refused before it gets there.
 * These checks are loops over an explicit stack: they cannot overflow the call stack
 * themselves, whatever the input.
 */

export interface InputLimits {
  /** Deepest nesting of arrays and objects (the top-level value is depth 0). */
  readonly maxDepth: number;
  /** Characters of JSON text. */
  readonly maxChars: number;
  /** Characters in any one string, keys included. */
  readonly maxStringChars: number;
  /** Items in any one array, or keys in any one object. */
  readonly maxEntries: number;
  /** Arrays, objects and scalars in the whole value. */
  readonly maxNodes: number;
}

/** Generous for every legitimate input eks-sim takes (the largest is a scenario file). */
export const INPUT_LIMITS: InputLimits = {
  maxDepth: 64,
  maxChars: 1_000_000,
  maxStringChars: 262_144,
  maxEntries: 10_000,
  maxNodes: 100_000,
};

export type InputLimitName = keyof InputLimits | 'syntax' | 'key';

/** Why an input was refused: which limit, where (a path like `tags.k[0]`), in words. */
export interface InputProblem {
  readonly limit: InputLimitName;
  /** `$` for the whole value; otherwise `field.sub[2]`, cut short if very deep. */
  readonly path: string;
  readonly message: string;
}

export type BoundedParse =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: InputProblem };

const SHOWN_SEGMENTS = 8;

function formatPath(segments: readonly (string | number)[]): string {
  if (segments.length === 0) return '$';
  const shown = segments.slice(0, SHOWN_SEGMENTS);
  let out = '';
  for (const segment of shown) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment.length > 40 ? `${segment.slice(0, 40)}…` : segment)}]`;
  }
  return segments.length > SHOWN_SEGMENTS ? `${out}…` : out;
}

function problem(limit: InputLimitName, segments: readonly (string | number)[], what: string): InputProblem {
  const path = formatPath(segments);
  return { limit, path, message: `${path === '$' ? 'input' : `"${path}"`}: ${what}` };
}

interface Frame {
  readonly value: unknown;
  readonly path: readonly (string | number)[];
}

/**
 * Checks an already-parsed value (from `JSON.parse` or a YAML parser) against the limits.
 * Returns the first problem found, or undefined. Also refuses `__proto__` keys, which some
 * object spreads and assignments would turn into a prototype change.
 */
export function checkInputBounds(value: unknown, limits: InputLimits = INPUT_LIMITS): InputProblem | undefined {
  const stack: Frame[] = [{ value, path: [] }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as Frame;
    nodes += 1;
    if (nodes > limits.maxNodes) {
      return problem('maxNodes', [], `too many values (more than ${limits.maxNodes} in all)`);
    }
    if (typeof current === 'string') {
      if (current.length > limits.maxStringChars) {
        return problem(
          'maxStringChars',
          path,
          `string too long (${current.length} characters; at most ${limits.maxStringChars})`,
        );
      }
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= limits.maxDepth) {
      return problem('maxDepth', path, `nested too deeply (at most ${limits.maxDepth} levels of arrays and objects)`);
    }
    if (Array.isArray(current)) {
      if (current.length > limits.maxEntries) {
        return problem('maxEntries', path, `list too long (${current.length} items; at most ${limits.maxEntries})`);
      }
      for (let i = current.length - 1; i >= 0; i--) stack.push({ value: current[i], path: [...path, i] });
      continue;
    }
    const keys = Object.keys(current);
    if (keys.length > limits.maxEntries) {
      return problem('maxEntries', path, `too many keys (${keys.length}; at most ${limits.maxEntries})`);
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      if (key === '__proto__') return problem('key', [...path, key], 'the key "__proto__" is not allowed');
      if (key.length > limits.maxStringChars) {
        return problem(
          'maxStringChars',
          path,
          `key too long (${key.length} characters; at most ${limits.maxStringChars})`,
        );
      }
      stack.push({ value: (current as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
  return undefined;
}

/**
 * A quick pre-check of YAML (or JSON) text for parsers that recurse while they read: `yaml`
 * overflows its stack on a thousand nested `[` or `- ` (it reports that as a parse error,
 * after seconds of CPU for tens of thousands). Refuses text longer than `maxChars`, flow
 * brackets (`[`, `{` outside quotes and comments) nested deeper than `maxDepth`, and a line
 * whose indentation and block indicators (`- `, `? `, `: `) before its content span more than
 * two columns per allowed level. It reads quotes and comments as YAML does in ordinary files
 * only, so check the parsed value with `checkInputBounds` too.
 */
export function checkYamlTextBounds(text: string, limits: InputLimits = INPUT_LIMITS): InputProblem | undefined {
  if (text.length > limits.maxChars) {
    return problem('maxChars', [], `too large (${text.length} characters; at most ${limits.maxChars})`);
  }
  const deep = () => problem('maxDepth', [], `nested too deeply (at most ${limits.maxDepth} levels)`);
  let flowDepth = 0;
  let quote: '"' | "'" | null = null;
  let lineStart = true;
  let prefixColumns = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n') {
      lineStart = true;
      prefixColumns = 0;
      continue;
    }
    if (lineStart && quote === null) {
      const next = text[i + 1];
      const indicator = (c === '-' || c === '?' || c === ':') && (next === ' ' || next === '\t');
      if (c === ' ' || c === '\t' || indicator) {
        prefixColumns += indicator ? 2 : 1;
        if (indicator) i++;
        if (prefixColumns > 2 * limits.maxDepth) return deep();
        continue;
      }
      lineStart = false;
    }
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if ((c === '"' || c === "'") && startsToken(text, i)) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1] as string))) {
      while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '[' || c === '{') {
      flowDepth++;
      if (flowDepth > limits.maxDepth) return deep();
    } else if ((c === ']' || c === '}') && flowDepth > 0) flowDepth--;
  }
  return undefined;
}

/** A quote opens a quoted scalar only where a value starts, not inside a word (`it's`). */
function startsToken(text: string, at: number): boolean {
  const before = at === 0 ? '\n' : (text[at - 1] as string);
  return /[\s[{,:]/.test(before);
}

/**
 * Parses JSON text within the limits. Never throws: a syntax error or a limit comes back as
 * an `InputProblem` whose message names the limit and where it was passed.
 */
export function parseJsonBounded(text: string, limits: InputLimits = INPUT_LIMITS): BoundedParse {
  if (text.length > limits.maxChars) {
    return {
      ok: false,
      problem: problem('maxChars', [], `too large (${text.length} characters; at most ${limits.maxChars})`),
    };
  }
  // V8's JSON.parse is iterative, so deep text parses safely; the walk below then refuses it.
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, problem: problem('syntax', [], `not valid JSON (${(error as Error).message})`) };
  }
  const found = checkInputBounds(value, limits);
  if (found) return { ok: false, problem: found };
  return { ok: true, value };
}
