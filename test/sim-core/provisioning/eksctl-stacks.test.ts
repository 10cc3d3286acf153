import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeRoleManagedPolicies } from '../../../packages/sim-core/src/provisioning/facts';
import { eksctl, labWithCluster, labWithoutCluster, SEED_LINE } from '../shell/eksctl/invoke';

const MINUTE = 60_000;

describe("eksctl's CloudFormation stacks (docs/lessons/seed-week1.md, eksctl.io (VPC Networking))", () => {
  it("the seed's line creates the cluster stack, then the node-group stack, both CREATE_COMPLETE in 10-15 simulated minutes, for any seed", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        const sim = labWithoutCluster({}, seed);
        const run = eksctl(sim, SEED_LINE);
        expect(run.code, run.stderr).toBe(0);
        expect(run.tookMs).toBeGreaterThanOrEqual(10 * MINUTE);
        expect(run.tookMs).toBeLessThanOrEqual(15 * MINUTE);
        const prov = sim.domains.provisioning;
        expect(prov.stacks().map((s) => [s.StackName, s.StackStatus])).toEqual([
          ['eksctl-myeks-cluster', 'CREATE_COMPLETE'],
          ['eksctl-myeks-nodegroup-myeks-nodegroup', 'CREATE_COMPLETE'],
        ]);
        const clusterDone = prov.stackEvents('eksctl-myeks-cluster')?.[0];
        const ngStarted = prov.stackEvents('eksctl-myeks-nodegroup-myeks-nodegroup')?.at(-1);
        expect(clusterDone?.ResourceStatus).toBe('CREATE_COMPLETE');
        expect(ngStarted?.ResourceStatus).toBe('CREATE_IN_PROGRESS');
        expect(Date.parse(ngStarted?.Timestamp ?? '')).toBeGreaterThan(Date.parse(clusterDone?.Timestamp ?? ''));
        expect(sim.domains.cluster.status).toBe('ACTIVE');
        expect(sim.domains.nodegroups.find('myeks-nodegroup')?.status).toBe('ACTIVE');
      }),
      { numRuns: 12 },
    );
  });

  it('the stacks hold the resources eksctl names: ControlPlane, ServiceRole, the security groups and ingress rules; NodeInstanceRole, the ExternalDNS policies, SSH, LaunchTemplate, ManagedNodeGroup', () => {
    const sim = labWithoutCluster();
    eksctl(sim, SEED_LINE);
    const prov = sim.domains.provisioning;
    const ids = (stack: string) =>
      (prov.stackResources(stack) ?? []).map((r) => `${r.LogicalResourceId}:${r.ResourceType}`).sort();
    expect(ids('eksctl-myeks-cluster')).toEqual([
      'ClusterSharedNodeSecurityGroup:AWS::EC2::SecurityGroup',
      'ControlPlane:AWS::EKS::Cluster',
      'ControlPlaneSecurityGroup:AWS::EC2::SecurityGroup',
      'IngressDefaultClusterToNodeSG:AWS::EC2::SecurityGroupIngress',
      'IngressInterNodeGroupSG:AWS::EC2::SecurityGroupIngress',
      'IngressNodeToDefaultClusterSG:AWS::EC2::SecurityGroupIngress',
      'ServiceRole:AWS::IAM::Role',
    ]);
    expect(ids('eksctl-myeks-nodegroup-myeks-nodegroup')).toEqual([
      'LaunchTemplate:AWS::EC2::LaunchTemplate',
      'ManagedNodeGroup:AWS::EKS::Nodegroup',
      'NodeInstanceRole:AWS::IAM::Role',
      'PolicyExternalDNSChangeSet:AWS::IAM::Policy',
      'PolicyExternalDNSHostedZones:AWS::IAM::Policy',
      'SSH:AWS::EC2::SecurityGroup',
    ]);
    for (const r of prov.stackResources('eksctl-myeks-cluster') ?? []) {
      expect(r.ResourceStatus).toBe('CREATE_COMPLETE');
      expect(r.PhysicalResourceId).not.toBe('');
    }
    expect(
      prov.stackResources('eksctl-myeks-cluster')?.find((r) => r.LogicalResourceId === 'ControlPlane')
        ?.PhysicalResourceId,
    ).toBe('myeks');
    // Every resource went CREATE_IN_PROGRESS before CREATE_COMPLETE; the API lists events newest first.
    const events = [...(prov.stackEvents('eksctl-myeks-cluster') ?? [])].reverse();
    for (const r of prov.stackResources('eksctl-myeks-cluster') ?? []) {
      const statuses = events.filter((e) => e.LogicalResourceId === r.LogicalResourceId).map((e) => e.ResourceStatus);
      expect(statuses).toEqual(['CREATE_IN_PROGRESS', 'CREATE_COMPLETE']);
    }
    const stack = prov.stack('eksctl-myeks-cluster');
    expect(stack?.StackId).toMatch(/^arn:aws:cloudformation:ap-northeast-2:111122223333:stack\/eksctl-myeks-cluster\//);
    expect(prov.stack(stack?.StackId ?? '')?.StackName).toBe('eksctl-myeks-cluster');
  });

  it('the node role has 6 policies: 4 AWS managed, then the 2 inline ExternalDNS ones (docs/eksctl.md), and a name cut to 64 characters like the seed’s', () => {
    const sim = labWithoutCluster();
    eksctl(sim, SEED_LINE);
    const prov = sim.domains.provisioning;
    const role = prov.nodeRole('myeks', 'myeks-nodegroup');
    expect(role?.RoleName).toMatch(/^eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-[A-Za-z0-9]{12}$/);
    expect(role?.RoleName.length).toBe(64);
    expect(role?.AttachedPolicies.map((p) => p.PolicyName)).toEqual([
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonSSMManagedInstanceCore',
    ]);
    expect(role?.AttachedPolicies[0]?.PolicyArn).toBe('arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy');
    expect(role?.PolicyNames).toEqual([
      'eksctl-myeks-nodegroup-myeks-nodegroup-PolicyExternalDNSChangeSet',
      'eksctl-myeks-nodegroup-myeks-nodegroup-PolicyExternalDNSHostedZones',
    ]);
    const changeSet = prov.rolePolicy(role?.RoleName ?? '', role?.PolicyNames[0] ?? '');
    expect(changeSet?.PolicyDocument.Statement[0]?.Action).toEqual(['route53:ChangeResourceRecordSets']);
    expect(changeSet?.PolicyDocument.Statement[0]?.Resource).toBe('arn:aws:route53:::hostedzone/*');
    const zones = prov.rolePolicy(role?.RoleName ?? '', role?.PolicyNames[1] ?? '');
    expect(zones?.PolicyDocument.Statement[0]?.Action).toEqual([
      'route53:ListHostedZones',
      'route53:ListResourceRecordSets',
      'route53:ListTagsForResource',
    ]);
    // The node group runs with that role.
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.nodeRoleArn).toBe(role?.Arn);
  });

  it('the cluster role carries AmazonEKSClusterPolicy and AmazonEKSVPCResourceController, and the cluster runs with it', () => {
    const sim = labWithoutCluster();
    eksctl(sim, SEED_LINE);
    const role = sim.domains.provisioning.clusterRole('myeks');
    expect(role?.RoleName).toMatch(/^eksctl-myeks-cluster-ServiceRole-[A-Za-z0-9]{12}$/);
    expect(role?.AttachedPolicies.map((p) => p.PolicyName)).toEqual([
      'AmazonEKSClusterPolicy',
      'AmazonEKSVPCResourceController',
    ]);
    expect(role?.PolicyNames).toEqual([]);
    expect(role?.AssumeRolePolicyDocument.Statement[0]?.Principal).toEqual({ Service: ['eks.amazonaws.com'] });
    expect(sim.domains.cluster.cluster?.roleArn).toBe(role?.Arn);
  });

  it('without --external-dns-access the node role has only its 4 managed policies', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, SEED_LINE.replace(' --external-dns-access', ''));
    expect(run.code, run.stderr).toBe(0);
    const role = sim.domains.provisioning.nodeRole('myeks', 'myeks-nodegroup');
    expect(role?.AttachedPolicies).toHaveLength(4);
    expect(role?.PolicyNames).toEqual([]);
  });

  it('with --with-oidc the VPC CNI policy leaves the node role (eksctl.io (VPC Networking)) and eksctl associates the OIDC provider', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, `${SEED_LINE} --with-oidc`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('associate IAM OIDC provider');
    expect(run.stdout).toContain('[✔]  created IAM Open ID Connect provider for cluster "myeks" in "ap-northeast-2"');
    const names = sim.domains.provisioning
      .nodeRole('myeks', 'myeks-nodegroup')
      ?.AttachedPolicies.map((p) => p.PolicyName);
    expect(names).not.toContain('AmazonEKS_CNI_Policy');
    expect(names).toHaveLength(3);
  });

  it('after mid-2025 the node role gets AmazonEC2ContainerRegistryPullOnly instead of ReadOnly', () => {
    expect(nodeRoleManagedPolicies('2024-03-10')).toContain('AmazonEC2ContainerRegistryReadOnly');
    const sim = labWithoutCluster({ start: '2025-08-01T09:00:00Z' });
    const run = eksctl(sim, SEED_LINE.replace('--version 1.28', '--version 1.32'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('eksctl version 0.191.0');
    const names = sim.domains.provisioning
      .nodeRole('myeks', 'myeks-nodegroup')
      ?.AttachedPolicies.map((p) => p.PolicyName);
    expect(names).toContain('AmazonEC2ContainerRegistryPullOnly');
    expect(names).not.toContain('AmazonEC2ContainerRegistryReadOnly');
  });

  it('the four security groups of docs/endpoint-modes.md exist with their names once the seed’s line has run', () => {
    const sim = labWithoutCluster();
    eksctl(sim, SEED_LINE);
    const names = sim.domains.network.view().securityGroups.map((g) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^eksctl-myeks-cluster-ControlPlaneSecurityGroup-\w+$/),
        expect.stringMatching(/^eksctl-myeks-cluster-ClusterSharedNodeSecurityGroup-\w+$/),
        'eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess',
        expect.stringMatching(/^eks-cluster-sg-myeks-\d+$/),
      ]),
    );
    const prov = sim.domains.provisioning;
    const sgOf = (stack: string, id: string) =>
      prov.stackResources(stack)?.find((r) => r.LogicalResourceId === id)?.PhysicalResourceId;
    const cpSg = sim.domains.network.group(sgOf('eksctl-myeks-cluster', 'ControlPlaneSecurityGroup') ?? '');
    expect(cpSg?.name).toMatch(/ControlPlaneSecurityGroup/);
    const ssh = sim.domains.network.group(sgOf('eksctl-myeks-nodegroup-myeks-nodegroup', 'SSH') ?? '');
    expect(ssh?.name).toBe('eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess');
  });

  it('a scenario that starts with the cluster built has both stacks CREATE_COMPLETE and both roles at once', () => {
    const sim = labWithCluster();
    const prov = sim.domains.provisioning;
    expect(prov.stacks().map((s) => [s.StackName, s.StackStatus])).toEqual([
      ['eksctl-myeks-cluster', 'CREATE_COMPLETE'],
      ['eksctl-myeks-nodegroup-myeks-nodegroup', 'CREATE_COMPLETE'],
    ]);
    const nodeRole = prov.nodeRole('myeks', 'myeks-nodegroup');
    expect((nodeRole?.AttachedPolicies.length ?? 0) + (nodeRole?.PolicyNames.length ?? 0)).toBe(6);
    expect(sim.domains.cluster.cluster?.roleArn).toBe(prov.clusterRole('myeks')?.Arn);
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.nodeRoleArn).toBe(nodeRole?.Arn);
    expect(new Set(prov.stackResources('eksctl-myeks-cluster')?.map((r) => r.LogicalResourceId)).size).toBe(7);
    expect(sim.snapshot().provisioning.stacks).toHaveLength(2);
  });

  it('the same seed gives the same stacks, names and events, byte for byte', () => {
    const runOnce = () => {
      const sim = labWithoutCluster({}, 7);
      const out = eksctl(sim, SEED_LINE).stdout;
      return JSON.stringify([out, sim.snapshot().provisioning, sim.events()]);
    };
    expect(runOnce()).toBe(runOnce());
  });
});
