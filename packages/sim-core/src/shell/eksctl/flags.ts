/**
 * eksctl's flags as its flag library (spf13/pflag) reads them: `--name value`, `--name=value`,
 * `-n value`, booleans as `--approve` or `--managed=false`, and its error messages for a flag it
 * does not know or a value of the wrong kind.
 */
export type FlagKind = 'string' | 'bool' | 'int' | 'strings';

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  readonly kind: FlagKind;
  readonly usage: string;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, FlagValue>;
  readonly positionals: readonly string[];
}

const label = (spec: FlagSpec) => (spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`);

function convert(spec: FlagSpec, raw: string): FlagValue | string {
  switch (spec.kind) {
    case 'bool':
      if (raw === 'true' || raw === '1' || raw === 't' || raw === 'T' || raw === 'TRUE' || raw === 'True') return true;
      if (raw === 'false' || raw === '0' || raw === 'f' || raw === 'F' || raw === 'FALSE' || raw === 'False')
        return false;
      return `invalid argument "${raw}" for "${label(spec)}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`;
    case 'int':
      if (!/^-?\d+$/.test(raw)) {
        return `invalid argument "${raw}" for "${label(spec)}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`;
      }
      return Number(raw);
    case 'strings':
      return raw === '' ? [] : raw.split(',');
    case 'string':
      return raw;
  }
}

/** Parses `args`; returns the error text pflag would print after `Error: ` on failure. */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags | string {
  const values = new Map<string, FlagValue>();
  const positionals: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byName.get(name);
      if (!spec) return `unknown flag: --${name}`;
    } else if (arg.startsWith('-') && arg.length > 1) {
      const short = arg[1] as string;
      spec = byShort.get(short);
      if (!spec) return `unknown shorthand flag: '${short}' in ${arg}`;
      if (arg.length > 2) inline = arg[2] === '=' ? arg.slice(3) : arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      if (spec.kind === 'bool') raw = 'true';
      else {
        const next = args[i + 1];
        if (next === undefined) return `flag needs an argument: --${spec.name}`;
        raw = next;
        i++;
      }
    }
    const value = convert(spec, raw);
    if (typeof value === 'string' && spec.kind !== 'string') return value;
    if (spec.kind === 'strings') {
      const before = (values.get(spec.name) as string[] | undefined) ?? [];
      values.set(spec.name, [...before, ...(value as string[])]);
    } else values.set(spec.name, value);
  }
  return { values, positionals };
}

/** The `Flags:` block of a help text. */
export function flagHelp(specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.kind === 'bool' ? '' : ` ${s.kind === 'strings' ? 'strings' : s.kind}`}`;
    return `  ${left.padEnd(40)}${s.usage}`;
  });
  return rows.join('\n');
}

export const str = (flags: ParsedFlags, name: string): string | undefined => {
  const v = flags.values.get(name);
  return typeof v === 'string' ? v : undefined;
};
export const bool = (flags: ParsedFlags, name: string): boolean | undefined => {
  const v = flags.values.get(name);
  return typeof v === 'boolean' ? v : undefined;
};
export const int = (flags: ParsedFlags, name: string): number | undefined => {
  const v = flags.values.get(name);
  return typeof v === 'number' ? v : undefined;
};
export const list = (flags: ParsedFlags, name: string): string[] | undefined => {
  const v = flags.values.get(name);
  return Array.isArray(v) ? v : undefined;
};
