import { stringify as toYaml } from 'yaml';
import type { ClusterRecord } from '../../cluster/types';

/**
 * The kubeconfig eksctl writes for a cluster (`eksctl create cluster`, `eksctl utils
 * write-kubeconfig`): the cluster's endpoint, a context named by its ARN, and a user whose token
 * comes from `aws eks get-token` (eksctl.io, "Getting started": eksctl writes ~/.kube/config).
 */
export function eksctlKubeconfig(cluster: Pick<ClusterRecord, 'arn' | 'endpoint' | 'name'>, region: string): string {
  const arn = cluster.arn;
  return toYaml({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ cluster: { server: cluster.endpoint }, name: arn }],
    contexts: [{ context: { cluster: arn, user: arn }, name: arn }],
    'current-context': arn,
    users: [
      {
        name: arn,
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: 'aws',
            args: ['eks', 'get-token', '--output', 'json', '--cluster-name', cluster.name, '--region', region],
          },
        },
      },
    ],
  });
}
