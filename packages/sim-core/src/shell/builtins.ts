import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from '../engine/duration';
import { unixDate } from './format';
import type { ShellContext } from './ports';
import type { Vantage } from './vantage';

export interface BuiltinInvocation {
  readonly args: readonly string[];
  readonly vantage: Vantage;
  readonly stdin: string | undefined;
  readonly ctx: ShellContext;
  out(text: string): void;
  err(text: string): void;
  commandNames(): string[];
}

/** A shell builtin or a small coreutils stand-in; returns the exit status. */
export type Builtin = (b: BuiltinInvocation) => number;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `echo [-n] [-e] words…` */
const echo: Builtin = ({ args, out }) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  while (i < args.length && /^-[neE]+$/.test(args[i] as string)) {
    if ((args[i] as string).includes('n')) newline = false;
    if ((args[i] as string).includes('e')) escapes = true;
    i++;
  }
  let text = args.slice(i).join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  out(newline ? `${text}\n` : text);
  return 0;
};

/** `export NAME=value …`, `export NAME`, `export` (lists, as `declare -x`). */
const exportBuiltin: Builtin = ({ args, vantage, out, err }) => {
  if (args.length === 0 || (args.length === 1 && args[0] === '-p')) {
    for (const [key, value] of Object.entries(vantage.environment()).sort()) out(`declare -x ${key}="${value}"\n`);
    return 0;
  }
  let status = 0;
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) {
      err(`bash: export: \`${arg}': not a valid identifier\n`);
      status = 1;
      continue;
    }
    if (eq < 0) vantage.markExported(name);
    else vantage.set(name, arg.slice(eq + 1), true);
  }
  return status;
};

const unset: Builtin = ({ args, vantage }) => {
  for (const name of args) vantage.unset(name);
  return 0;
};

const env: Builtin = ({ vantage, out }) => {
  for (const [key, value] of Object.entries(vantage.environment()).sort()) out(`${key}=${value}\n`);
  return 0;
};

const printenv: Builtin = ({ args, vantage, out }) => {
  const all = vantage.environment();
  if (args.length === 0) return env({ args, vantage, out } as BuiltinInvocation);
  let status = 0;
  for (const name of args) {
    if (all[name] === undefined) status = 1;
    else out(`${all[name]}\n`);
  }
  return status;
};

/**
 * `sleep N[smhd]`: lets simulated time pass, which is how a lesson waits for an update to
 * finish without a real clock.
 */
const sleep: Builtin = ({ args, ctx, err }) => {
  if (args.length === 0) {
    err("sleep: missing operand\nTry 'sleep --help' for more information.\n");
    return 1;
  }
  let total = 0;
  for (const arg of args) {
    const ms = /^\d+(\.\d+)?$/.test(arg) ? Number(arg) * 1000 : parseDuration(arg);
    if (ms === undefined || !/^\d+(\.\d+)?[smhd]?$/.test(arg)) {
      err(`sleep: invalid time interval '${arg}'\nTry 'sleep --help' for more information.\n`);
      return 1;
    }
    total += ms;
  }
  if (total > MAX_DURATION_MS) {
    err(`sleep: eks-sim sleeps at most ${MAX_DURATION_TEXT} of simulated time\n`);
    return 1;
  }
  ctx.clock.runUntil(ctx.clock.now() + total);
  return 0;
};

const cat: Builtin = ({ args, vantage, stdin, out, err }) => {
  if (args.length === 0 || (args.length === 1 && args[0] === '-')) {
    out(stdin ?? '');
    return 0;
  }
  let status = 0;
  for (const path of args) {
    const text = vantage.readFile(path);
    if (text === undefined) {
      err(`cat: ${path}: No such file or directory\n`);
      status = 1;
    } else out(text);
  }
  return status;
};

const lines = (text: string | undefined) =>
  (text ?? '').split('\n').filter((l, i, all) => i < all.length - 1 || l !== '');

/** `grep [-i] [-v] [-c] [-E] PATTERN` on standard input: enough for `… | grep NodeInstanceRole`. */
const grep: Builtin = ({ args, stdin, vantage, out, err }) => {
  const flags = new Set<string>();
  const rest: string[] = [];
  for (const arg of args) {
    if (/^-[ivcEFw]+$/.test(arg)) for (const f of arg.slice(1)) flags.add(f);
    else rest.push(arg);
  }
  const [pattern, ...files] = rest;
  if (pattern === undefined) {
    err("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
    return 2;
  }
  let regex: RegExp;
  try {
    const source = flags.has('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern;
    regex = new RegExp(flags.has('w') ? `\\b${source}\\b` : source, flags.has('i') ? 'i' : '');
  } catch {
    err(`grep: Invalid regular expression\n`);
    return 2;
  }
  const input = files.length ? files.map((f) => vantage.readFile(f) ?? '').join('') : stdin;
  const matched = lines(input).filter((l) => regex.test(l) !== flags.has('v'));
  if (flags.has('c')) out(`${matched.length}\n`);
  else for (const l of matched) out(`${l}\n`);
  return matched.length > 0 ? 0 : 1;
};

/** `cut -d DELIM -f N[,M]` and `cut -c N-M`: enough to peel an endpoint URL in a pipeline. */
const cut: Builtin = ({ args, stdin, out, err }) => {
  let delimiter = '\t';
  let fields: string | undefined;
  let chars: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const take = (short: string) => (arg === short ? args[++i] : arg.slice(short.length));
    if (arg.startsWith('-d')) delimiter = take('-d') ?? '\t';
    else if (arg.startsWith('-f')) fields = take('-f');
    else if (arg.startsWith('-c')) chars = take('-c');
  }
  const spec = fields ?? chars;
  if (spec === undefined || !/^(\d*-?\d*)(,\d*-?\d*)*$/.test(spec)) {
    err("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n");
    return 1;
  }
  const picks = (n: number) =>
    spec.split(',').some((range) => {
      const [a, b] = range.includes('-') ? range.split('-') : [range, range];
      return n >= (a ? Number(a) : 1) && n <= (b ? Number(b) : Number.MAX_SAFE_INTEGER);
    });
  for (const line of lines(stdin)) {
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

const countArg = (args: readonly string[]): number => {
  const i = args.indexOf('-n');
  const value = i >= 0 ? args[i + 1] : args.find((a) => /^-\d+$/.test(a))?.slice(1);
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : 10;
};

const head: Builtin = ({ args, stdin, out }) => {
  for (const l of lines(stdin).slice(0, countArg(args))) out(`${l}\n`);
  return 0;
};

const tail: Builtin = ({ args, stdin, out }) => {
  const n = countArg(args);
  for (const l of lines(stdin).slice(-n || Number.MAX_SAFE_INTEGER)) out(`${l}\n`);
  return 0;
};

const wc: Builtin = ({ args, stdin, out }) => {
  const text = stdin ?? '';
  const count = lines(text).length;
  if (args.includes('-l')) out(`${count}\n`);
  else
    out(
      `${String(count).padStart(7)} ${String(text.split(/\s+/).filter(Boolean).length).padStart(7)} ${String(text.length).padStart(7)}\n`,
    );
  return 0;
};

/** `date`: the simulated time, as coreutils prints it in UTC. */
const date: Builtin = ({ ctx, out }) => {
  out(`${unixDate(ctx.clock.now())}\n`);
  return 0;
};

const ls: Builtin = ({ vantage, out }) => {
  const home = `${vantage.home}/`;
  const names = vantage.fileNames().map((p) => (p.startsWith(home) ? p.slice(home.length) : p));
  if (names.length) out(`${names.join('  ')}\n`);
  return 0;
};

const help: Builtin = ({ out, commandNames }) => {
  out(
    `The simulated shell (eks-sim). Tools and builtins:\n  ${commandNames().join(' ')}\n` +
      'Quotes, $VAR and braces, $(…), export, ;, &&, ||, |, > and here-documents work as in bash.\n',
  );
  return 0;
};

export const BUILTINS: Record<string, Builtin> = {
  echo,
  export: exportBuiltin,
  unset,
  env,
  printenv,
  sleep,
  cat,
  grep,
  cut,
  head,
  tail,
  wc,
  date,
  ls,
  help,
  true: () => 0,
  false: () => 1,
  ':': () => 0,
  cd: () => 0,
  clear: () => 0,
  pwd: ({ vantage, out }) => {
    out(`${vantage.home}\n`);
    return 0;
  },
  hostname: ({ vantage, out }) => {
    out(`${vantage.hostname}\n`);
    return 0;
  },
  whoami: ({ vantage, out }) => {
    out(`${vantage.user}\n`);
    return 0;
  },
  exit: ({ args }) => (args[0] !== undefined && /^\d+$/.test(args[0]) ? Number(args[0]) & 255 : 0),
};
