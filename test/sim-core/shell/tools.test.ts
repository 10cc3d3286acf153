import { createSimulation, type Simulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);
const host = (sim: Simulation) => (sim.snapshot().cluster?.endpoint ?? '').replace('https://', '');

/** Makes the endpoint private only and waits for the update, as the seed's author did (docs/endpoint-modes.md). */
function goPrivate(sim: Simulation): void {
  const r = sim.exec(
    'aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=true',
  );
  expect(r.exitCode).toBe(0);
  sim.exec('sleep 30m');
}

describe('aws', () => {
  it('describes the cluster with the AWS API field names, 4-space indented as the AWS CLI prints JSON', () => {
    const r = week1().exec('aws eks describe-cluster --name myeks');
    expect(r.exitCode).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc.cluster)).toEqual(
      expect.arrayContaining([
        'name',
        'arn',
        'createdAt',
        'version',
        'endpoint',
        'roleArn',
        'resourcesVpcConfig',
        'status',
        'platformVersion',
      ]),
    );
    expect(doc.cluster.resourcesVpcConfig).toMatchObject({
      endpointPublicAccess: true,
      endpointPrivateAccess: false,
      publicAccessCidrs: ['0.0.0.0/0'],
    });
    expect(r.stdout.split('\n')[1]).toBe('    "cluster": {');
  });

  it('prints a service error as the AWS CLI does, exit status 254', () => {
    const r = week1().exec('aws eks describe-cluster --name foo');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toBe(
      '\nAn error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: foo.\n',
    );
  });

  it('refuses an unknown operation, an unknown option and a missing required option with the usage error, exit status 252', () => {
    const sim = week1();
    const op = sim.exec('aws eks describe-clusterz --name myeks');
    expect(op.exitCode).toBe(252);
    expect(op.stderr).toContain('aws: error: argument operation: Invalid choice');
    const flag = sim.exec('aws eks describe-cluster --name myeks --colour red');
    expect(flag.exitCode).toBe(252);
    expect(flag.stderr).toContain('Unknown options: --colour, red');
    const missing = sim.exec('aws iam list-attached-role-policies');
    expect(missing.exitCode).toBe(252);
    expect(missing.stderr).toContain('aws: error: the following arguments are required: --role-name');
  });

  it('applies --query (JMESPath) and --output text', () => {
    const sim = week1();
    expect(sim.exec('aws eks describe-cluster --name myeks --query cluster.version --output text').stdout).toBe(
      '1.28\n',
    );
    expect(sim.exec("aws eks list-clusters --query 'clusters[0]'").stdout).toBe('"myeks"\n');
  });

  it("lists the node role's 4 managed policies and its 2 inline ExternalDNS policies (docs/eksctl.md)", () => {
    const sim = week1();
    const role = sim
      .exec('aws iam list-roles --query "Roles[?contains(RoleName, \'NodeInstanceRole\')].RoleName" --output text')
      .stdout.trim();
    expect(role).toMatch(/^eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-/);
    const attached = JSON.parse(
      sim.exec(`aws iam list-attached-role-policies --role-name ${role}`).stdout,
    ).AttachedPolicies;
    const inline = JSON.parse(sim.exec(`aws iam list-role-policies --role-name ${role}`).stdout).PolicyNames;
    expect(attached).toHaveLength(4);
    expect(inline).toHaveLength(2);
    expect(inline.join(' ')).toMatch(/PolicyExternalDNSChangeSet.*PolicyExternalDNSHostedZones/);
    expect(sim.exec('aws iam list-role-policies --role-name nobody').stderr).toContain('(NoSuchEntity)');
  });

  it("shows the four cluster security groups with the seed's rules: no inbound on the control-plane group, 22 on remoteAccess (docs/endpoint-modes.md)", () => {
    const sim = week1();
    const groups = JSON.parse(
      sim.exec('aws ec2 describe-security-groups --filters Name=vpc-id,Values=$VPCID').stdout,
    ).SecurityGroups;
    const named = (pattern: RegExp) => groups.find((g: { GroupName: string }) => pattern.test(g.GroupName));
    expect(named(/^eksctl-myeks-cluster-ControlPlaneSecurityGroup-/).IpPermissions).toEqual([]);
    expect(named(/^eksctl-myeks-cluster-ClusterSharedNodeSecurityGroup-/)).toBeDefined();
    expect(named(/^eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess$/).IpPermissions[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
    });
    expect(named(/^eks-cluster-sg-myeks-\d+$/)).toBeDefined();
    for (const g of groups) expect(g.IpPermissionsEgress[0]).toMatchObject({ IpProtocol: '-1' });
    const byTag = sim.exec(
      "aws ec2 describe-security-groups --filters Name=tag:aws:cloudformation:logical-id,Values=ControlPlaneSecurityGroup --query 'length(SecurityGroups)'",
    );
    expect(byTag.stdout).toBe('1\n');
    const bad = sim.exec('aws ec2 describe-security-groups --group-ids sg-0000000000000dead');
    expect(bad.exitCode).toBe(254);
    expect(bad.stderr).toContain(
      "(InvalidGroup.NotFound) when calling the DescribeSecurityGroups operation: The security group 'sg-0000000000000dead' does not exist",
    );
  });

  it('describes the lab subnets and VPC (docs/lessons/seed-week1.md)', () => {
    const sim = week1();
    const subnets = JSON.parse(sim.exec('aws ec2 describe-subnets --filters Name=vpc-id,Values=$VPCID').stdout).Subnets;
    expect(subnets).toHaveLength(4);
    expect(sim.exec("aws ec2 describe-vpcs --vpc-ids $VPCID --query 'Vpcs[0].CidrBlock' --output text").stdout).toBe(
      '192.168.0.0/16\n',
    );
  });

  it('records an EndpointAccessUpdate that describe-update follows to Successful', () => {
    const sim = week1();
    const started = JSON.parse(
      sim.exec(
        'aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=true,endpointPrivateAccess=true',
      ).stdout,
    ).update;
    expect(started).toMatchObject({ type: 'EndpointAccessUpdate', status: 'InProgress' });
    sim.exec('sleep 30m');
    const done = JSON.parse(sim.exec(`aws eks describe-update --name myeks --update-id ${started.id}`).stdout).update;
    expect(done.status).toBe('Successful');
    const both = sim.exec(
      'aws eks update-cluster-config --name myeks --resources-vpc-config endpointPublicAccess=false,endpointPrivateAccess=false',
    );
    expect(both.exitCode).toBe(254);
    expect(both.stderr).toContain('(InvalidParameterException)');
  });
});

describe('dig, curl and kubectl against the endpoint', () => {
  it('dig answers two public addresses in the lab (docs/lessons/seed-week1.md)', () => {
    const sim = week1();
    const addresses = sim
      .exec(`dig +short ${host(sim)}`)
      .stdout.trim()
      .split('\n');
    expect(addresses).toHaveLength(2);
    for (const a of addresses) expect(a).not.toMatch(/^192\.168\./);
    const full = sim.exec(`dig ${host(sim)}`).stdout;
    expect(full).toContain('status: NOERROR');
    expect(full).toContain('ANSWER: 2');
    expect(sim.exec('dig nothing.example.com').stdout).toContain('status: NXDOMAIN');
  });

  it('curl gets 403 for system:anonymous on / and the version JSON on /version, which kubectl version shows too (docs/lessons/seed-week1.md)', () => {
    const sim = week1();
    const root = sim.exec(`curl -k -s https://${host(sim)}`);
    expect(JSON.parse(root.stdout)).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Forbidden',
      code: 403,
    });
    expect(JSON.parse(root.stdout).message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
    const version = JSON.parse(sim.exec(`curl -k -s https://${host(sim)}/version`).stdout);
    expect(version).toMatchObject({ major: '1', minor: '28+', platform: 'linux/amd64' });
    expect(sim.exec('kubectl version').stdout).toContain(`Server Version: ${version.gitVersion}`);
    for (const ip of sim
      .exec(`dig +short ${host(sim)}`)
      .stdout.trim()
      .split('\n')) {
      expect(JSON.parse(sim.exec(`curl -k -s https://${ip}/version`).stdout).gitVersion).toBe(version.gitVersion);
    }
  });

  it('curl without -k fails certificate verification, as the cluster CA is private', () => {
    const sim = week1();
    const r = sim.exec(`curl https://${host(sim)}/version`);
    expect(r.exitCode).toBe(60);
    expect(r.stderr).toContain('curl: (60) SSL certificate problem: unable to get local issuer certificate');
  });

  it('kubectl lists the two nodes (docs/lessons/seed-week1.md)', () => {
    const r = week1().exec('kubectl get nodes -o wide');
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^ip-192-168-\d+-\d+\.ap-northeast-2\.compute\.internal\s+Ready\s+<none>/);
  });

  it('in private mode the bastion cannot reach the API server until its SG is allowed on 443 (docs/endpoint-modes.md)', () => {
    const sim = week1();
    goPrivate(sim);
    const t0 = sim.now();
    const curl = sim.exec(`curl -k -s https://${host(sim)}/version`);
    expect(curl.exitCode).toBe(28);
    expect(sim.now() - t0).toBe(130_000);
    expect(curl.stderr).toMatch(/^eks-sim: bastion cannot reach the API server in private mode, refused at .*fix: /m);
    const kubectl = sim.exec('kubectl get nodes');
    expect(kubectl.exitCode).toBe(1);
    expect(kubectl.stderr).toMatch(/Unable to connect to the server: dial tcp 192\.168\.\d+\.\d+:443: i\/o timeout/);
    expect(sim.exec(`dig +short ${host(sim)}`).stdout).toMatch(/^192\.168\./);

    const fix = sim.exec(
      'aws ec2 authorize-security-group-ingress --group-id $(aws eks describe-cluster --name myeks --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text) --protocol tcp --port 443 --source-group $(aws ec2 describe-security-groups --filters Name=group-name,Values=myeks-EKSEC2SG --query "SecurityGroups[0].GroupId" --output text)',
    );
    expect(fix.exitCode).toBe(0);
    expect(JSON.parse(fix.stdout)).toMatchObject({
      Return: true,
      SecurityGroupRules: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }],
    });
    expect(sim.exec('kubectl get nodes').exitCode).toBe(0);
    expect(sim.exec(`curl -k -s https://${host(sim)}/version`).exitCode).toBe(0);
    const again = sim.exec(
      'aws ec2 authorize-security-group-ingress --group-id $(aws eks describe-cluster --name myeks --query cluster.resourcesVpcConfig.clusterSecurityGroupId --output text) --protocol tcp --port 443 --source-group myeks-EKSEC2SG',
    );
    expect(again.exitCode).toBe(254);
    expect(again.stderr).toContain('(InvalidPermission.Duplicate)');
  });

  it('in private mode the laptop is refused: the name resolves to private addresses it has no route to', () => {
    const sim = week1();
    goPrivate(sim);
    const r = sim.exec('kubectl version', { from: 'laptop' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('Client Version:');
    expect(r.stderr).toMatch(/dial tcp 192\.168\.\d+\.\d+:443: i\/o timeout/);
  });

  it('kubectl refuses an unknown command or flag as kubectl does', () => {
    const sim = week1();
    expect(sim.exec('kubectl frobnicate')).toMatchObject({
      exitCode: 1,
      stderr: 'error: unknown command "frobnicate" for "kubectl"\n',
    });
    expect(sim.exec('kubectl get nodes --bogus').stderr).toContain('error: unknown flag: --bogus');
  });

  it('a node has no kubeconfig: kubectl falls back to localhost:8080', () => {
    const sim = week1();
    const node = sim.domains.shell.vantages().find((v) => v.startsWith('ip-')) as string;
    const r = sim.exec('kubectl get nodes', { from: node });
    expect(r.stderr).toContain('The connection to the server localhost:8080 was refused');
  });
});

describe('aws waiters, identity, tables and instance metadata', () => {
  it('aws eks wait cluster-active polls every 30 s until the cluster created with create-cluster is ACTIVE', () => {
    const sim = createSimulation(scenarios['seed-lab']);
    const created = sim.exec(
      'aws eks create-cluster --name myeks --role-arn arn:aws:iam::111122223333:role/eks --resources-vpc-config subnetIds=$PubSubnet1,$PubSubnet2 --kubernetes-version 1.28 --query cluster.status --output text',
    );
    expect(created.stdout).toBe('CREATING\n');
    const waited = sim.exec('aws eks wait cluster-active --name myeks');
    expect(waited.exitCode).toBe(0);
    expect(waited.tookMs % 30_000).toBe(0);
    expect(waited.tookMs).toBeGreaterThanOrEqual(8 * 60_000);
    expect(sim.exec('aws eks describe-cluster --name myeks --query cluster.status --output text').stdout).toBe(
      'ACTIVE\n',
    );
    const missing = sim.exec('aws eks wait cluster-active --name other');
    expect(missing.exitCode).toBe(255);
    expect(missing.stderr).toContain('Waiter ClusterActive failed: An error occurred (ResourceNotFoundException)');
  });

  it('aws sts get-caller-identity is the lab user on the bastion and the node role on a node', () => {
    const sim = week1();
    expect(JSON.parse(sim.exec('aws sts get-caller-identity').stdout).Arn).toBe('arn:aws:iam::111122223333:user/admin');
    const node = sim.domains.shell.vantages().find((v) => v.startsWith('ip-')) as string;
    expect(JSON.parse(sim.exec('aws sts get-caller-identity', { from: node }).stdout).Arn).toMatch(
      /^arn:aws:sts::111122223333:assumed-role\/eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-\w+\/i-/,
    );
  });

  it('--output table draws the AWS CLI box with the operation as its title', () => {
    const table = week1().exec(
      "aws ec2 describe-security-groups --query 'SecurityGroups[*].[GroupName,GroupId]' --output table",
    ).stdout;
    const lines = table.trim().split('\n');
    expect(lines[1]).toMatch(/^\|\s+DescribeSecurityGroups\s+\|$/);
    expect(
      lines.filter((l) => /^\|\s+eksctl-myeks-cluster-ControlPlaneSecurityGroup-\w+\s+\|\s+sg-\w+\s+\|$/.test(l)),
    ).toHaveLength(1);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
  });

  it('the metadata service answers the bastion its security groups, and nothing answers the laptop', () => {
    const sim = week1();
    expect(sim.exec('curl -s http://169.254.169.254/latest/meta-data/security-groups').stdout).toBe('myeks-EKSEC2SG');
    expect(
      sim.exec('curl -s -S http://169.254.169.254/latest/meta-data/instance-id', { from: 'laptop' }).exitCode,
    ).toBe(28);
  });
});

describe('aws ec2 describe-instances', () => {
  it("lists the work EC2 and the two nodes, as the study group's table query shows them", () => {
    const table = week1().exec(
      'aws ec2 describe-instances --query "Reservations[*].Instances[*].{PublicIPAdd:PublicIpAddress,PrivateIPAdd:PrivateIpAddress,InstanceName:Tags[?Key==\'Name\']|[0].Value,Status:State.Name}" --filters Name=instance-state-name,Values=running --output table',
    ).stdout;
    const lines = table.trim().split('\n');
    expect(lines[3]).toMatch(/^\|\s+InstanceName\s+\|\s+PrivateIPAdd\s+\|\s+PublicIPAdd\s+\|\s+Status\s+\|$/);
    expect(lines.filter((l) => /\|\s+myeks-host\s+\|\s+192\.168\.1\.\d+\s+\|/.test(l))).toHaveLength(1);
    expect(lines.filter((l) => /\|\s+myeks-myeks-nodegroup-Node\s+\|.*\|\s+running\s+\|$/.test(l))).toHaveLength(2);
  });
});

describe('aws cloudformation and version updates', () => {
  it("shows eksctl's stacks, their events and resources, and refuses an unknown stack as CloudFormation does", () => {
    const sim = week1();
    const events = JSON.parse(
      sim.exec('aws cloudformation describe-stack-events --stack-name eksctl-myeks-cluster').stdout,
    ).StackEvents;
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ StackName: 'eksctl-myeks-cluster' });
    const resources = sim.exec(
      "aws cloudformation list-stack-resources --stack-name eksctl-myeks-cluster --query 'StackResourceSummaries[].LogicalResourceId' --output text",
    ).stdout;
    expect(resources).toContain('ControlPlaneSecurityGroup');
    const missing = sim.exec('aws cloudformation describe-stacks --stack-name eksctl-nope');
    expect(missing.exitCode).toBe(254);
    expect(missing.stderr).toContain(
      'An error occurred (ValidationError) when calling the DescribeStacks operation: Stack with id eksctl-nope does not exist',
    );
  });

  it('update-cluster-version starts a VersionUpdate one minor up and refuses a skip', () => {
    const sim = week1();
    const skip = sim.exec('aws eks update-cluster-version --name myeks --kubernetes-version 1.30');
    expect(skip.exitCode).toBe(254);
    expect(skip.stderr).toContain('(InvalidParameterException)');
    const up = sim.exec('aws eks update-cluster-version --name myeks --kubernetes-version 1.29');
    expect(up.exitCode).toBe(0);
    expect(JSON.parse(up.stdout).update).toMatchObject({ type: 'VersionUpdate', status: 'InProgress' });
  });
});

describe("kubectl's AGE column", () => {
  it('reads like kubectl’s HumanDuration at every scale', async () => {
    const { humanDuration } = await import('../../../packages/sim-core/src/shell/tools/kubectl');
    const s = 1000;
    const m = 60 * s;
    const h = 60 * m;
    const d = 24 * h;
    expect(
      [119 * s, 150 * s, 5 * m, 42 * m, 3 * h + 20 * m, 26 * h, 3 * d + 4 * h, 30 * d, 800 * d].map(humanDuration),
    ).toEqual(['119s', '2m30s', '5m', '42m', '3h20m', '26h', '3d4h', '30d', '2y70d']);
  });
});
