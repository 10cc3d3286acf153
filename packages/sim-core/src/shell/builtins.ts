import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from '../engine/duration';
import type { Builtin, BuiltinInvocation } from './builtin';
import { unixDate } from './format';
import { jq } from './jq';
import { TEXT_FILTERS } from './text-filters';

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

/** printf's backslash escapes (`\n`, `\t`, `\\`, `\"`). */
const escapes = (text: string) =>
  text.replace(/\\([ntr\\"'])/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);

/**
 * `printf FORMAT [ARGUMENTS…]`: `%s`, `%d`, `%i`, `%%`, with widths (`%-20s`, `%5d`); the format is
 * reused while arguments remain, as bash's printf does.
 */
const printf: Builtin = ({ args, out, err }) => {
  const [format, ...values] = args;
  if (format === undefined) {
    err('printf: usage: printf [-v var] format [arguments]\n');
    return 2;
  }
  let status = 0;
  let next = 0;
  const once = () =>
    escapes(format).replace(/%(-?)(\d*)([sdi%])/g, (_, left: string, width: string, conversion: string) => {
      if (conversion === '%') return '%';
      let value = values[next++] ?? '';
      if (conversion !== 's') {
        if (value !== '' && !/^[-+]?\d+$/.test(value)) {
          err(`bash: printf: ${value}: invalid number\n`);
          status = 1;
          value = '0';
        }
        value = String(Number(value || 0));
      }
      const w = Number(width || 0);
      return left ? value.padEnd(w) : value.padStart(w);
    });
  let text = once();
  while (next > 0 && next < values.length) text += once();
  out(text);
  return status;
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
      'Quotes, $VAR and braces, $(…), $((…)), {1..N}, export, VAR=x cmd, ;, &&, ||, |, >, here-documents and\n' +
      "for NAME in WORDS; do …; done work as in bash. 'TOOL --help' (aws: 'aws … help') shows a tool's help.\n",
  );
  return 0;
};

export const BUILTINS: Record<string, Builtin> = {
  echo,
  printf,
  export: exportBuiltin,
  unset,
  env,
  printenv,
  sleep,
  cat,
  ...TEXT_FILTERS,
  date,
  ls,
  help,
  jq,
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
