/** kubectl's flags the simulator reads (k8s.io/kubectl: global and per-command flags). */
export interface KubectlFlags {
  namespace?: string;
  allNamespaces: boolean;
  output?: string;
  selector?: string;
  fieldSelector?: string;
  replicas?: string;
  noHeaders: boolean;
  watch: boolean;
  client: boolean;
  ignoreDaemonsets: boolean;
  /** Flags accepted and without effect here (`--force`, `--delete-emptydir-data`, `--timeout`). */
  other: string[];
}

/** Flags that take a value, by every name kubectl accepts. */
const VALUED: Readonly<Record<string, keyof KubectlFlags>> = {
  '-n': 'namespace',
  '--namespace': 'namespace',
  '-o': 'output',
  '--output': 'output',
  '-l': 'selector',
  '--selector': 'selector',
  '--field-selector': 'fieldSelector',
  '--replicas': 'replicas',
};
const ACCEPTED_VALUED = new Set([
  '--grace-period',
  '--timeout',
  '--context',
  '--kubeconfig',
  '--request-timeout',
  '--pod-selector',
]);
const ACCEPTED_BOOLEAN = new Set([
  '--force',
  '--delete-emptydir-data',
  '--delete-local-data',
  '--short',
  '--disable-eviction',
]);

/** Splits `args` into positionals and flags, or returns the flag kubectl would refuse. */
export function parseFlags(
  args: readonly string[],
): { flags: KubectlFlags; positional: string[] } | { bad: string; missing?: boolean } {
  const flags: KubectlFlags = {
    allNamespaces: false,
    noHeaders: false,
    watch: false,
    client: false,
    ignoreDaemonsets: false,
    other: [],
  };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const short = /^-([nol])(.+)$/.exec(arg);
    const key = VALUED[name] ?? (short ? VALUED[`-${short[1]}`] : undefined);
    if (key) {
      let value: string | undefined;
      if (eq > 0 && name.startsWith('--')) value = arg.slice(eq + 1);
      else if (short) value = (short[2] as string).replace(/^=/, '');
      else value = args[++i];
      if (value === undefined) return { bad: arg, missing: true };
      (flags as unknown as Record<string, string>)[key] = value;
      continue;
    }
    if (name === '-A' || name === '--all-namespaces') flags.allNamespaces = true;
    else if (name === '--no-headers') flags.noHeaders = true;
    else if (name === '-w' || name === '--watch') flags.watch = true;
    else if (name === '--client') flags.client = true;
    else if (name === '--ignore-daemonsets') flags.ignoreDaemonsets = arg.slice(eq + 1) !== 'false' || eq < 0;
    else if (ACCEPTED_BOOLEAN.has(name)) flags.other.push(arg);
    else if (ACCEPTED_VALUED.has(name)) {
      flags.other.push(arg);
      if (eq < 0) i++;
    } else return { bad: arg };
  }
  return { flags, positional };
}
