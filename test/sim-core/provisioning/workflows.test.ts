import { describe, expect, it } from 'vitest';
import { eksctl, labWithCluster, labWithoutCluster, SEED_LINE } from '../shell/eksctl/invoke';

const MINUTE = 60_000;

describe("eksctl's workflows on CloudFormation", () => {
  it('delete cluster deletes the node-group stack first, and starts on the cluster stack only once it is gone', () => {
    const sim = labWithCluster(5);
    const prov = sim.domains.provisioning;
    const ngStackId = prov.stack('eksctl-myeks-nodegroup-myeks-nodegroup')?.StackId as string;
    const clusterStackId = prov.stack('eksctl-myeks-cluster')?.StackId as string;
    const run = eksctl(sim, 'delete cluster --name myeks --wait');
    expect(run.code, run.stderr).toBe(0);
    const at = (id: string, status: string) =>
      Date.parse(
        prov.stackEvents(id)?.find((e) => e.LogicalResourceId === e.StackName && e.ResourceStatus === status)
          ?.Timestamp ?? '',
      );
    expect(at(ngStackId, 'DELETE_COMPLETE')).toBeLessThanOrEqual(at(clusterStackId, 'DELETE_IN_PROGRESS'));
    expect(at(ngStackId, 'DELETE_IN_PROGRESS')).toBeLessThan(at(ngStackId, 'DELETE_COMPLETE'));
    expect(prov.stack(clusterStackId)?.StackStatus).toBe('DELETE_COMPLETE');
    expect(prov.stacks()).toEqual([]);
    expect(prov.roles()).toEqual([]);
  });

  it('the node-group stack completes a second after EKS reports the node group ACTIVE: no polling', () => {
    const sim = labWithoutCluster({}, 11);
    eksctl(sim, SEED_LINE);
    const active = sim.events().find((e) => e.type === 'nodegroup.active');
    const complete = sim.events().find((e) => e.type === 'stack.create-complete' && e.source.includes('nodegroup'));
    expect(active).toBeDefined();
    expect((complete?.atMs ?? 0) - (active?.atMs ?? 0)).toBe(1000);
  });

  it('a node-group stack whose nodes cannot join rolls back with EKS’s health issue, and the cluster stack stays', () => {
    const sim = labWithoutCluster({}, 12);
    const run = eksctl(
      sim,
      'create cluster --name myeks --nodegroup-name ng1 --node-private-networking --vpc-private-subnets "$PrivateSubnet1,$PrivateSubnet2" --vpc-public-subnets "$PubSubnet1,$PubSubnet2"',
    );
    expect(run.code).toBe(1);
    const prov = sim.domains.provisioning;
    expect(prov.creation('myeks')).toMatchObject({ phase: 'failed' });
    expect(prov.creation('myeks')?.failure).toMatch(
      /^ManagedNodeGroup: Resource handler returned message: .*NodeCreationFailure/,
    );
    const rolledBack = sim.events().filter((e) => e.type === 'stack.rollback-complete');
    expect(rolledBack.map((e) => e.source)).toEqual(['stack/eksctl-myeks-nodegroup-ng1']);
    expect(prov.stack('eksctl-myeks-cluster')?.StackStatus).toBe('CREATE_COMPLETE');
    // Deleting the failed run takes the rolled-back stack first, as eksctl's cleanup hint says.
    sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' });
    sim.advance(30 * MINUTE);
    expect(prov.stacks()).toEqual([]);
    expect(sim.domains.cluster.cluster).toBeNull();
  });

  it('console delete while the node-group stack is still being created deletes it too, and the cluster after it', () => {
    const sim = labWithoutCluster({}, 13);
    sim.apply({
      type: 'provisioning.create-cluster',
      config: {
        apiVersion: 'eksctl.io/v1alpha5',
        kind: 'ClusterConfig',
        metadata: { name: 'myeks', region: 'ap-northeast-2', version: '1.28' },
        managedNodeGroups: [{ name: 'a', instanceType: 't3.medium', desiredCapacity: 1 }],
      },
    });
    const prov = sim.domains.provisioning;
    while (prov.stack('eksctl-myeks-nodegroup-a') === undefined) sim.advance(1000);
    expect(prov.stack('eksctl-myeks-nodegroup-a')?.StackStatus).toBe('CREATE_IN_PROGRESS');
    expect(sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' }).ok).toBe(true);
    sim.advance(30 * MINUTE);
    expect(prov.stacks()).toEqual([]);
    expect(sim.domains.cluster.cluster).toBeNull();
    expect(sim.domains.nodegroups.all).toEqual([]);
  });
});
