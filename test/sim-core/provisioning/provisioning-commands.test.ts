import { describe, expect, it } from 'vitest';
import { eksctl, labWithCluster, labWithoutCluster } from '../shell/eksctl/invoke';

const CONFIG = {
  apiVersion: 'eksctl.io/v1alpha5',
  kind: 'ClusterConfig',
  metadata: { name: 'myeks', region: 'ap-northeast-2', version: '1.28' },
  managedNodeGroups: [
    {
      name: 'myeks-nodegroup',
      instanceType: 't3.medium',
      desiredCapacity: 2,
      volumeSize: 30,
      ssh: { allow: true },
      iam: { withAddonPolicies: { externalDNS: true } },
    },
  ],
};

describe('provisioning commands (the same stacks without the shell)', () => {
  it('provisioning.create-cluster takes a ClusterConfig and builds both stacks on the clock', () => {
    const sim = labWithoutCluster();
    const result = sim.apply({ type: 'provisioning.create-cluster', config: CONFIG });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(sim.domains.provisioning.stack('eksctl-myeks-cluster')?.StackStatus).toBe('CREATE_IN_PROGRESS');
    sim.advance(15 * 60_000);
    expect(sim.domains.provisioning.stacks().map((s) => s.StackStatus)).toEqual(['CREATE_COMPLETE', 'CREATE_COMPLETE']);
    expect(sim.domains.provisioning.creation('myeks')?.phase).toBe('complete');
  });

  it('a config eksctl would refuse is refused with the field named, and nothing changes', () => {
    const sim = labWithoutCluster();
    const before = sim.events().length;
    const bad = sim.apply({
      type: 'provisioning.create-cluster',
      config: { ...CONFIG, vpc: { clusterEndpoints: { publicAccess: false, privateAccess: true } } },
    });
    expect(bad).toMatchObject({ ok: false, code: 'InvalidParameterException' });
    const unknown = sim.apply({
      type: 'provisioning.create-cluster',
      config: { ...CONFIG, fargateProfiles: [{ name: 'fp' }] },
    });
    expect(unknown.ok ? '' : unknown.error).toContain('fargateProfiles');
    expect(sim.events().length).toBe(before);
    expect(sim.domains.provisioning.stacks()).toEqual([]);
  });

  it('provisioning.delete-cluster deletes from the console: it works while the bastion is locked out (docs/endpoint-modes.md)', () => {
    const sim = labWithCluster();
    eksctl(
      sim,
      'utils update-cluster-vpc-config --cluster=myeks --private-access=true --public-access=false --approve',
    );
    expect(eksctl(sim, 'delete cluster --name myeks').code).toBe(1);
    const result = sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' });
    expect(result.ok, JSON.stringify(result)).toBe(true);
    sim.advance(15 * 60_000);
    expect(sim.domains.cluster.cluster).toBeNull();
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' })).toMatchObject({
      ok: false,
      code: 'ResourceNotFoundException',
    });
  });

  it('a scenario timeline can create the cluster with it, and the same seed replays to the same log', () => {
    const run = () => {
      const sim = labWithoutCluster({ timeline: [] }, 3);
      sim.schedule(sim.now() + 60_000, { type: 'provisioning.create-cluster', config: CONFIG });
      sim.advance(20 * 60_000);
      return JSON.stringify(sim.events());
    };
    const log = run();
    expect(log).toContain('stack.create-complete');
    expect(run()).toBe(log);
  });
});
