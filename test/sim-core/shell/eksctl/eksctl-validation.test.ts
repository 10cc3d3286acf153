import { describe, expect, it } from 'vitest';
import { eksctl, labWithCluster, labWithoutCluster, SEED_LINE } from './invoke';

describe('eksctl validates like eksctl', () => {
  it('refuses an instance type EC2 does not have, with eksctl’s words and the type it probably meant', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, `${SEED_LINE.replace('--node-type=t3.medium', '--node-type=t3.medum')}`);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Error: none of the provided AZs "ap-northeast-2a,ap-northeast-2c" support instance type t3.medum in nodegroup myeks-nodegroup (EC2 has no instance type "t3.medum"; did you mean t3.medium?)\n',
    );
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.domains.nodegroups.find('myeks-nodegroup')).toBeUndefined();
  });

  it('refuses a single public subnet as eksctl does: at least 2 of each kind given', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster --name myeks --vpc-public-subnets $PubSubnet1 --node-type t3.medium');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Error: insufficient number of subnets, at least 2x public and/or 2x private subnets are required\n',
    );
    expect(sim.domains.provisioning.stacks()).toEqual([]);
  });

  it('refuses fewer than two zones, in eksctl’s words', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster --name myeks --zones ap-northeast-2a');
    expect(run.stderr).toBe('Error: only 1 zone(s) specified [ap-northeast-2a], 2 are required (can be non-unique)\n');
  });

  it('the nodes land only in the subnets given (a plan’s subnetIds), not in every subnet of the kind', () => {
    const sim = labWithCluster();
    const [first, second] = sim.domains.network.subnetsOfKind('public');
    const created = sim.domains.nodegroups.create(
      { name: 'ng2', instanceType: 't3.large', desiredCapacity: 3, subnets: 'public' },
      { subnetIds: [second?.id as string] },
    );
    expect(typeof created).not.toBe('string');
    const nodes = sim.domains.nodegroups.find('ng2')?.nodes ?? [];
    expect(nodes).toHaveLength(3);
    for (const node of nodes) expect(node.subnetId).toBe(second?.id);
    expect(nodes.some((n) => n.subnetId === first?.id)).toBe(false);
  });
});
