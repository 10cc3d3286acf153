import { describe, expect, it } from 'vitest';
import { eksctl, labWithCluster, labWithoutCluster, SEED_LINE } from './invoke';

const TIMESTAMPED = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \[(ℹ|✔|!|✖|▶)\] {2}/;

/** The seed's switch to a private endpoint (docs/endpoint-modes.md), approved and waited for. */
function goPrivate(sim: ReturnType<typeof labWithCluster>) {
  return eksctl(
    sim,
    'utils update-cluster-vpc-config --cluster=myeks --private-access=true --public-access=false --approve',
  );
}

describe('eksctl get cluster / get nodegroup', () => {
  it('lists the seed’s cluster and node group in eksctl’s tables', () => {
    const sim = labWithCluster();
    const list = eksctl(sim, 'get cluster');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+REGION\s+EKSCTL CREATED$/);
    expect(list.stdout.split('\n')[1]).toMatch(/^myeks\s+ap-northeast-2\s+True$/);
    const one = eksctl(sim, 'get cluster --name myeks -o json');
    const [cluster] = JSON.parse(one.stdout) as { Name: string; Status: string; Version: string }[];
    expect(cluster).toMatchObject({ Name: 'myeks', Status: 'ACTIVE', Version: '1.28' });
    const groups = eksctl(sim, 'get nodegroup --cluster myeks');
    expect(groups.stdout.split('\n')[0]).toMatch(
      /^CLUSTER\s+NODEGROUP\s+STATUS\s+CREATED\s+MIN SIZE\s+MAX SIZE\s+DESIRED CAPACITY/,
    );
    expect(groups.stdout.split('\n')[1]).toMatch(
      /^myeks\s+myeks-nodegroup\s+ACTIVE\s+\S+\s+2\s+2\s+2\s+t3\.medium\s+AL2_x86_64\s+eks-myeks-nodegroup-[0-9a-f-]{36}\s+managed$/,
    );
  });

  it('a cluster that does not exist is an EKS ResourceNotFoundException', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'get cluster --name nope');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('ResourceNotFoundException: No cluster found for name: nope.');
    expect(eksctl(sim, 'get nodegroup').stderr).toBe('Error: --cluster must be set\n');
  });
});

describe('eksctl create cluster: the log the seed’s author saw (docs/lessons/seed-week1.md)', () => {
  it('prints eksctl’s lines with timestamps as the stacks move, ending with the cluster ready', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, SEED_LINE);
    const lines = run.stdout.split('\n').filter((l) => TIMESTAMPED.test(l));
    expect(lines[0]).toBe('2024-03-10 09:00:00 [ℹ]  eksctl version 0.173.0');
    expect(run.stdout).toContain('[ℹ]  building cluster stack "eksctl-myeks-cluster"');
    expect(run.stdout).toContain('[ℹ]  waiting for CloudFormation stack "eksctl-myeks-cluster"');
    expect(run.stdout).toContain('[ℹ]  building managed nodegroup stack "eksctl-myeks-nodegroup-myeks-nodegroup"');
    expect(run.stdout).toContain('[ℹ]  waiting for CloudFormation stack "eksctl-myeks-nodegroup-myeks-nodegroup"');
    expect(run.stdout).toContain('[▶]  cfg.json = '); // --verbose 4 shows debug lines
    expect(run.stdout).toMatch(/\[ℹ\] {2}node "ip-192-168-[12]-\d+\.ap-northeast-2\.compute\.internal" is ready/);
    expect(lines.at(-1)).toMatch(/\[✔\] {2}EKS cluster "myeks" in "ap-northeast-2" region is ready$/);
    // The clock in the log is the simulated clock.
    const last = lines.at(-1)?.slice(0, 19) ?? '';
    expect(Date.parse(`${last.replace(' ', 'T')}Z`)).toBe(sim.now() - (sim.now() % 1000));
    expect(run.files.get('/root/.kube/config')).toContain('- get-token');
    const quiet = eksctl(labWithoutCluster(), SEED_LINE.replace('--verbose 4', ''));
    expect(quiet.stdout).not.toContain('[▶]');
  });
});

describe('eksctl utils update-cluster-vpc-config (eksctl.io (Cluster Access))', () => {
  it('without --approve it only shows the plan, and nothing changes', () => {
    const sim = labWithCluster();
    const run = eksctl(
      sim,
      'utils update-cluster-vpc-config --cluster=myeks --private-access=true --public-access=false',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'will update Kubernetes API endpoint access for cluster "myeks" in "ap-northeast-2" to: privateAccess=true, publicAccess=false',
    );
    expect(run.stdout).toContain("[!]  no changes were applied, run again with '--approve' to apply the changes");
    expect(run.tookMs).toBe(0);
    expect(sim.domains.cluster.cluster?.resourcesVpcConfig.endpointPublicAccess).toBe(true);
    expect(sim.domains.cluster.cluster?.updates).toEqual([]);
  });

  it('with --approve it waits for the EndpointAccessUpdate and the endpoint is private afterwards', () => {
    const sim = labWithCluster();
    const run = goPrivate(sim);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('waiting for requested "EndpointAccessUpdate" in cluster "myeks" to succeed');
    expect(run.stdout).toContain(
      '[✔]  Kubernetes API endpoint access for cluster "myeks" in "ap-northeast-2" has been updated to: privateAccess=true, publicAccess=false',
    );
    expect(run.tookMs).toBeGreaterThan(60_000);
    const vpc = sim.domains.cluster.cluster?.resourcesVpcConfig;
    expect([vpc?.endpointPublicAccess, vpc?.endpointPrivateAccess]).toEqual([false, true]);
    expect(sim.domains.cluster.cluster?.updates[0]).toMatchObject({
      type: 'EndpointAccessUpdate',
      status: 'Successful',
    });
  });

  it('--public-access-cidrs limits the public endpoint, shown first and applied with --approve', () => {
    const sim = labWithCluster();
    const plan = eksctl(sim, 'utils update-cluster-vpc-config --cluster=myeks --public-access-cidrs=203.0.113.7/32');
    expect(plan.stdout).toContain('current public access CIDRs: [0.0.0.0/0]');
    expect(plan.stdout).toContain(
      'will update public access CIDRs for cluster "myeks" in "ap-northeast-2" to: [203.0.113.7/32]',
    );
    const run = eksctl(
      sim,
      'utils update-cluster-vpc-config --cluster=myeks --public-access-cidrs=203.0.113.7/32 --approve',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(sim.domains.cluster.cluster?.resourcesVpcConfig.publicAccessCidrs).toEqual(['203.0.113.7/32']);
  });

  it('both accesses off is refused before anything is asked of EKS', () => {
    const sim = labWithCluster();
    const run = eksctl(
      sim,
      'utils update-cluster-vpc-config --cluster=myeks --private-access=false --public-access=false --approve',
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('must have one of public or private clusterEndpoints enabled');
    expect(sim.domains.cluster.cluster?.updates).toEqual([]);
  });
});

describe('eksctl delete cluster (docs/endpoint-modes.md)', () => {
  it('from a bastion locked out by the private endpoint it fails with eksctl’s i/o timeout, and the cluster stays', () => {
    const sim = labWithCluster();
    expect(goPrivate(sim).code).toBe(0);
    expect(sim.domains.endpoint.reach('bastion').reachable).toBe(false);
    const run = eksctl(sim, 'delete cluster --name myeks');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '[ℹ]  cleaning up AWS load balancers created by Kubernetes objects of Kind Service or Ingress',
    );
    const endpoint = sim.domains.cluster.cluster?.endpoint ?? '';
    expect(run.stderr).toMatch(
      new RegExp(
        `^Error: cannot list Kubernetes Services: Get "${endpoint.replace(/\./g, '\\.')}/api/v1/services": dial tcp 192\\.168\\.\\d+\\.\\d+:443: i/o timeout\n`,
      ),
    );
    expect(run.stderr).toContain('eks-sim: bastion cannot reach the API server in private mode, refused at');
    expect(run.tookMs).toBe(30_000);
    expect(sim.domains.cluster.status).toBe('ACTIVE');
    expect(sim.domains.provisioning.stacks()).toHaveLength(2);
  });

  it('once the cluster security group allows the bastion on 443, the same command deletes everything', () => {
    const sim = labWithCluster();
    goPrivate(sim);
    const bastion = sim.domains.network.host('bastion');
    const sgId = sim.domains.cluster.cluster?.resourcesVpcConfig.clusterSecurityGroupId ?? '';
    const fix = sim.apply({ type: 'sg.add-rule', group: sgId, port: 443, source: `${bastion?.privateIp}/32` });
    expect(fix.ok, JSON.stringify(fix)).toBe(true);
    expect(sim.domains.endpoint.reach('bastion').reachable).toBe(true);
    const run = eksctl(sim, 'delete cluster --name myeks --wait');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('[ℹ]  will delete stack "eksctl-myeks-nodegroup-myeks-nodegroup"');
    expect(run.stdout).toContain('[ℹ]  will delete stack "eksctl-myeks-cluster"');
    expect(run.stdout).toContain('[✔]  all cluster resources were deleted');
    expect(sim.domains.cluster.cluster).toBeNull();
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.domains.provisioning.roles()).toEqual([]);
    // CloudFormation deleted what the stacks made: the node group and eksctl's security groups.
    expect(sim.domains.nodegroups.all).toEqual([]);
    expect(sim.domains.network.view().securityGroups.filter((g) => g.name.startsWith('eksctl-'))).toEqual([]);
    const events = sim.events().map((e) => e.type);
    expect(events).toContain('stack.delete-in-progress');
    expect(events.filter((t) => t === 'stack.delete-complete')).toHaveLength(2);
  });

  it('in public mode it deletes the node-group stack first, then the cluster stack (without --wait it does not wait for the latter)', () => {
    const sim = labWithCluster();
    const run = eksctl(sim, 'delete cluster --name myeks');
    expect(run.code, run.stderr).toBe(0);
    expect(sim.domains.provisioning.stack('eksctl-myeks-nodegroup-myeks-nodegroup')).toBeUndefined();
    expect(sim.domains.provisioning.stack('eksctl-myeks-cluster')?.StackStatus).toBe('DELETE_IN_PROGRESS');
    expect(sim.domains.cluster.status).toBe('DELETING');
    sim.advance(10 * 60_000);
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.domains.cluster.cluster).toBeNull();
    // The deleted stack's events stay readable by its StackId, as in CloudFormation.
    expect(eksctl(sim, 'get cluster').stdout).toContain('no clusters found');
  });

  it('a cluster that is not there is refused', () => {
    const run = eksctl(labWithoutCluster(), 'delete cluster --name myeks');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No cluster found for name: myeks.');
  });
});

describe('eksctl upgrade cluster / upgrade nodegroup (docs/versions-and-cost.md)', () => {
  it('without --approve the cluster upgrade only shows its plan; with it, the control plane moves one minor version', () => {
    const sim = labWithCluster();
    const plan = eksctl(sim, 'upgrade cluster --name myeks');
    expect(plan.stdout).toContain('will upgrade cluster "myeks" control plane from current version "1.28" to "1.29"');
    expect(plan.stdout).toContain("no changes were applied, run again with '--approve'");
    expect(sim.domains.cluster.cluster?.version).toBe('1.28');
    expect(eksctl(sim, 'upgrade cluster --name myeks --version 1.30 --approve').stderr).toContain(
      'can only be upgraded to "1.29"',
    );
    const run = eksctl(sim, 'upgrade cluster --name myeks --approve');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('waiting for requested "VersionUpdate" in cluster "myeks" to succeed');
    expect(run.stdout).toContain('[✔]  cluster "myeks" control plane has been upgraded to version "1.29"');
    expect(sim.domains.cluster.cluster?.version).toBe('1.29');
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.version).toBe('1.28');
  });

  it('upgrade nodegroup brings the nodes to the control plane’s version and updates the node-group stack', () => {
    const sim = labWithCluster();
    eksctl(sim, 'upgrade cluster --name myeks --approve');
    const run = eksctl(sim, 'upgrade nodegroup --name myeks-nodegroup --cluster myeks');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('[✔]  nodegroup successfully upgraded');
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.version).toBe('1.29');
    expect(sim.domains.provisioning.stack('eksctl-myeks-nodegroup-myeks-nodegroup')?.StackStatus).toBe(
      'UPDATE_COMPLETE',
    );
  });
});

describe('eksctl create cluster --managed=false', () => {
  it('makes an unmanaged node group: a NodeGroup auto scaling group with an SG, launch template and instance profile', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, `${SEED_LINE} --managed=false`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('with un-managed nodes');
    const ids = sim.domains.provisioning
      .stackResources('eksctl-myeks-nodegroup-myeks-nodegroup')
      ?.map((r) => r.LogicalResourceId);
    expect(ids).toEqual(expect.arrayContaining(['NodeGroup', 'SG', 'NodeGroupLaunchTemplate', 'NodeInstanceProfile']));
    expect(ids).not.toContain('ManagedNodeGroup');
    expect(eksctl(sim, 'get nodegroup --cluster myeks').stdout.split('\n')[1]).toMatch(/\sunmanaged$/);
  });
});

describe('eksctl create cluster when the nodes cannot join', () => {
  it('private nodes with no NAT and a public-only endpoint fail the node-group stack, and eksctl reports the resource', () => {
    const sim = labWithoutCluster();
    const run = eksctl(
      sim,
      'create cluster --name myeks --nodegroup-name ng1 --node-private-networking --vpc-private-subnets "$PrivateSubnet1,$PrivateSubnet2" --vpc-public-subnets "$PubSubnet1,$PubSubnet2"',
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      '[✖]  unexpected status "ROLLBACK_COMPLETE" while waiting for CloudFormation stack "eksctl-myeks-nodegroup-ng1"',
    );
    expect(run.stdout).toContain('AWS::EKS::Nodegroup/ManagedNodeGroup: CREATE_FAILED');
    expect(run.stdout).toContain('NodeCreationFailure');
    expect(run.stderr).toBe('Error: failed to create cluster "myeks"\n');
    const prov = sim.domains.provisioning;
    expect(prov.stack('eksctl-myeks-cluster')?.StackStatus).toBe('CREATE_COMPLETE');
    expect(prov.stack('eksctl-myeks-nodegroup-ng1')?.StackStatus).toBe('ROLLBACK_COMPLETE');
  });
});

describe('eksctl create cluster -f with a field left empty', () => {
  it('accepts an unmodelled field that asks for nothing (taints: [])', () => {
    const sim = labWithoutCluster();
    const yaml =
      'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: myeks\n  region: ap-northeast-2\nmanagedNodeGroups:\n  - name: ng\n    instanceType: t3.medium\n    taints: []\n';
    const run = eksctl(sim, 'create cluster -f c.yaml --dry-run', { files: new Map([['/root/c.yaml', yaml]]) });
    expect(run.code, run.stderr).toBe(0);
  });
});

describe('eksctl utils describe-stacks', () => {
  it('shows the cluster’s stacks (and with --events their events), as eksctl’s create log suggests', () => {
    const sim = labWithCluster();
    const run = eksctl(sim, 'utils describe-stacks --region=ap-northeast-2 --cluster=myeks --events');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[ℹ\] {2}stack\/eksctl-myeks-cluster = \{"StackId":"arn:aws:cloudformation:/);
    expect(run.stdout).toContain('stack/eksctl-myeks-nodegroup-myeks-nodegroup = ');
    expect(run.stdout).toContain('"ResourceStatus":"CREATE_COMPLETE"');
    expect(eksctl(sim, 'utils describe-stacks --cluster=other').stderr).toContain('no CloudFormation stacks found');
  });
});

describe('the other commands read -f too', () => {
  const myeks = (extra: string) =>
    `apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: myeks\n  region: ap-northeast-2\n${extra}`;

  it('update-cluster-vpc-config -f applies vpc.clusterEndpoints and publicAccessCIDRs, and refuses the control-plane subnet fields of fixture 38', () => {
    const sim = labWithCluster();
    const files = new Map([
      [
        '/root/ep.yaml',
        myeks(
          'vpc:\n  clusterEndpoints:\n    publicAccess: true\n    privateAccess: true\n  publicAccessCIDRs: ["203.0.113.7/32"]\n',
        ),
      ],
      [
        '/root/38.yaml',
        myeks('vpc:\n  controlPlaneSubnetIDs: [subnet-1234]\n  controlPlaneSecurityGroupIDs: [sg-1234]\n'),
      ],
    ]);
    const refused = eksctl(sim, 'utils update-cluster-vpc-config -f 38.yaml --approve', { files });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('vpc.controlPlaneSubnetIDs, vpc.controlPlaneSecurityGroupIDs');
    const run = eksctl(sim, 'utils update-cluster-vpc-config -f ep.yaml --approve', { files });
    expect(run.code, run.stderr).toBe(0);
    const vpc = sim.domains.cluster.cluster?.resourcesVpcConfig;
    expect([vpc?.endpointPublicAccess, vpc?.endpointPrivateAccess, vpc?.publicAccessCidrs]).toEqual([
      true,
      true,
      ['203.0.113.7/32'],
    ]);
  });

  it('upgrade cluster -f takes the name and target version from metadata; delete cluster -f the name', () => {
    const sim = labWithCluster();
    const files = new Map([['/root/c.yaml', myeks('  version: "1.29"\n')]]);
    const plan = eksctl(sim, 'upgrade cluster -f c.yaml', { files });
    expect(plan.stdout).toContain('from current version "1.28" to "1.29"');
    expect(eksctl(sim, 'upgrade cluster -f c.yaml --name myeks', { files }).stderr).toContain(
      'cannot use --name when --config-file/-f is set',
    );
    const gone = eksctl(sim, 'delete cluster -f c.yaml', { files });
    expect(gone.code, gone.stderr).toBe(0);
    expect(sim.domains.cluster.status).toBe('DELETING');
  });
});

describe('eksctl create nodegroup / delete nodegroup', () => {
  it('adds a node-group stack with its own node role, and removes it again', () => {
    const sim = labWithCluster();
    const run = eksctl(
      sim,
      'create nodegroup --cluster myeks --name ng2 --node-type t3.large --nodes 1 --external-dns-access',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('[ℹ]  building managed nodegroup stack "eksctl-myeks-nodegroup-ng2"');
    expect(run.stdout).toContain('[✔]  created 1 managed nodegroup(s) in cluster "myeks"');
    const prov = sim.domains.provisioning;
    expect(prov.stack('eksctl-myeks-nodegroup-ng2')?.StackStatus).toBe('CREATE_COMPLETE');
    expect(sim.domains.nodegroups.find('ng2')).toMatchObject({ instanceType: 't3.large', status: 'ACTIVE' });
    expect(prov.nodeRole('myeks', 'ng2')?.PolicyNames).toHaveLength(2);
    expect(eksctl(sim, 'create nodegroup --cluster myeks --name ng2').stderr).toContain('already exists');
    const gone = eksctl(sim, 'delete nodegroup --cluster myeks --name ng2 --wait');
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stdout).toContain('[✔]  deleted 1 nodegroup(s) from cluster "myeks"');
    expect(prov.stack('eksctl-myeks-nodegroup-ng2')).toBeUndefined();
    expect(sim.domains.nodegroups.find('ng2')).toBeUndefined();
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.status).toBe('ACTIVE');
  });

  it('deleting a node group drains it through the API server, so a locked-out bastion cannot', () => {
    const sim = labWithCluster();
    goPrivate(sim);
    const run = eksctl(sim, 'delete nodegroup --cluster myeks --name myeks-nodegroup');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Error: draining nodegroup "myeks-nodegroup": listing nodes: Get "https:.*i\/o timeout\n/,
    );
    expect(sim.domains.nodegroups.find('myeks-nodegroup')?.status).toBe('ACTIVE');
  });
});

describe('eksctl create cluster --timeout', () => {
  it('stops waiting after the timeout, while CloudFormation carries on', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, `${SEED_LINE} --timeout 5m`);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('[✖]  exceeded max wait time for StackCreateComplete waiter');
    expect(run.tookMs).toBeLessThan(6 * 60_000);
    sim.advance(15 * 60_000);
    expect(sim.domains.provisioning.stack('eksctl-myeks-cluster')?.StackStatus).toBe('CREATE_COMPLETE');
    // eksctl, not CloudFormation, would have started the node-group stack: it never comes.
    expect(sim.domains.provisioning.stacks()).toHaveLength(1);
    expect(eksctl(labWithoutCluster(), 'create cluster --name x --timeout soon').stderr).toContain(
      'invalid argument "soon" for "--timeout" flag',
    );
  });
});
