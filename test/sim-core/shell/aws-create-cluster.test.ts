import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

describe('aws eks create-cluster in the simulated shell', () => {
  it('keeps the role, tags and subnets it was given; describe-cluster shows them', () => {
    const sim = createSimulation(scenarios['seed-lab']);
    const subnets = sim.exec('echo $PubSubnet1 $PubSubnet2').stdout.trim().split(' ');
    expect(subnets).toHaveLength(2);
    expect(subnets.every((id) => id.startsWith('subnet-'))).toBe(true);
    const created = sim.exec(
      'aws eks create-cluster --name myeks --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=$PubSubnet1,$PubSubnet2 --tags team=platform,env=lab',
    );
    expect(created.exitCode).toBe(0);
    const cluster = JSON.parse(sim.exec('aws eks describe-cluster --name myeks').stdout).cluster;
    expect(cluster.roleArn).toBe('arn:aws:iam::111122223333:role/eks');
    expect(cluster.tags).toEqual({ team: 'platform', env: 'lab' });
    expect(cluster.resourcesVpcConfig.subnetIds).toEqual(subnets);
  });

  it('refuses a subnet the VPC does not have with EKS’s InvalidParameterException, creating nothing', () => {
    const sim = createSimulation(scenarios['seed-lab']);
    const refused = sim.exec(
      'aws eks create-cluster --name myeks --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=subnet-0000000000000dead,$PubSubnet1',
    );
    expect(refused.exitCode).toBe(254);
    expect(refused.stderr).toContain('(InvalidParameterException)');
    expect(refused.stderr).toContain("The subnet ID 'subnet-0000000000000dead' does not exist");
    expect(sim.exec('aws eks list-clusters --query clusters --output text').stdout.trim()).toBe('');
  });
});
