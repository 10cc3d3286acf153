/**
 * `eksctl utils describe-stacks --cluster N [--events] [--resources]`: what eksctl's own log
 * points a user to when creation goes wrong. eksctl prints Go structs (`%#v`); eks-sim prints
 * the same CloudFormation objects as JSON, one log line per stack.
 */
import type { ToolInvocation } from '../tool';
import { checkRegion, fatal, setUp } from './context';
import { bool, str } from './flags';

export function describeStacks(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'events', kind: 'bool', usage: 'include stack events' },
      { name: 'resources', kind: 'bool', usage: 'include stack resources' },
      { name: 'all', kind: 'bool', usage: 'include deleted stacks' },
    ],
    'Describe CloudFormation stack for a given cluster\n\nUsage: eksctl utils describe-stacks [flags]',
  );
  if (typeof e === 'number') return e;
  const name = str(e.flags, 'cluster') ?? e.flags.positionals[0];
  if (!name) return fatal(inv, '--cluster must be set');
  const prov = inv.ctx.domains.provisioning;
  const stacks = checkRegion(e)
    ? []
    : prov.stacks().filter((s) => s.Tags.some((t) => t.Key === 'alpha.eksctl.io/cluster-name' && t.Value === name));
  if (stacks.length === 0) return fatal(inv, `no CloudFormation stacks found for cluster "${name}"`);
  for (const stack of stacks) {
    e.log.info(`stack/${stack.StackName} = ${JSON.stringify(stack)}`);
    if (bool(e.flags, 'resources')) {
      e.log.info(`resources/${stack.StackName} = ${JSON.stringify(prov.stackResources(stack.StackName))}`);
    }
    if (bool(e.flags, 'events')) {
      for (const ev of prov.stackEvents(stack.StackName) ?? []) {
        e.log.info(`events/${stack.StackName} = ${JSON.stringify(ev)}`);
      }
    }
  }
  return 0;
}
