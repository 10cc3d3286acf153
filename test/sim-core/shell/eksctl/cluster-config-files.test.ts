import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkAgainstSchema } from '../../../../packages/sim-core/src/provisioning/config-schema';
import { eksctl, labWithoutCluster, SEED_LINE } from './invoke';

const FIXTURES = new URL('../../../fixtures/eksctl/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');

/**
 * Every eksctl example is accepted, or refused by the path of a field the simulator does not
 * model. Each runs in a scenario in the example's own region (and, for 09, with the NAT
 * gateways it asks for).
 */
const EXPECTED: Record<string, { accept: true; network?: Record<string, unknown> } | { refuse: readonly string[] }> = {
  '01-simple-cluster.yaml': { accept: true },
  '04-existing-vpc.yaml': { refuse: ['vpc.id "vpc-0dd338ecf29863c55"'] },
  '09-nat-gateways.yaml': { accept: true, network: { natGateway: 'per-az' } },
  '15-managed-nodes.yaml': {
    refuse: [
      'managedNodeGroups[0].availabilityZones',
      'managedNodeGroups[0].updateConfig',
      'managedNodeGroups[0].securityGroups.attachIDs',
      'managedNodeGroups[0].ssh.sourceSecurityGroupIds',
      'managedNodeGroups[0].taints',
      'managedNodeGroups[0].iam.withAddonPolicies.certManager',
      'managedNodeGroups[2].ami',
      'managedNodeGroups[2].preBootstrapCommands',
      'managedNodeGroups[2].overrideBootstrapCommand',
      'managedNodeGroups[3].launchTemplate',
    ],
  },
  '24-nodegroup-subnets.yaml': { refuse: ['nodeGroups[0].subnets', 'nodeGroups[1].subnets'] },
  '38-cluster-subnets-sgs.yaml': { refuse: ['vpc.controlPlaneSubnetIDs', 'vpc.controlPlaneSecurityGroupIDs'] },
  '45-upgrade-policy-example.yaml': { accept: true },
  '46-control-plane-scaling-config.yaml': { refuse: ['controlPlaneScalingConfig'] },
  '49-control-plane-on-private-subnets.yaml': { refuse: ['vpc.controlPlaneOnPrivateSubnets'] },
};

describe('eksctl create cluster -f: the eksctl example ClusterConfigs (fixtures)', () => {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.yaml'));

  it('covers every fixture file', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('every fixture passes eksctl’s own JSON schema', () => {
    for (const file of files) expect(checkAgainstSchema(parse(fixture(file))), file).toBeUndefined();
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    const doc = parse(fixture(file)) as { metadata: { name: string; region: string } };
    if ('accept' in expected) {
      it(`${file} is accepted and builds its stacks in ${doc.metadata.region}`, () => {
        const sim = labWithoutCluster({
          region: doc.metadata.region,
          ...(expected.network ? { network: expected.network } : {}),
        });
        const files = new Map([[`/root/${file}`, fixture(file)]]);
        const run = eksctl(sim, `create cluster -f ${file}`, { files });
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain(`EKS cluster "${doc.metadata.name}" in "${doc.metadata.region}" region is ready`);
        const stacks = sim.domains.provisioning.stacks();
        expect(stacks[0]?.StackName).toBe(`eksctl-${doc.metadata.name}-cluster`);
        for (const s of stacks) expect(s.StackStatus).toBe('CREATE_COMPLETE');
        expect(sim.domains.cluster.cluster?.name).toBe(doc.metadata.name);
      });
    } else {
      it(`${file} is refused, naming ${expected.refuse.join(', ')}, and nothing is built`, () => {
        const sim = labWithoutCluster({ region: doc.metadata.region });
        const files = new Map([[`/root/${file}`, fixture(file)]]);
        const before = sim.events().length;
        const run = eksctl(sim, `create cluster -f ${file}`, { files });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/^Error: /);
        for (const field of expected.refuse) expect(run.stderr).toContain(field);
        expect(sim.domains.provisioning.stacks()).toEqual([]);
        expect(sim.domains.cluster.cluster).toBeNull();
        expect(sim.events().length).toBe(before);
      });
    }
  }

  it('01-simple-cluster.yaml makes an unmanaged node group stack (NodeGroup ASG, instance profile) and turns on its log types', () => {
    const sim = labWithoutCluster({ region: 'eu-north-1' });
    const files = new Map([['/root/c.yaml', fixture('01-simple-cluster.yaml')]]);
    const run = eksctl(sim, 'create cluster -f c.yaml', { files });
    expect(run.stdout).toContain(
      '(enabled types: audit, authenticator, controllerManager & disabled types: api, scheduler)',
    );
    expect(run.stdout).toContain('building nodegroup stack "eksctl-cluster-1-nodegroup-ng-1"');
    const ids = sim.domains.provisioning
      .stackResources('eksctl-cluster-1-nodegroup-ng-1')
      ?.map((r) => r.LogicalResourceId);
    expect(ids).toEqual(expect.arrayContaining(['NodeGroup', 'NodeInstanceProfile', 'NodeGroupLaunchTemplate', 'SG']));
    // eksctl "made" the VPC: the stack reports the simulated network's ids.
    const vpc = sim.domains.provisioning
      .stackResources('eksctl-cluster-1-cluster')
      ?.find((r) => r.LogicalResourceId === 'VPC');
    expect(vpc?.PhysicalResourceId).toBe(sim.domains.network.vpcId);
  });

  it('a file can come from standard input with -f -', () => {
    const sim = labWithoutCluster({ region: 'us-west-2' });
    const run = eksctl(sim, 'create cluster -f -', { stdin: fixture('45-upgrade-policy-example.yaml') });
    expect(run.code, run.stderr).toBe(0);
    expect(sim.domains.cluster.cluster?.upgradePolicy.supportType).toBe('EXTENDED');
  });
});

describe('eksctl create cluster: bad input gets eksctl’s kind of error, and the world is unchanged', () => {
  const refuse = (yaml: string, ...expected: string[]) => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster -f cluster.yaml', { files: new Map([['/root/cluster.yaml', yaml]]) });
    expect(run.code).toBe(1);
    for (const text of expected) expect(run.stderr).toContain(text);
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.domains.cluster.cluster).toBeNull();
  };
  const head =
    'apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: myeks\n  region: ap-northeast-2\n';

  it('an unknown field is named, with where it is', () => {
    refuse(
      `${head}managedNodeGroups:\n  - name: ng\n    instanceTpye: t3.medium\n`,
      'unknown field "instanceTpye"',
      'managedNodeGroups[0]',
    );
  });

  it('a value of the wrong type is named', () => {
    refuse(
      `${head}managedNodeGroups:\n  - name: ng\n    desiredCapacity: two\n`,
      'managedNodeGroups[0].desiredCapacity',
      'integer',
    );
  });

  it('a file that is not YAML, a missing file, and a wrong apiVersion are refused', () => {
    refuse('metadata: [unclosed', 'error converting YAML to JSON');
    refuse(head.replace('eksctl.io/v1alpha5', 'eksctl.io/v1alpha4'), 'apiVersion');
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster -f nowhere.yaml');
    expect(run.stderr).toContain('open nowhere.yaml: no such file or directory');
  });

  it('a private-only cluster is refused at creation, as eksctl does (eksctl.io (Cluster Access))', () => {
    refuse(
      `${head}vpc:\n  clusterEndpoints:\n    publicAccess: false\n    privateAccess: true\n`,
      "eksctl cannot join worker nodes to the EKS cluster when public access isn't allowed",
      'update-cluster-vpc-config',
    );
    refuse(
      `${head}vpc:\n  clusterEndpoints:\n    publicAccess: false\n    privateAccess: false\n`,
      'Kubernetes API access must have one of public or private clusterEndpoints enabled',
    );
  });

  it('public and private access at creation is accepted', () => {
    const sim = labWithoutCluster();
    const yaml = `${head}vpc:\n  clusterEndpoints:\n    publicAccess: true\n    privateAccess: true\nmanagedNodeGroups:\n  - name: ng\n    instanceType: t3.medium\n    desiredCapacity: 1\n`;
    const run = eksctl(sim, 'create cluster -f c.yaml', { files: new Map([['/root/c.yaml', yaml]]) });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('{publicAccess=true, privateAccess=true}');
    expect(sim.domains.cluster.cluster?.resourcesVpcConfig.endpointPrivateAccess).toBe(true);
  });

  it('-f cannot be mixed with flags that set the same things', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster -f c.yaml --name other', { files: new Map([['/root/c.yaml', head]]) });
    expect(run.stderr).toBe('Error: cannot use --name when --config-file/-f is set\n');
  });

  it('an unknown flag, a flag without its value, and a bad number get pflag’s messages', () => {
    const sim = labWithoutCluster();
    expect(eksctl(sim, 'create cluster --nmae myeks').stderr).toBe('Error: unknown flag: --nmae\n');
    expect(eksctl(sim, 'create cluster --name').stderr).toBe('Error: flag needs an argument: --name\n');
    expect(eksctl(sim, 'create cluster --nodes two').stderr).toBe(
      'Error: invalid argument "two" for "-N, --nodes" flag: strconv.ParseInt: parsing "two": invalid syntax\n',
    );
    expect(eksctl(sim, 'create cluster --asg-access').stderr).toContain('--asg-access: eks-sim does not model');
    expect(eksctl(sim, 'launch cluster').stderr).toBe(
      'Error: unknown command "launch" for "eksctl"\nRun \'eksctl --help\' for usage.\n',
    );
    expect(eksctl(sim, 'create clutser').stderr).toContain('unknown command "clutser" for "eksctl create"');
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    expect(sim.domains.cluster.cluster).toBeNull();
  });

  it('a Kubernetes version EKS does not offer on the simulated date is refused with the ones it does', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster --name myeks --version 1.30');
    expect(run.stderr).toBe(
      'Error: invalid version 1.30, supported values: auto, default, latest, 1.23, 1.24, 1.25, 1.26, 1.27, 1.28, 1.29\n',
    );
    const latest = eksctl(sim, 'create cluster --name myeks --version latest --dry-run');
    expect(latest.stdout).toMatch(/\n {2}version: "?1\.29"?\n/);
  });

  it('a subnet that is not in the VPC is refused by the flag’s list', () => {
    const sim = labWithoutCluster();
    const run = eksctl(sim, 'create cluster --name myeks --vpc-public-subnets subnet-0000000000000dead');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no subnet with id "subnet-0000000000000dead"');
  });

  it('a second cluster while one exists is refused (one cluster per simulation)', () => {
    const sim = labWithoutCluster();
    expect(eksctl(sim, SEED_LINE).code).toBe(0);
    const again = eksctl(sim, 'create cluster --name other');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain('[✖]');
  });
});

describe('eksctl create cluster --dry-run', () => {
  it('prints the seed’s ClusterConfig as YAML, which eksctl’s schema accepts and -f reads back to the same cluster', () => {
    const sim = labWithoutCluster();
    const dry = eksctl(sim, `${SEED_LINE} --dry-run`);
    expect(dry.code).toBe(0);
    expect(dry.stdout).not.toContain('[ℹ]');
    const doc = parse(dry.stdout) as Record<string, unknown>;
    expect(checkAgainstSchema(doc)).toBeUndefined();
    expect(doc).toMatchObject({
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'myeks', region: 'ap-northeast-2', version: '1.28' },
      managedNodeGroups: [
        {
          name: 'myeks-nodegroup',
          instanceType: 't3.medium',
          volumeSize: 30,
          ssh: { allow: true },
          iam: { withAddonPolicies: { externalDNS: true } },
        },
      ],
      vpc: { clusterEndpoints: { publicAccess: true, privateAccess: false } },
    });
    expect(sim.domains.provisioning.stacks()).toEqual([]);
    const again = eksctl(sim, 'create cluster -f dry.yaml --dry-run', {
      files: new Map([['/root/dry.yaml', dry.stdout]]),
    });
    expect(again.stdout).toBe(dry.stdout);
  });

  it('defaults as eksctl 0.173.0 does: Kubernetes 1.29, two m5.large nodes, 80 GiB', () => {
    const sim = labWithoutCluster();
    const doc = parse(eksctl(sim, 'create cluster --name demo --dry-run').stdout) as {
      metadata: { version: string };
      managedNodeGroups: { instanceType: string; desiredCapacity: number; volumeSize: number; name: string }[];
    };
    expect(doc.metadata.version).toBe('1.29');
    expect(doc.managedNodeGroups[0]).toMatchObject({ instanceType: 'm5.large', desiredCapacity: 2, volumeSize: 80 });
    expect(doc.managedNodeGroups[0]?.name).toMatch(/^ng-[0-9a-f]{8}$/);
  });
});
