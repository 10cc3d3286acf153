/** `eksctl utils write-kubeconfig`: an EKS API read, then a file on the vantage. */
import type { ToolInvocation } from '../tool';
import { checkRegion, fatal, setUp } from './context';
import { str } from './flags';
import { eksctlKubeconfig } from './kubeconfig';

export function writeKubeconfig(inv: ToolInvocation, args: readonly string[]): number {
  const e = setUp(
    inv,
    args,
    [
      { name: 'cluster', short: 'c', kind: 'string', usage: 'EKS cluster name' },
      { name: 'kubeconfig', kind: 'string', usage: 'path to write kubeconfig (default "/root/.kube/config")' },
    ],
    'Write kubeconfig file for a given cluster\n\nUsage: eksctl utils write-kubeconfig [flags]',
  );
  if (typeof e === 'number') return e;
  const name = str(e.flags, 'cluster') ?? e.flags.positionals[0];
  if (!name) return fatal(inv, '--cluster must be set');
  const cluster = inv.ctx.domains.cluster.cluster;
  if (!cluster || cluster.name !== name || checkRegion(e)) {
    return fatal(
      inv,
      `unable to describe cluster control plane: ResourceNotFoundException: No cluster found for name: ${name}.`,
    );
  }
  const path = str(e.flags, 'kubeconfig') ?? `${inv.env.HOME ?? '/root'}/.kube/config`;
  inv.writeFile?.(path, eksctlKubeconfig(cluster, e.region));
  e.log.success(`saved kubeconfig as "${path}"`);
  return 0;
}
