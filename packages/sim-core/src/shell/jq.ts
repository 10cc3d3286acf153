/// <reference path="./jqjs.d.ts" />
import jqjs, { compileNode } from '@michaelhomer/jqjs';
import type { Builtin } from './builtin';

/**
 * `jq [-r] [-c] [-j] [-e] [-s] [-n] [-S] [--arg NAME VALUE] [--argjson NAME JSON] FILTER [FILE…]`,
 * for the `… -o json | jq '.items[] | select(…) | .metadata.name'` lines tutorials paste. The
 * filter language is jqjs (a pure-JavaScript jq, see README's library list); this file is the
 * command line around it: options, input as a stream of JSON texts, output as jq prints it
 * (2-space indent), and jq's messages and exit statuses (2 usage or input, 3 compile, 5 run).
 */

/** jq's `//` yields the left side's values that are neither null nor false, else the right side's
 * (jq manual, "Alternative operator"). jqjs 1.6.0 also yields null and false ones: patched here. */
const alternative = Object.getPrototypeOf(compileNode('.a // .b')) as {
  apply: (input: unknown, conf: unknown) => Iterable<unknown>;
};
interface AlternativeNode {
  lhs: { apply(input: unknown, conf: unknown): Iterable<unknown> };
  rhs: { apply(input: unknown, conf: unknown): Iterable<unknown> };
}
alternative.apply = function* (this: AlternativeNode, input: unknown, conf: unknown) {
  let found = false;
  try {
    for (const v of this.lhs.apply(input, conf)) {
      if (v !== null && v !== false) {
        found = true;
        yield v;
      }
    }
  } catch {
    // jq: errors on the left of `//` are suppressed.
  }
  if (!found) yield* this.rhs.apply(input, conf);
};

/**
 * Definitions put before every filter. `keys` and `keys_unsorted` give one array, as jq's do
 * (jqjs 1.6.0 yields the keys one by one, and an array's as strings); `now` is the simulated clock,
 * so the same lines print the same.
 */
const prelude = (nowSeconds: number) =>
  'def keys: if type == "array" then [range(length)] else [to_entries[].key] | sort end; ' +
  'def keys_unsorted: if type == "array" then [range(length)] else [to_entries[].key] end; ' +
  `def now: ${nowSeconds}; `;

const USAGE =
  'Usage:\tjq [OPTIONS] FILTER [FILES...]\n\n' +
  'Use jq --help for help with command-line options,\nor see the jq manpage, or online docs  at https://jqlang.github.io/jq\n';

/** A bound on what one jq prints, so a filter like `range(1e9)` ends instead of running forever. */
const MAX_OUTPUTS = 100_000;

interface Options {
  raw: boolean;
  join: boolean;
  compact: boolean;
  exitStatus: boolean;
  slurp: boolean;
  nullInput: boolean;
  sortKeys: boolean;
  tab: boolean;
  indent: number;
  variables: Record<string, unknown>;
}

/** The JSON texts of an input, one after another (jq reads a stream, not one document). */
function parseStream(text: string): { values: unknown[]; lines: number[] } | { error: string } {
  const values: unknown[] = [];
  /** The input line each value ends on, for jq's `(at <stdin>:N)`. */
  const lines: number[] = [];
  let i = 0;
  const position = (at: number) => {
    const before = text.slice(0, at).split('\n');
    return `line ${before.length}, column ${(before[before.length - 1] ?? '').length}`;
  };
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (inString) {
        if (c === '\\') i++;
        else if (c === '"') {
          inString = false;
          if (depth === 0) {
            i++;
            break;
          }
        }
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth <= 0) {
          i++;
          break;
        }
      } else if (depth === 0 && /[\s{["]/.test(c) && i > start) break;
    }
    try {
      values.push(JSON.parse(text.slice(start, i)));
      lines.push(text.slice(0, i + 1).split('\n').length - 1);
    } catch {
      return { error: `jq: parse error: Invalid JSON text at ${position(i)}\n` };
    }
  }
  return { values, lines };
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

function format(value: unknown, options: Options): string {
  const v = options.sortKeys ? sortKeys(value) : value;
  if (options.raw && typeof v === 'string') return v;
  // jq prints what JSON cannot hold as null (nan) or the largest double (infinite).
  const text = JSON.stringify(
    v === undefined ? null : v,
    null,
    options.compact ? undefined : options.tab ? '\t' : options.indent,
  );
  return text ?? 'null';
}

/** jqjs throws strings (its messages) or, for a bug, an Error: either way one readable line. */
const message = (error: unknown) => (typeof error === 'string' ? error : ((error as Error)?.message ?? String(error)));

export const jq: Builtin = ({ args, stdin, vantage, ctx, out, err }) => {
  const options: Options = {
    raw: false,
    join: false,
    compact: false,
    exitStatus: false,
    slurp: false,
    nullInput: false,
    sortKeys: false,
    tab: false,
    indent: 2,
    variables: { ENV: vantage.environment() },
  };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--arg' || arg === '--argjson') {
      const [name, value] = [args[i + 1], args[i + 2]];
      if (name === undefined || value === undefined) {
        err(`jq: ${arg} takes two parameters (e.g. ${arg} varname value)\n${USAGE}`);
        return 2;
      }
      i += 2;
      if (arg === '--arg') options.variables[name] = value;
      else {
        try {
          options.variables[name] = JSON.parse(value);
        } catch {
          err(`jq: invalid JSON text passed to --argjson\n${USAGE}`);
          return 2;
        }
      }
      continue;
    }
    if (arg === '--indent') {
      const n = Number(args[++i]);
      if (!Number.isInteger(n) || n < 0 || n > 7) {
        err(`jq: Cannot indent more than 7 characters\n${USAGE}`);
        return 2;
      }
      options.indent = n;
      continue;
    }
    const long: Record<string, keyof Options> = {
      '--raw-output': 'raw',
      '--join-output': 'join',
      '--compact-output': 'compact',
      '--exit-status': 'exitStatus',
      '--slurp': 'slurp',
      '--null-input': 'nullInput',
      '--sort-keys': 'sortKeys',
      '--tab': 'tab',
    };
    const short: Record<string, keyof Options | undefined> = {
      r: 'raw',
      j: 'join',
      c: 'compact',
      e: 'exitStatus',
      s: 'slurp',
      n: 'nullInput',
      S: 'sortKeys',
      M: undefined,
      C: undefined,
      a: undefined,
    };
    if (arg in long) {
      (options as unknown as Record<string, boolean>)[long[arg] as string] = true;
      continue;
    }
    if (arg === '--monochrome-output' || arg === '--color-output' || arg === '--ascii-output') continue;
    if (/^-[A-Za-z]+$/.test(arg)) {
      for (const f of arg.slice(1)) {
        if (!(f in short)) {
          err(`jq: Unknown option: ${arg}\n${USAGE}`);
          return 2;
        }
        const key = short[f];
        if (key) (options as unknown as Record<string, boolean>)[key] = true;
      }
      continue;
    }
    if (arg.startsWith('--')) {
      err(`jq: Unknown option: ${arg}\n${USAGE}`);
      return 2;
    }
    positional.push(arg);
  }
  if (options.join) options.raw = true;
  const [filter = '.', ...files] = positional;

  let program: ReturnType<typeof jqjs.compile>;
  try {
    compileNode(filter);
    program = jqjs.compile(`${prelude(ctx.clock.now() / 1000)}${filter}`);
  } catch (error) {
    err(`jq: error: ${message(error)} at <top-level>, line 1:\n${filter}\njq: 1 compile error\n`);
    return 3;
  }

  let inputText = stdin ?? '';
  if (files.length) {
    inputText = '';
    for (const file of files) {
      const text = vantage.readFile(file);
      if (text === undefined) {
        err(`jq: error: Could not open ${file}: No such file or directory\n`);
        return 2;
      }
      inputText += text;
    }
  }
  const parsed = parseStream(options.nullInput ? '' : inputText);
  if ('error' in parsed) {
    err(parsed.error);
    return 2;
  }
  const inputs = options.nullInput ? [null] : options.slurp ? [parsed.values] : parsed.values;

  let last: unknown;
  let outputs = 0;
  for (const [index, input] of inputs.entries()) {
    try {
      for (const value of program.ast.apply(input, { userFuncArgs: {}, variables: { ...options.variables } })) {
        last = value;
        outputs++;
        out(options.join ? format(value, options) : `${format(value, options)}\n`);
        if (outputs >= MAX_OUTPUTS) {
          err(`jq: eks-sim stops a filter after ${MAX_OUTPUTS} outputs\n`);
          return 5;
        }
      }
    } catch (error) {
      const line = options.nullInput
        ? 0
        : options.slurp
          ? inputText.split('\n').length - 1
          : (parsed.lines[index] ?? 0);
      err(`jq: error (at <stdin>:${line}): ${message(error).replace(/ with (string|number) /, ' with ')}\n`);
      return 5;
    }
  }
  if (options.exitStatus) {
    if (outputs === 0) return 4;
    return last === null || last === false ? 1 : 0;
  }
  return 0;
};
