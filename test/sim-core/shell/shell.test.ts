import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);

describe('the simulated shell', () => {
  it('starts the bastion with the variables the seed exported, from the lab network’s real ids (docs/lessons/seed-week1.md)', () => {
    const sim = week1();
    const net = sim.snapshot().network;
    const pub = net.subnets.filter((s) => s.kind === 'public').map((s) => s.id);
    const priv = net.subnets.filter((s) => s.kind === 'private').map((s) => s.id);
    const r = sim.exec(
      'echo $AWS_DEFAULT_REGION $CLUSTER_NAME $VPCID $PubSubnet1,$PubSubnet2 $PrivateSubnet1 $PrivateSubnet2',
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`ap-northeast-2 myeks ${net.vpcId} ${pub[0]},${pub[1]} ${priv[0]} ${priv[1]}\n`);
    expect(sim.domains.shell.prompt()).toBe('[root@myeks-host ~]# ');
  });

  it('keeps exports per vantage and between lines, and `$?` of the last command', () => {
    const sim = week1();
    expect(sim.exec('export GREETING="hello world"').exitCode).toBe(0);
    expect(sim.exec('echo $GREETING').stdout).toBe('hello world\n');
    expect(sim.exec('echo "[$GREETING]"', { from: 'laptop' }).stdout).toBe('[]\n');
    sim.exec('false');
    expect(sim.exec('echo $?').stdout).toBe('1\n');
  });

  it('answers an unknown tool with bash’s "command not found" and exit status 127', () => {
    const r = week1().exec('foo --bar');
    expect(r).toMatchObject({ exitCode: 127, stdout: '', stderr: 'bash: foo: command not found\n' });
  });

  it('refuses an unbalanced quote with exit status 2 and changes nothing', () => {
    const sim = week1();
    const before = sim.events().length;
    const r = sim.exec('aws eks update-cluster-config --name myeks --resources-vpc-config "endpointPublicAccess=false');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unexpected EOF while looking for matching `"\'');
    expect(sim.events().length).toBe(before);
    expect(sim.snapshot().cluster?.resourcesVpcConfig.endpointPublicAccess).toBe(true);
  });

  it('short-circuits && and || and pipes stdout into the next command', () => {
    const sim = week1();
    expect(sim.exec('false && echo no || echo yes').stdout).toBe('yes\n');
    expect(sim.exec('aws eks list-clusters | grep -c myeks').stdout).toBe('1\n');
  });

  it('writes and reads files of the vantage with > and here-documents', () => {
    const sim = week1();
    sim.exec('cat > cluster.yaml <<EOF\nmetadata:\n  name: $CLUSTER_NAME\nEOF');
    expect(sim.exec('cat cluster.yaml').stdout).toBe('metadata:\n  name: myeks\n');
    expect(sim.exec('cat cluster.yaml', { from: 'laptop' }).exitCode).toBe(1);
  });

  it('lets simulated time pass with sleep, and reports it in tookMs', () => {
    const sim = week1();
    const t0 = sim.now();
    const r = sim.exec('sleep 15m');
    expect(r.tookMs).toBe(15 * 60_000);
    expect(sim.now() - t0).toBe(15 * 60_000);
  });

  it('refuses an unknown vantage by naming the known ones', () => {
    const r = week1().exec('ls', { from: 'mars' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/unknown vantage "mars" \(known: bastion, laptop, ip-/);
  });

  it('gives the same output and event log for the same lines, seed and scenario', () => {
    const lines = [
      'dig +short $(aws eks describe-cluster --name myeks --query cluster.endpoint --output text | cut -c9-)',
      'kubectl get nodes',
    ];
    const run = () => {
      const sim = week1();
      const outputs = lines.map((l) => sim.exec(l).output);
      return JSON.stringify({ outputs, events: sim.events() });
    };
    expect(run()).toBe(run());
  });
});

describe('command substitution', () => {
  it('shows the stderr of $(…) and gives X=$(…) its status, as bash does', () => {
    const sim = week1();
    const r = sim.exec('X=$(aws eks describe-cluster --name nope)');
    expect(r.exitCode).toBe(254);
    expect(r.stderr).toContain('(ResourceNotFoundException)');
  });

  it('logs only the typed line, not the lines inside $(…)', () => {
    const sim = week1();
    const before = sim.events().length;
    sim.exec('echo $(aws eks list-clusters --query "clusters[0]" --output text)');
    const logged = sim
      .events()
      .slice(before)
      .filter((e) => e.type === 'shell.command');
    expect(logged.map((e) => e.message)).toEqual([
      '[root@myeks-host ~]# echo $(aws eks list-clusters --query "clusters[0]" --output text)',
    ]);
    expect(sim.snapshot().shell.history.at(-1)?.line).toContain('echo $(');
  });
});

describe('tab completion', () => {
  it('completes tool names, $VARIABLES, aws services, operations and options, eksctl and kubectl commands', () => {
    const shell = week1().domains.shell;
    expect(shell.complete('kub')).toEqual(['kubectl']);
    expect(shell.complete('echo $Pub')).toEqual(['$PubSubnet1', '$PubSubnet2']);
    expect(shell.complete('aws e')).toEqual(['ec2', 'eks']);
    expect(shell.complete('aws eks describe-c')).toEqual(['describe-cluster']);
    expect(shell.complete('aws eks wait ')).toEqual([
      'cluster-active',
      'cluster-deleted',
      'nodegroup-active',
      'nodegroup-deleted',
    ]);
    expect(shell.complete('aws eks describe-cluster --n')).toEqual(['--name']);
    expect(shell.complete('eksctl utils update-cluster-v')).toEqual(['update-cluster-vpc-config']);
    expect(shell.complete('kubectl get no')).toEqual(['nodes']);
    expect(shell.complete('kubectl config cu')).toEqual(['current-context']);
  });
});

describe('the seed lesson through sim.exec', () => {
  it('replays byte for byte: the same lines on the same scenario and seed give the same outputs and event log', () => {
    const run = () => {
      const sim = createSimulation(scenarios['seed-lab']);
      const lesson = sim.scenario.lesson;
      const outputs = (lesson?.steps ?? []).flatMap((step) =>
        (step.shell ?? []).map((line) => sim.exec(line, { from: step.from }).output),
      );
      return { outputs, log: JSON.stringify(sim.events()) };
    };
    const first = run();
    expect(first.outputs.length).toBeGreaterThan(30);
    // The lesson ends with the console's deletion: nothing is left.
    expect(first.outputs.at(-2)).toContain('"clusters": []');
    expect(run()).toEqual(first);
  });
});

describe('ssh to the nodes (docs/lessons/seed-week1.md --ssh-access)', () => {
  it('lets the bastion run a command on a node as ec2-user, over the remoteAccess rule on port 22', () => {
    const sim = week1();
    const node = sim.domains.nodegroups.all[0]?.nodes[0];
    const r = sim.exec(`ssh -i ~/.ssh/id_rsa ec2-user@${node?.privateIp} hostname`);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${node?.name}\n`);
    expect(r.stderr).toContain('Permanently added');
    expect(sim.exec(`ssh ec2-user@${node?.privateIp} whoami`).stderr).toBe('');
  });

  it('without a command, ssh is a login: the result says where the terminal carries on', () => {
    const sim = week1();
    const node = sim.domains.nodegroups.all[0]?.nodes[0];
    const r = sim.exec(`ssh ec2-user@${node?.privateIp}`);
    expect(r.exitCode).toBe(0);
    expect(r.login).toEqual({ from: node?.name, address: node?.privateIp });
    expect(sim.exec('hostname').login).toBeUndefined();
    expect(sim.domains.shell.prompt(node?.name)).toBe(`[ec2-user@ip-${node?.privateIp.replace(/\./g, '-')} ~]$ `);
  });

  it('refuses the laptop: no route to a private address, and no key for the public one', () => {
    const sim = week1();
    const node = sim.domains.nodegroups.all[0]?.nodes[0];
    const privateTry = sim.exec(`ssh ec2-user@${node?.privateIp} hostname`, { from: 'laptop' });
    expect(privateTry.exitCode).toBe(255);
    expect(privateTry.stderr).toContain(`ssh: connect to host ${node?.privateIp} port 22: Connection timed out`);
    const publicTry = sim.exec(`ssh ec2-user@${node?.publicIp} hostname`, { from: 'laptop' });
    expect(publicTry.stderr).toContain('Permission denied (publickey');
  });

  it('times out when the remoteAccess rule is revoked', () => {
    const sim = week1();
    const node = sim.domains.nodegroups.all[0]?.nodes[0];
    for (const cidr of ['0.0.0.0/0', '::/0']) {
      expect(
        sim.exec(
          `aws ec2 revoke-security-group-ingress --group-name eksctl-myeks-nodegroup-myeks-nodegroup-remoteAccess --protocol tcp --port 22 --cidr ${cidr}`,
        ).exitCode,
      ).toBe(0);
    }
    const r = sim.exec(`ssh ec2-user@${node?.privateIp} hostname`);
    expect(r.exitCode).toBe(255);
    expect(r.tookMs).toBe(130_000);
    expect(r.stderr).toMatch(/eks-sim: no security group of .* allows TCP 22/);
  });
});
