import { awsCommandNames, eksctlWords, KUBECTL_COMMANDS, KUBECTL_CONFIG_COMMANDS } from './help/index';
import { AWS_SERVICES } from './tools/aws/index';
import type { Vantage } from './vantage';

/** Resource names `kubectl get` and `describe` complete (kubectl api-resources' common ones). */
const KUBECTL_RESOURCES = [
  'configmaps',
  'daemonsets',
  'deployments',
  'endpoints',
  'events',
  'namespaces',
  'nodes',
  'pods',
  'replicasets',
  'services',
];

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
    if (operation === undefined) return match(awsCommandNames(service));
    const waiter = positional[2];
    if (operation === 'wait' && waiter === undefined) {
      return match(names.filter((o) => o.startsWith('wait ')).map((o) => o.slice(5)));
    }
    const spec = ops[operation === 'wait' ? `wait ${waiter}` : operation];
    return spec && current.startsWith('-') ? match(Object.keys(spec.params).map((p) => `--${p}`)) : [];
  }
  if (tool === 'eksctl') {
    const [verb, noun] = positional;
    if (verb === undefined) return match(eksctlWords());
    if (noun === undefined) return match(eksctlWords(verb));
    return [];
  }
  if (tool === 'kubectl') {
    const [sub, next] = positional;
    if (sub === undefined) return match(KUBECTL_COMMANDS);
    if (next === undefined && sub === 'config') return match(KUBECTL_CONFIG_COMMANDS);
    if (next === undefined && ['get', 'describe'].includes(sub)) return match(KUBECTL_RESOURCES);
    return [];
  }
  return [];
}
