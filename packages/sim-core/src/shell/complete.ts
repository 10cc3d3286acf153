import { AWS_SERVICES } from './tools/aws/index';
import type { Vantage } from './vantage';

/** eksctl's verbs and nouns the simulator models (for completion only; eksctl itself decides). */
const EKSCTL_WORDS: Readonly<Record<string, readonly string[]>> = {
  create: ['cluster'],
  get: ['cluster', 'nodegroup'],
  delete: ['cluster'],
  upgrade: ['cluster', 'nodegroup'],
  utils: ['update-cluster-vpc-config', 'write-kubeconfig', 'describe-stacks'],
  version: [],
};

const KUBECTL_WORDS: Readonly<Record<string, readonly string[]>> = {
  version: [],
  get: ['nodes'],
  'cluster-info': [],
};

/**
 * Candidates for the word being typed at the end of `line`, as a terminal's Tab shows them:
 * tool and builtin names first, `$VARIABLES`, then per tool its subcommands (aws services,
 * operations and their `--options`; eksctl verbs and nouns; kubectl's commands).
 */
export function completions(line: string, vantage: Vantage, commandNames: readonly string[]): string[] {
  const words = line.split(/\s+/);
  const current = words.pop() ?? '';
  const previous = words.filter((w) => w !== '');
  const match = (options: Iterable<string>) => [...options].filter((o) => o.startsWith(current)).sort();
  if (current.startsWith('$')) {
    const names = Object.keys(vantage.environment()).map((n) => `$${n}`);
    return match(names);
  }
  const [tool, ...args] = previous;
  if (tool === undefined) return match(commandNames);
  const positional = args.filter((a) => !a.startsWith('-'));
  if (tool === 'aws') {
    const [service, operation] = positional;
    if (service === undefined) return match(Object.keys(AWS_SERVICES));
    const ops = AWS_SERVICES[service];
    if (!ops) return [];
    const names = Object.keys(ops);
    if (operation === undefined) return match(new Set(names.map((o) => o.split(' ')[0] as string)));
    const waiter = positional[2];
    if (operation === 'wait' && waiter === undefined) {
      return match(names.filter((o) => o.startsWith('wait ')).map((o) => o.slice(5)));
    }
    const spec = ops[operation === 'wait' ? `wait ${waiter}` : operation];
    return spec && current.startsWith('-') ? match(Object.keys(spec.params).map((p) => `--${p}`)) : [];
  }
  if (tool === 'eksctl') {
    const [verb, noun] = positional;
    if (verb === undefined) return match(Object.keys(EKSCTL_WORDS));
    if (noun === undefined) return match(EKSCTL_WORDS[verb] ?? []);
    return [];
  }
  if (tool === 'kubectl') {
    const [sub, kind] = positional;
    if (sub === undefined) return match(Object.keys(KUBECTL_WORDS));
    if (kind === undefined) return match(KUBECTL_WORDS[sub] ?? []);
    return [];
  }
  return [];
}
