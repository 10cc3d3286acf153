import { createSimulation, nodeViews, platformVersionOn, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

const week1 = () => createSimulation(scenarios['seed-week1']);

describe('versions by date: nothing shows before its release (versions/platform-versions.ts)', () => {
  it('seed-week1 on 2024-03-10 runs 1.28 eks.7 (1.28.5, released 2024-01-17), not 1.28.15 (November 2024)', () => {
    const sim = week1();
    expect(sim.snapshot().cluster?.platformVersion).toBe('eks.7');
    const host = (sim.snapshot().cluster?.endpoint ?? '').replace('https://', '');
    const version = sim.exec(`curl -sk https://${host}/version`);
    expect(version.exitCode).toBe(0);
    const doc = JSON.parse(version.stdout);
    expect(doc.gitVersion).toMatch(/^v1\.28\.5-eks-[0-9a-f]{7}$/);
    expect(doc.buildDate).toBe('2024-01-17T00:00:00Z');
    const nodes = sim.exec('kubectl get nodes').stdout;
    expect(nodes).toMatch(/v1\.28\.5-eks-/);
    expect(nodes).not.toMatch(/v1\.28\.15/);
  });

  it('an upgrade takes the newest platform version of the new minor on that day', () => {
    expect(platformVersionOn('1.29', Date.parse('2024-03-10T00:00:00Z'))).toBe('eks.1');
    expect(platformVersionOn('1.29', Date.parse('2024-05-20T00:00:00Z'))).toBe('eks.7');
    expect(platformVersionOn('1.28', Date.parse('2023-09-25T00:00:00Z'))).toBe('eks.1');
    const sim = week1();
    expect(sim.exec('aws eks update-cluster-version --name myeks --kubernetes-version 1.29').exitCode).toBe(0);
    sim.exec('sleep 30m');
    const cluster = JSON.parse(sim.exec('aws eks describe-cluster --name myeks').stdout).cluster;
    expect(cluster).toMatchObject({ version: '1.29', platformVersion: 'eks.1' });
  });
});

describe('a pre-built scenario was built before it starts', () => {
  it('seed-week1: the cluster was created 15 minutes before the start, its nodes show a real AGE', () => {
    const sim = week1();
    const startMs = sim.startMs;
    expect(sim.snapshot().cluster?.createdAtMs).toBe(startMs - 15 * 60_000);
    const described = JSON.parse(sim.exec('aws eks describe-cluster --name myeks').stdout).cluster;
    expect(Date.parse(described.createdAt)).toBe(startMs - 15 * 60_000);
    const lines = sim.exec('kubectl get nodes').stdout.trim().split('\n').slice(1);
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line.split(/\s+/)[3]).toBe('4m');
  });

  it('seed-week1: the bastion has the kubeconfig eksctl wrote; seed-lab (nothing built) has none', () => {
    const config = week1().exec('cat ~/.kube/config');
    expect(config.exitCode).toBe(0);
    expect(config.stdout).toContain('current-context: arn:aws:eks:ap-northeast-2:111122223333:cluster/myeks');
    expect(config.stdout).toContain('- get-token');
    const lab = createSimulation(scenarios['seed-lab']).exec('cat ~/.kube/config');
    expect(lab.exitCode).not.toBe(0);
  });
});

describe('a node that never joined is not a Node', () => {
  it('nodes stranded in private subnets behind a public-only endpoint (NodeCreationFailure) are not listed', () => {
    const sim = week1();
    const privateSubnets = sim.domains.network.subnetsOfKind('private').map((s) => s.id);
    expect(privateSubnets.length).toBeGreaterThan(0);
    const created = sim.exec(
      `aws eks create-nodegroup --cluster-name myeks --nodegroup-name stranded --subnets ${privateSubnets.join(' ')} --node-role arn:aws:iam::111122223333:role/lab-node-role --scaling-config minSize=2,maxSize=2,desiredSize=2`,
    );
    expect(created.exitCode).toBe(0);
    sim.exec('sleep 10m');
    const group = sim.domains.nodegroups.find('stranded');
    expect(group?.status).toBe('CREATE_FAILED');
    expect(group?.health?.issues.map((i) => i.code)).toContain('NodeCreationFailure');
    const names = nodeViews(sim.domains).map((n) => n.name);
    for (const node of group?.nodes ?? []) expect(names).not.toContain(node.name);
    expect(names).toHaveLength(2);
  });
});
