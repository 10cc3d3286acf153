import type { Builtin, BuiltinInvocation } from './builtin';

/**
 * The coreutils a pipeline ends in — `grep`, `cut`, `head`, `tail`, `wc`, `sort`, `uniq`, `seq`,
 * `tr` — with GNU's options that tutorials use and GNU's messages for the rest. Sorting is
 * byte order, as under `LC_ALL=C`, so the same input sorts the same everywhere.
 */

/** The lines of a text, without the empty one after its last newline. */
const lines = (text: string | undefined) =>
  (text ?? '').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');

const printLines = (out: (text: string) => void, list: readonly string[]) => {
  if (list.length) out(`${list.join('\n')}\n`);
};

/** Standard input, or the named files of the vantage (`-` is standard input). */
function input(b: BuiltinInvocation, tool: string, files: readonly string[]): string | undefined {
  if (files.length === 0) return b.stdin ?? '';
  let text = '';
  for (const file of files) {
    const content = file === '-' ? (b.stdin ?? '') : b.vantage.readFile(file);
    if (content === undefined) {
      b.err(`${tool}: ${file}: No such file or directory\n`);
      return undefined;
    }
    text += content;
  }
  return text;
}

const tryHelp = (tool: string) => `Try '${tool} --help' for more information.\n`;

/** POSIX bracket classes, which JavaScript's RegExp lacks. */
const CLASSES: Readonly<Record<string, string>> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
};

/**
 * A grep pattern as a JavaScript RegExp source. In a basic regular expression (grep without -E)
 * `\(`, `\)`, `\{`, `\}`, `\|`, `\+`, `\?` are the operators and the bare characters are literal
 * (GNU grep manual, "Basic vs Extended Regular Expressions").
 */
export function grepPattern(pattern: string, mode: 'basic' | 'extended' | 'fixed'): string {
  if (mode === 'fixed') return pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let source = '';
  let inBracket = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (inBracket) {
      const cls = /^\[:([a-z]+):\]/.exec(pattern.slice(i));
      if (cls) {
        source += CLASSES[cls[1] as string] ?? '';
        i += cls[0].length - 1;
      } else if (c === ']' && !/\[\^?$/.test(source)) {
        inBracket = false;
        source += c;
      } else source += c === '\\' ? '\\\\' : c;
      continue;
    }
    if (c === '[') {
      inBracket = true;
      source += c;
      continue;
    }
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i] as string;
      if (mode === 'basic' && '(){}|+?'.includes(next)) source += next;
      else source += `\\${next}`;
      continue;
    }
    if (mode === 'basic' && '(){}|+?'.includes(c)) source += `\\${c}`;
    else source += c;
  }
  return source;
}

/** `grep [-i -v -c -E -F -w -x -o -q -n -h] [-e PATTERN] PATTERN [FILE…]` */
const grep: Builtin = (b) => {
  const { args, out, err } = b;
  const flags = new Set<string>();
  const patterns: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-e' || arg === '--regexp') {
      const value = args[++i];
      if (value === undefined) {
        err(`grep: option requires an argument -- 'e'\nUsage: grep [OPTION]... PATTERNS [FILE]...\n${tryHelp('grep')}`);
        return 2;
      }
      patterns.push(value);
    } else if (arg.startsWith('--color') || arg.startsWith('--colour')) {
    } else if (arg === '--ignore-case') flags.add('i');
    else if (arg === '--invert-match') flags.add('v');
    else if (arg === '--count') flags.add('c');
    else if (arg === '--extended-regexp') flags.add('E');
    else if (arg === '--quiet' || arg === '--silent') flags.add('q');
    else if (arg === '--only-matching') flags.add('o');
    else if (/^-[ivcEFwxoqnhsP]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f);
    else if (arg.startsWith('-') && arg !== '-') {
      err(
        `grep: invalid option -- '${arg.replace(/^-+/, '')}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\n${tryHelp('grep')}`,
      );
      return 2;
    } else rest.push(arg);
  }
  if (patterns.length === 0) {
    const pattern = rest.shift();
    if (pattern === undefined) {
      err(`Usage: grep [OPTION]... PATTERNS [FILE]...\n${tryHelp('grep')}`);
      return 2;
    }
    patterns.push(...pattern.split('\n'));
  }
  const mode = flags.has('F') ? 'fixed' : flags.has('E') || flags.has('P') ? 'extended' : 'basic';
  let regex: RegExp;
  try {
    const alternatives = patterns.map((p) => grepPattern(p, mode)).map((p) => (flags.has('x') ? `^(?:${p})$` : p));
    const source = alternatives.join('|');
    regex = new RegExp(flags.has('w') ? `(?<![\\w])(?:${source})(?![\\w])` : source, flags.has('i') ? 'gi' : 'g');
  } catch {
    err(`grep: Unmatched ( or \\(\n`);
    return 2;
  }
  const text = input(b, 'grep', rest);
  if (text === undefined) return 2;
  const matches = (line: string) => {
    regex.lastIndex = 0;
    return regex.test(line);
  };
  const numbered = lines(text).map((line, i) => ({ line, n: i + 1 }));
  const selected = numbered.filter(({ line }) => matches(line) !== flags.has('v'));
  if (flags.has('q')) return selected.length > 0 ? 0 : 1;
  if (flags.has('c')) out(`${selected.length}\n`);
  else
    for (const { line, n } of selected) {
      const prefix = flags.has('n') ? `${n}:` : '';
      if (flags.has('o') && !flags.has('v')) {
        regex.lastIndex = 0;
        for (const m of line.matchAll(regex)) if (m[0]) out(`${prefix}${m[0]}\n`);
      } else out(`${prefix}${line}\n`);
    }
  return selected.length > 0 ? 0 : 1;
};

/** `cut -d DELIM -f N[,M]` and `cut -c N-M`: enough to peel an endpoint URL in a pipeline. */
const cut: Builtin = (b) => {
  const { args, out, err } = b;
  let delimiter = '\t';
  let fields: string | undefined;
  let chars: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const take = (short: string) => (arg === short ? args[++i] : arg.slice(short.length));
    if (arg.startsWith('-d')) delimiter = take('-d') ?? '\t';
    else if (arg.startsWith('-f')) fields = take('-f');
    else if (arg.startsWith('-c')) chars = take('-c');
    else files.push(arg);
  }
  const spec = fields ?? chars;
  if (spec === undefined || !/^(\d*-?\d*)(,\d*-?\d*)*$/.test(spec)) {
    err(`cut: you must specify a list of bytes, characters, or fields\n${tryHelp('cut')}`);
    return 1;
  }
  const text = input(b, 'cut', files);
  if (text === undefined) return 1;
  const picks = (n: number) =>
    spec.split(',').some((range) => {
      const [a, z] = range.includes('-') ? range.split('-') : [range, range];
      return n >= (a ? Number(a) : 1) && n <= (z ? Number(z) : Number.MAX_SAFE_INTEGER);
    });
  for (const line of lines(text)) {
    if (chars !== undefined) out(`${[...line].filter((_, i) => picks(i + 1)).join('')}\n`);
    else if (!line.includes(delimiter)) out(`${line}\n`);
    else
      out(
        `${line
          .split(delimiter)
          .filter((_, i) => picks(i + 1))
          .join(delimiter)}\n`,
      );
  }
  return 0;
};

/** `-n N`, `-nN`, `--lines=N`, `-N`: the count (with its sign: `tail -n +2`, `head -n -1`) and the files. */
function countOption(
  b: BuiltinInvocation,
  tool: string,
): { count: number; from: 'start' | 'end'; files: string[] } | undefined {
  let value = '10';
  const files: string[] = [];
  for (let i = 0; i < b.args.length; i++) {
    const arg = b.args[i] as string;
    if (arg === '-n' || arg === '--lines') value = b.args[++i] ?? '';
    else if (arg.startsWith('--lines=')) value = arg.slice(8);
    else if (/^-n./.test(arg)) value = arg.slice(2);
    else if (/^-\d+$/.test(arg)) value = arg.slice(1);
    else if (arg.startsWith('-') && arg !== '-') {
      b.err(`${tool}: invalid option -- '${arg.replace(/^-+/, '')}'\n${tryHelp(tool)}`);
      return undefined;
    } else files.push(arg);
  }
  const m = /^([+-]?)(\d+)$/.exec(value);
  if (!m) {
    b.err(`${tool}: invalid number of lines: '${value}'\n`);
    return undefined;
  }
  const signed = tool === 'tail' ? m[1] === '+' : m[1] === '-';
  return {
    count: Number(m[2]),
    from: signed ? (tool === 'tail' ? 'start' : 'end') : tool === 'tail' ? 'end' : 'start',
    files,
  };
}

const head: Builtin = (b) => {
  const option = countOption(b, 'head');
  if (!option) return 1;
  const text = input(b, 'head', option.files);
  if (text === undefined) return 1;
  const all = lines(text);
  // `head -n -N`: all but the last N.
  printLines(
    b.out,
    option.from === 'start' ? all.slice(0, option.count) : all.slice(0, Math.max(0, all.length - option.count)),
  );
  return 0;
};

const tail: Builtin = (b) => {
  const option = countOption(b, 'tail');
  if (!option) return 1;
  const text = input(b, 'tail', option.files);
  if (text === undefined) return 1;
  const all = lines(text);
  // `tail -n +N`: from line N on (the header-skipping idiom).
  printLines(
    b.out,
    option.from === 'start'
      ? all.slice(Math.max(0, option.count - 1))
      : option.count === 0
        ? []
        : all.slice(-option.count),
  );
  return 0;
};

const wc: Builtin = (b) => {
  const flags = new Set<string>();
  const files: string[] = [];
  for (const arg of b.args) {
    if (/^-[lwcm]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f === 'm' ? 'c' : f);
    else if (arg === '--lines') flags.add('l');
    else if (arg === '--words') flags.add('w');
    else if (arg.startsWith('-') && arg !== '-') {
      b.err(`wc: invalid option -- '${arg.replace(/^-+/, '')}'\n${tryHelp('wc')}`);
      return 1;
    } else files.push(arg);
  }
  const text = input(b, 'wc', files);
  if (text === undefined) return 1;
  const counts = {
    l: (text.match(/\n/g) ?? []).length,
    w: text.split(/\s+/).filter(Boolean).length,
    c: utf8Length(text),
  };
  const shown = flags.size ? (['l', 'w', 'c'] as const).filter((f) => flags.has(f)) : (['l', 'w', 'c'] as const);
  const name = files.length === 1 ? ` ${files[0]}` : '';
  // GNU wc pads to a common width only when it prints more than one number or a file name.
  if (shown.length === 1 && !name) b.out(`${counts[shown[0] as 'l']}\n`);
  else b.out(`${shown.map((f) => String(counts[f]).padStart(files.length ? 1 : 7)).join(' ')}${name}\n`);
  return 0;
};

function utf8Length(text: string): number {
  let bytes = 0;
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** strtod's leading number, as `sort -n` reads a line; no number sorts as 0. */
const leadingNumber = (text: string) => {
  const m = /^\s*(-?\d*\.?\d+(?:[eE][-+]?\d+)?)/.exec(text);
  return m ? Number(m[1]) : 0;
};
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `sort [-n] [-r] [-u] [-f] [-k N[,M]] [-t SEP] [FILE…]` */
const sort: Builtin = (b) => {
  const flags = new Set<string>();
  const files: string[] = [];
  let key: { from: number; to: number | undefined; numeric: boolean; reverse: boolean } | undefined;
  let separator: string | undefined;
  for (let i = 0; i < b.args.length; i++) {
    const arg = b.args[i] as string;
    if (arg === '-k' || arg.startsWith('-k') || arg.startsWith('--key=')) {
      const spec = arg === '-k' ? b.args[++i] : arg.startsWith('--key=') ? arg.slice(6) : arg.slice(2);
      const m = /^(\d+)(?:\.\d+)?([nrbf]*)(?:,(\d+)(?:\.\d+)?([nrbf]*))?$/.exec(spec ?? '');
      if (!m || Number(m[1]) === 0) {
        b.err(`sort: invalid number at field start: invalid count at start of '${spec ?? ''}'\n`);
        return 2;
      }
      const mods = `${m[2] ?? ''}${m[4] ?? ''}`;
      key = {
        from: Number(m[1]),
        to: m[3] ? Number(m[3]) : undefined,
        numeric: mods.includes('n'),
        reverse: mods.includes('r'),
      };
    } else if (arg === '-t' || (arg.startsWith('-t') && arg.length === 3)) {
      separator = arg === '-t' ? b.args[++i] : arg.slice(2);
    } else if (arg === '--numeric-sort') flags.add('n');
    else if (arg === '--reverse') flags.add('r');
    else if (arg === '--unique') flags.add('u');
    else if (arg === '--ignore-case') flags.add('f');
    else if (/^-[nrufbsVh]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f === 'h' || f === 'V' ? 'n' : f);
    else if (arg.startsWith('-') && arg !== '-') {
      b.err(`sort: invalid option -- '${arg.replace(/^-+/, '')}'\n${tryHelp('sort')}`);
      return 2;
    } else files.push(arg);
  }
  const text = input(b, 'sort', files);
  if (text === undefined) return 2;
  const keyOf = (line: string) => {
    if (!key) return line;
    const fields = separator !== undefined ? line.split(separator) : line.trim().split(/\s+/);
    return fields.slice(key.from - 1, key.to ?? fields.length).join(separator ?? ' ');
  };
  const numeric = flags.has('n') || key?.numeric === true;
  const fold = (s: string) => (flags.has('f') ? s.toUpperCase() : s);
  const compareKeys = (a: string, z: string) =>
    numeric ? leadingNumber(keyOf(a)) - leadingNumber(keyOf(z)) : byteOrder(fold(keyOf(a)), fold(keyOf(z)));
  const reverse = flags.has('r') || key?.reverse === true ? -1 : 1;
  // Equal keys fall back to the whole line in byte order, unless -s or -u (GNU sort's last resort).
  const compare = (a: string, z: string) =>
    reverse * (compareKeys(a, z) || (flags.has('s') || flags.has('u') ? 0 : byteOrder(a, z)));
  const sorted = lines(text).sort(compare);
  const result = flags.has('u')
    ? sorted.filter((line, i) => i === 0 || compareKeys(sorted[i - 1] as string, line) !== 0)
    : sorted;
  printLines(b.out, result);
  return 0;
};

/** `uniq [-c] [-d] [-u] [-i]`: adjacent equal lines once. */
const uniq: Builtin = (b) => {
  const flags = new Set<string>();
  const files: string[] = [];
  for (const arg of b.args) {
    if (/^-[cdui]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f);
    else if (arg === '--count') flags.add('c');
    else if (arg.startsWith('-') && arg !== '-') {
      b.err(`uniq: invalid option -- '${arg.replace(/^-+/, '')}'\n${tryHelp('uniq')}`);
      return 1;
    } else files.push(arg);
  }
  const text = input(b, 'uniq', files.slice(0, 1));
  if (text === undefined) return 1;
  const same = (a: string, z: string) => (flags.has('i') ? a.toLowerCase() === z.toLowerCase() : a === z);
  const groups: { line: string; count: number }[] = [];
  for (const line of lines(text)) {
    const last = groups[groups.length - 1];
    if (last && same(last.line, line)) last.count++;
    else groups.push({ line, count: 1 });
  }
  const kept = groups.filter((g) => (!flags.has('d') || g.count > 1) && (!flags.has('u') || g.count === 1));
  printLines(
    b.out,
    kept.map((g) => (flags.has('c') ? `${String(g.count).padStart(7)} ${g.line}` : g.line)),
  );
  return 0;
};

/** A bound on `seq`, which would otherwise print for ever in simulated time. */
const MAX_SEQ = 100_000;

/** `seq [-s SEP] [-w] [FIRST [INCREMENT]] LAST` (integers). */
const seq: Builtin = (b) => {
  let separator = '\n';
  let equalWidth = false;
  const numbers: string[] = [];
  for (let i = 0; i < b.args.length; i++) {
    const arg = b.args[i] as string;
    if (arg === '-s') separator = b.args[++i] ?? '\n';
    else if (arg === '-w') equalWidth = true;
    else numbers.push(arg);
  }
  const bad = numbers.find((n) => !/^-?\d+$/.test(n));
  if (numbers.length === 0 || numbers.length > 3 || bad !== undefined) {
    b.err(
      bad !== undefined
        ? `seq: invalid floating point argument: '${bad}'\n${tryHelp('seq')}`
        : `seq: missing operand\n${tryHelp('seq')}`,
    );
    return 1;
  }
  const [first, step, last] =
    numbers.length === 1
      ? [1, 1, Number(numbers[0])]
      : numbers.length === 2
        ? [Number(numbers[0]), 1, Number(numbers[1])]
        : numbers.map(Number);
  if (step === 0) {
    b.err(`seq: invalid Zero increment value: '0'\n${tryHelp('seq')}`);
    return 1;
  }
  const count = Math.floor(((last as number) - (first as number)) / (step as number)) + 1;
  if (count > MAX_SEQ) {
    b.err(`seq: eks-sim prints at most ${MAX_SEQ} numbers\n`);
    return 1;
  }
  const values = Array.from({ length: Math.max(0, count) }, (_, i) => (first as number) + i * (step as number));
  const width = equalWidth ? Math.max(...values.map((v) => String(v).length)) : 0;
  if (values.length) b.out(`${values.map((v) => String(v).padStart(width, '0')).join(separator)}\n`);
  return 0;
};

/** tr's SET: ranges (`a-z`), escapes (`\n`, `\t`, `\\`) and `[:upper:]`-style classes. */
function trSet(spec: string): string[] {
  const expanded = spec
    .replace(
      /\[:(upper|lower|digit|space|alpha|alnum):\]/g,
      (_, c: string) =>
        ({ upper: 'A-Z', lower: 'a-z', digit: '0-9', space: ' \t\n\r', alpha: 'a-zA-Z', alnum: 'a-zA-Z0-9' })[c] ?? '',
    )
    .replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
  const chars: string[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const c = expanded[i] as string;
    if (expanded[i + 1] === '-' && i + 2 < expanded.length) {
      const end = (expanded[i + 2] as string).charCodeAt(0);
      for (let code = c.charCodeAt(0); code <= end && chars.length < 1024; code++)
        chars.push(String.fromCharCode(code));
      i += 2;
    } else chars.push(c);
  }
  return chars;
}

/** `tr SET1 SET2`, `tr -d SET`, `tr -s SET`: e.g. `--output text | tr '\t' '\n'`. */
const tr: Builtin = (b) => {
  const flags = new Set<string>();
  const sets: string[] = [];
  for (const arg of b.args) {
    if (/^-[ds]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f);
    else sets.push(arg);
  }
  const [from, to] = sets;
  if (from === undefined || (!flags.has('d') && !flags.has('s') && to === undefined)) {
    b.err(`tr: missing operand\n${tryHelp('tr')}`);
    return 1;
  }
  const source = trSet(from);
  const target = to === undefined ? [] : trSet(to);
  let text = b.stdin ?? '';
  if (flags.has('d')) text = [...text].filter((c) => !source.includes(c)).join('');
  else if (to !== undefined)
    text = [...text]
      .map((c) => {
        const i = source.indexOf(c);
        return i < 0 ? c : (target[Math.min(i, target.length - 1)] ?? '');
      })
      .join('');
  if (flags.has('s')) {
    const squeeze = to !== undefined && !flags.has('d') ? target : source;
    text = [...text].filter((c, i, all) => !(i > 0 && all[i - 1] === c && squeeze.includes(c))).join('');
  }
  b.out(text);
  return 0;
};

export const TEXT_FILTERS: Readonly<Record<string, Builtin>> = { grep, cut, head, tail, wc, sort, uniq, seq, tr };
