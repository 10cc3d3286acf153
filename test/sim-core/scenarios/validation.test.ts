import {
  checkScenarioText,
  createSimulation,
  type ParseScenarioOptions,
  parseScenario,
  ScenarioError,
  type ScenarioIssue,
  scenarios,
  validateScenario,
} from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

function issuesOf(text: string, options: ParseScenarioOptions = {}): readonly ScenarioIssue[] {
  const result = checkScenarioText(text, { file: 'class.yaml', ...options });
  if (result.ok) throw new Error('expected the scenario to be refused');
  return result.issues;
}

const timeline = (entries: string) => `extends: seed-week1\nname: mine\ntimeline:\n${entries}`;

describe('a scenario is checked whole before anything runs', () => {
  it('every built-in scenario is valid', () => {
    for (const scenario of Object.values(scenarios)) expect(validateScenario(scenario), scenario.name).toEqual([]);
  });

  it('refuses an unknown command type at its line and column, listing the known ones', () => {
    const [issue, ...rest] = issuesOf(timeline('  - at: 10m\n    command: { type: no.such.command }\n'));
    expect(rest).toEqual([]);
    expect(issue).toMatchObject({ file: 'class.yaml', line: 5, column: 22, field: 'timeline[0].command.type' });
    expect(issue?.problem).toBe('unknown command type "no.such.command"');
    expect(issue?.accepted).toMatch(/fault\.az, fault\.etcd/);
  });

  it('refuses fault.az with a customer AZ name, naming the control-plane AZ ids', () => {
    const [issue] = issuesOf(timeline('  - at: 20m\n    command:\n      type: fault.az\n      az: us-east-1a\n'));
    expect(issue).toMatchObject({ line: 7, column: 11, field: 'timeline[0].command.az' });
    expect(issue?.problem).toMatch(/ap-northeast-2 has no control-plane AZ "us-east-1a"/);
    expect(issue?.accepted).toBe('one of apne2-az1, apne2-az2, apne2-az3');
  });

  it('refuses a version step EKS would refuse (1.29 → 1.31), with its words', () => {
    const issues = issuesOf(
      timeline(
        '  - at: 1h\n    command: { type: cluster.update-version, version: "1.29" }\n' +
          '  - at: 2h\n    command: { type: cluster.update-version, version: "1.31" }\n',
      ),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 7, field: 'timeline[1].command.version' });
    expect(issues[0]?.problem).toMatch(/Unsupported Kubernetes minor version update from 1\.29 to 1\.31/);
    expect(issues[0]?.accepted).toMatch(/^1\.30/);
  });

  it('reports all the errors at once, in file order: fields, times, node groups and names', () => {
    const issues = issuesOf(
      timeline(
        '  - at: 2020-01-01\n    command: { type: load.spike, factor: 0, colour: red }\n' +
          '  - at: soon\n    command: { type: nodegroup.upgrade, nodegroup: nope, clusterName: other }\n',
      ) + 'cluster:\n  verison: "1.28"\n',
    );
    expect(issues.map((i) => i.field)).toEqual([
      'timeline[0].at',
      'timeline[0].command.factor',
      'timeline[0].command.colour',
      'timeline[1].at',
      'timeline[1].command.nodegroup',
      'timeline[1].command.clusterName',
      'cluster.verison',
    ]);
    expect(issues[0]?.problem).toMatch(/before the scenario's start/);
    expect(issues[4]?.accepted).toBe('one of myeks-nodegroup');
    expect(issues.every((i) => i.line > 0 && i.column > 0)).toBe(true);
  });

  it('checks the network: overlapping CIDRs, subnets outside the VPC, a route to a NAT gateway that cannot exist', () => {
    const issues = issuesOf(
      'extends: seed-week1\nnetwork:\n  subnets: private-only\n  natGateway: single\n  connectedNetworks:\n' +
        '    - { name: office, cidr: 10.0.0.0/8, via: vpn }\n    - { name: dc, cidr: 10.1.0.0/16, via: direct-connect }\n' +
        '    - { name: lab, cidr: 192.168.4.0/24, via: peering }\n',
    );
    const text = issues.map((i) => `${i.field}: ${i.problem}`).join('\n');
    expect(text).toMatch(/network\.natGateway: the private route tables would send 0\.0\.0\.0\/0 to a NAT gateway/);
    expect(text).toMatch(
      /connectedNetworks\[1\]\.cidr: 10\.1\.0\.0\/16 overlaps connectedNetworks\[0\]'s 10\.0\.0\.0\/8/,
    );
    expect(text).toMatch(/connectedNetworks\[2\]\.cidr: 192\.168\.4\.0\/24 overlaps the VPC's 192\.168\.0\.0\/16/);
    // The node group of seed-week1 asks for public subnets: placed in the built-in it came from.
    expect(issues.find((i) => i.field === 'cluster.nodeGroups[0].subnets')?.file).toBe('built-in seed-week1');
    const small = issuesOf('extends: seed-week1\nnetwork: { vpcCidr: 10.0.0.0/24 }\n');
    expect(small[0]).toMatchObject({ field: 'network.vpcCidr', line: 2, column: 21 });
  });

  it('follows extends: chains of files, and names a cycle and an unknown name', () => {
    const files: Record<string, string> = {
      'a.yaml': 'extends: b.yaml\nname: a\n',
      'b.yaml': 'extends: a.yaml\n',
      'c.yaml': 'extends: d.yaml\n',
      'd.yaml': 'extends: seed-week1\nname: d\nseed: 4\n',
    };
    const readFile = (path: string) => (files[path] ? { file: path, text: files[path] } : undefined);
    const cycle = issuesOf(files['a.yaml'] as string, { file: 'a.yaml', readFile });
    expect(cycle[0]).toMatchObject({ file: 'b.yaml', line: 1, column: 10, field: 'extends' });
    expect(cycle[0]?.problem).toBe('extends: makes a cycle: a.yaml → b.yaml → a.yaml');
    const unknown = issuesOf('extends: seed-weak1\n');
    expect(unknown[0]?.problem).toBe('there is no scenario "seed-weak1"');
    expect(unknown[0]?.accepted).toMatch(/seed-week1/);
    const chained = parseScenario(files['c.yaml'] as string, { file: 'c.yaml', readFile });
    expect(chained).toMatchObject({ name: 'd', seed: 4, cluster: { name: 'myeks' } });
  });

  it('a file that extends nothing must give name, start, region and cluster', () => {
    const issues = issuesOf('title: hello\n');
    expect(issues.map((i) => i.problem)).toEqual([
      '"name" is required (in a file that does not use extends:)',
      '"start" is required (in a file that does not use extends:)',
      '"region" is required (in a file that does not use extends:)',
      '"cluster" is required (in a file that does not use extends:)',
    ]);
  });

  it('a valid scenario runs its timeline; an invalid one never starts', () => {
    const scenario = parseScenario(timeline('  - at: 10m\n    command: { type: fault.az, az: apne2-az1 }\n'));
    const sim = createSimulation(scenario);
    sim.advance(11 * 60_000);
    expect(sim.events().some((e) => e.type === 'command.applied')).toBe(true);
    expect(() => parseScenario(timeline('  - at: 10m\n    command: { type: fault.az, az: az9 }\n'))).toThrow(
      ScenarioError,
    );
  });

  it('a broken or hostile YAML file is an issue, never a crash', () => {
    expect(issuesOf('name: [\n')[0]?.problem).toMatch(/not valid YAML/);
    expect(issuesOf('a: 1\na: 2\n')[0]?.problem).toMatch(/not valid YAML.*unique/);
    const laughs = `a: &a [x, x, x, x, x, x, x, x, x, x]\n${Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`).join('\n')}\n`;
    expect(issuesOf(laughs)[0]?.problem).toMatch(/alias/i);
    const deep = `name: ${'['.repeat(5000)}${']'.repeat(5000)}\n`;
    expect(issuesOf(deep)[0]?.problem).toMatch(/cannot be read: .*nested too deeply/);
  });
});

describe('node groups of a scenario', () => {
  it('an instance type EC2 does not have is refused, with the one probably meant', () => {
    const [issue] = issuesOf(
      'extends: seed-week1\ncluster:\n  nodeGroups:\n    - { name: ng, instanceType: t3.medum, desiredCapacity: 2 }\n',
    );
    expect(issue).toMatchObject({
      field: 'cluster.nodeGroups[0].instanceType',
      line: 4,
      problem: 'EC2 has no instance type "t3.medum"',
    });
    expect(issue?.accepted).toMatch(/^t3\.medium/);
  });
});
