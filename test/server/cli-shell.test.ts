import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lessonScript, seedLabLesson } from '../../packages/sim-core/src/scenarios/seed-week1-lesson';
import { REPO_ROOT, runCli } from '../helpers/cli';

const PROMPT = '[root@myeks-host ~]# ';

/** The transcript cut into commands: each with its line (continuations joined) and output. */
function commands(transcript: string): { line: string; output: string }[] {
  const result: { line: string; output: string }[] = [];
  for (const block of transcript.split(PROMPT).slice(1)) {
    const lines = block.split('\n');
    let i = 1;
    while (i < lines.length && lines[i]?.startsWith('> ')) i++;
    result.push({ line: lines.slice(0, i).join('\n'), output: lines.slice(i).join('\n') });
  }
  return result;
}

const script = readFileSync(`${REPO_ROOT}docs/lessons/seed-week1.sh`, 'utf8');
const lab = runCli(['shell', '--scenario', 'seed-lab'], { input: script, timeoutMs: 120_000 });
const ran = commands(lab.stdout);
/** The output of the first command whose line contains `text`, after the `after`-th match. */
const out = (text: string, nth = 0) => ran.filter((c) => c.line.includes(text))[nth]?.output ?? '';
/** The output of the `nth` run of exactly `line`. */
const exactly = (line: string, nth = 0) => ran.filter((c) => c.line === line)[nth]?.output ?? '';

describe('eks-sim shell with the seed lab piped in (issue 5 "Done when")', () => {
  it('reads the whole lab from stdin and prints a transcript with the bastion prompt', () => {
    expect(lab.code).toBe(0);
    expect(lab.stdout.startsWith(PROMPT)).toBe(true);
    expect(script).toContain(lessonScript(seedLabLesson));
  });

  it('docs/lessons/seed-week1.md: the variables the author exported are set on myeks-host', () => {
    expect(out('echo $AWS_DEFAULT_REGION')).toBe('ap-northeast-2\n');
    expect(out('echo $CLUSTER_NAME')).toBe('myeks\n');
    expect(out('echo $VPCID')).toMatch(/^vpc-[0-9a-f]{17}\n$/);
    expect(out('echo $PubSubnet1,$PubSubnet2')).toMatch(/^subnet-[0-9a-f]{17},subnet-[0-9a-f]{17}\n$/);
  });

  it("docs/lessons/seed-week1.md: the seed's eksctl line creates both stacks in 10-15 simulated minutes", () => {
    const create = ran.find((c) => c.line.startsWith('eksctl create cluster'));
    expect(create?.line).toContain('\\\n> --node-volume-size=30');
    const stamps = [...(create?.output ?? '').matchAll(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \[/gm)].map((m) =>
      Date.parse(`${(m[1] as string).replace(' ', 'T')}Z`),
    );
    const minutes = ((stamps.at(-1) as number) - (stamps[0] as number)) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(10);
    expect(minutes).toBeLessThanOrEqual(15);
    expect(create?.output).toMatch(/EKS cluster "myeks" in "ap-northeast-2" region is ready/);
    expect(out('aws cloudformation describe-stacks')).toBe(
      'eksctl-myeks-cluster\tCREATE_COMPLETE\neksctl-myeks-nodegroup-myeks-nodegroup\tCREATE_COMPLETE\n',
    );
  });

  it('docs/lessons/seed-week1.md: dig answers two public addresses for the endpoint', () => {
    expect(out('aws eks describe-cluster --name $CLUSTER_NAME --query cluster.endpoint')).toMatch(
      /^https:\/\/[0-9A-F]{32}\.gr7\.ap-northeast-2\.eks\.amazonaws\.com\n$/,
    );
    const addresses = out('dig +short $APIDNS').trim().split('\n');
    expect(addresses).toHaveLength(2);
    for (const a of addresses) expect(a).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const a of addresses) expect(a).not.toMatch(/^(10|192\.168)\./);
    expect(out('dig $APIDNS')).toContain('ANSWER: 2,');
  });

  it('docs/lessons/seed-week1.md: curl gets 403 on /, the version on /version from both addresses, and kubectl version agrees', () => {
    const forbidden = JSON.parse(out('curl -k -s https://$APIDNS'));
    expect(forbidden).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Forbidden', code: 403 });
    expect(forbidden.message).toBe('forbidden: User "system:anonymous" cannot get path "/"');
    const version = JSON.parse(out('curl -k -s https://$APIDNS/version'));
    expect(version.gitVersion).toMatch(/^v1\.28\.\d+-eks-[0-9a-f]{7}$/);
    expect(JSON.parse(out('head -n 1')).gitVersion).toBe(version.gitVersion);
    expect(JSON.parse(out('tail -n 1')).gitVersion).toBe(version.gitVersion);
    expect(exactly('kubectl version')).toContain(`Server Version: ${version.gitVersion}\n`);
  });

  it('docs/eksctl.md: the node role has 6 policies, the last two inline from --external-dns-access', () => {
    expect(out('echo $NODEROLE')).toMatch(/^eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-\w+\n$/);
    const managed = JSON.parse(out('aws iam list-attached-role-policies')).AttachedPolicies;
    const inline = JSON.parse(out('aws iam list-role-policies')).PolicyNames;
    expect(managed.map((p: { PolicyName: string }) => p.PolicyName)).toEqual([
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
      'AmazonSSMManagedInstanceCore',
    ]);
    expect(inline).toEqual([
      'eksctl-myeks-nodegroup-myeks-nodegroup-PolicyExternalDNSChangeSet',
      'eksctl-myeks-nodegroup-myeks-nodegroup-PolicyExternalDNSHostedZones',
    ]);
    expect(out('PolicyExternalDNSChangeSet')).toContain('route53:ChangeResourceRecordSets');
    expect(out('PolicyExternalDNSHostedZones')).toContain('route53:ListHostedZones');
  });

  it('docs/endpoint-modes.md: the four cluster security groups, with no inbound rule on the control-plane group and 22 on remoteAccess', () => {
    const names = out('Name=vpc-id,Values=$VPCID')
      .trim()
      .split('\n')
      .map((l) => l.split('\t')[0]);
    expect(names).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^eksctl-myeks-cluster-ControlPlaneSecurityGroup-\w+$/),
        expect.stringMatching(/^eksctl-myeks-cluster-ClusterSharedNodeSecurityGroup-\w+$/),
        'eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess',
        expect.stringMatching(/^eks-cluster-sg-myeks-\d+$/),
      ]),
    );
    expect(names).toHaveLength(5);
    expect(JSON.parse(out('*ControlPlaneSecurityGroup*'))).toEqual([]);
    expect(JSON.parse(out('*remoteAccess*'))).toEqual([
      expect.objectContaining({
        IpProtocol: 'tcp',
        FromPort: 22,
        ToPort: 22,
        IpRanges: [expect.objectContaining({ CidrIp: '0.0.0.0/0' })],
      }),
    ]);
    const clusterSg = JSON.parse(out("Values='eks-cluster-sg-*'"));
    expect(clusterSg[0]).toMatchObject({ IpProtocol: '-1' });
  });

  it('docs/lessons/seed-week1.md: the work EC2 reaches a node over SSH as ec2-user', () => {
    expect(exactly('ssh -i ~/.ssh/id_rsa ec2-user@$N1 hostname')).toMatch(
      /Permanently added '192\.168\.\d+\.\d+' .*\nip-192-168-\d+-\d+\.ap-northeast-2\.compute\.internal\n/,
    );
  });

  it('docs/endpoint-modes.md: after update-cluster-vpc-config --private-access=true --public-access=false --approve the bastion is locked out', () => {
    expect(out('eksctl utils update-cluster-vpc-config')).toMatch(/privateAccess=true, publicAccess=false/);
    const vpc = JSON.parse(out('--query cluster.resourcesVpcConfig'));
    expect(vpc).toMatchObject({ endpointPublicAccess: false, endpointPrivateAccess: true });
    for (const a of exactly('dig +short $APIDNS', 1).trim().split('\n')) expect(a).toMatch(/^192\.168\./);
    const locked = exactly('kubectl get nodes', 0);
    expect(locked).toMatch(/Unable to connect to the server: dial tcp 192\.168\.\d+\.\d+:443: i\/o timeout/);
    expect(locked).toMatch(
      /eks-sim: bastion cannot reach the API server in private mode, refused at .* fix: add inbound TCP 443/,
    );
    expect(exactly('eksctl delete cluster --name $CLUSTER_NAME', 0)).toMatch(/i\/o timeout/);
    expect(exactly('eksctl delete cluster --name $CLUSTER_NAME', 0)).not.toMatch(/all cluster resources were deleted/);
  });

  it('the fix: TCP 443 from the bastion security group lets kubectl through', () => {
    expect(JSON.parse(out('aws ec2 authorize-security-group-ingress'))).toMatchObject({
      Return: true,
      SecurityGroupRules: [
        {
          IpProtocol: 'tcp',
          FromPort: 443,
          ToPort: 443,
          ReferencedGroupInfo: { GroupId: expect.stringMatching(/^sg-/) },
        },
      ],
    });
    expect(exactly('kubectl get nodes', 1)).toMatch(
      /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n(ip-192-168-\S+\s+Ready\s.*\n){2}$/,
    );
  });

  it('the lesson ends with the console deletion: node group, its stack, then the cluster stack; nothing is left', () => {
    expect(out('aws eks delete-nodegroup').trim()).toBe('"DELETING"');
    for (const waiter of ['aws eks wait nodegroup-deleted', 'aws cloudformation wait stack-delete-complete']) {
      expect(out(waiter)).toBe('');
    }
    expect(JSON.parse(out('aws eks list-clusters'))).toEqual({ clusters: [] });
    expect(JSON.parse(out('aws ec2 describe-network-interfaces'))).toEqual([]);
    expect(lab.stdout).not.toMatch(/An error occurred/);
  });
});

describe('eks-sim exec', () => {
  it('runs one line and exits with its status, the AWS CLI error on stderr', () => {
    const r = runCli(['exec', '--', 'aws eks describe-cluster --name nope']);
    expect(r.code).toBe(254);
    expect(r.stderr).toContain(
      'An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: nope.',
    );
  });

  it('runs from another vantage with --from, and joins several words into one line', () => {
    const r = runCli(['exec', '--from', 'laptop', '--', 'kubectl', 'get', 'nodes']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^NAME\s+STATUS/);
  });

  it('keeps a word with blanks whole when the line comes as several words', () => {
    const r = runCli([
      'exec',
      '--',
      'aws',
      'iam',
      'list-roles',
      '--query',
      "Roles[?contains(RoleName, 'NodeInstanceRole')].RoleName",
      '--output',
      'text',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^eksctl-myeks-nodegroup-myeks-nodeg-NodeInstanceRole-\w+\n$/);
  });

  it('refuses an unknown vantage on one line of stderr, exit status 2', () => {
    const r = runCli(['exec', '--from', 'moon', '--', 'ls']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^eks-sim: exec: unknown vantage "moon" \(known: bastion, laptop/);
  });

  it('exits 127 for an unknown tool, like bash', () => {
    const r = runCli(['exec', '--', 'kubeclt get nodes']);
    expect(r.code).toBe(127);
    expect(r.stderr).toBe('bash: kubeclt: command not found\n');
  });
});

describe('eks-sim shell on bad input', () => {
  it("reports an unbalanced quote at the end of input with bash's message and goes on with the status 2", () => {
    const r = runCli(['shell'], { input: 'echo one\necho "two\n' });
    expect(r.stdout).toContain('one\n');
    expect(r.stdout).toContain('bash: unexpected EOF while looking for matching `"\'');
    expect(r.code).toBe(2);
  });

  it('logs in to a node with ssh and back out with exit, as a terminal does', () => {
    const r = runCli(['shell'], {
      input:
        'export N1=$(aws ec2 describe-instances --filters Name=tag:eks:nodegroup-name,Values=$CLUSTER_NAME-nodegroup --query "Reservations[0].Instances[0].PrivateIpAddress" --output text)\nssh ec2-user@$N1\nwhoami\nexit\nwhoami\n',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\n\[ec2-user@ip-192-168-\d+-\d+ ~\]\$ whoami\nec2-user\n/);
    expect(r.stdout).toMatch(
      /\nlogout\nConnection to 192\.168\.\d+\.\d+ closed\.\n\[root@myeks-host ~\]# whoami\nroot\n$/,
    );
  });

  it('stops at exit N with that status', () => {
    const r = runCli(['shell'], { input: 'exit 3\necho never\n' });
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('never');
  });
});
