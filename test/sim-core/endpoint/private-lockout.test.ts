import { checkInvariants, createSimulation, parseDuration, scenarios } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

describe('private-lockout reproduces the study group’s lockout and its fix', () => {
  const scenario = scenarios['private-lockout'];

  it('is a built-in lesson that tells the lockout in plain words: the cluster security group and TCP 443', () => {
    expect(scenario?.lesson?.steps.length).toBeGreaterThanOrEqual(5);
    const text = scenario?.lesson?.steps.map((s) => s.text).join(' ') ?? '';
    expect(text).toContain('cluster security group');
    expect(text).toContain('TCP 443');
    expect(text).not.toMatch(/§/);
  });

  it('switches to private at 2 minutes; bastion and laptop lose the API server; the 443 rule restores the bastion', () => {
    const sim = createSimulation(scenario);
    const ep = sim.domains.endpoint;
    expect(ep.reach('bastion')).toMatchObject({ reachable: true, via: 'public' });
    sim.advance(parseDuration('2m') as number);
    expect(sim.snapshot().cluster?.status).toBe('UPDATING');
    sim.advance(parseDuration('12m') as number);
    expect(ep.mode()).toBe('private');
    expect(ep.reach('bastion')).toMatchObject({ reachable: false, refusedAt: 'cluster-sg-ingress' });
    expect(ep.reach('laptop')).toMatchObject({ reachable: false, refusedAt: 'route-table' });
    for (const node of sim.snapshot().nodegroups.flatMap((g) => g.nodes)) {
      expect(ep.reach(node.name)).toMatchObject({ reachable: true, via: 'private' });
    }
    expect(checkInvariants(sim)).toEqual([]);

    // docs/endpoint-modes.md: eksctl cannot delete the cluster from the locked-out bastion.
    const deletion = sim.exec('eksctl delete cluster --name myeks');
    expect(deletion.exitCode).not.toBe(0);
    expect(`${deletion.stdout}${deletion.stderr}`).toMatch(/i\/o timeout/);
    expect(sim.snapshot().cluster?.status).toBe('ACTIVE');

    const fixStep = scenario?.lesson?.steps.at(-1);
    for (const command of fixStep?.commands ?? []) expect(sim.apply(command)).toMatchObject({ ok: true });
    expect(ep.reach('bastion')).toMatchObject({ reachable: true, via: 'private' });
    expect(ep.reach('laptop').reachable).toBe(false);
    expect(ep.mode()).toBe('private');
  });

  it("the what-if agrees with what the simulated shell's curl gets, from the bastion and the laptop", () => {
    const sim = createSimulation(scenario);
    const endpoint = sim.snapshot().cluster?.endpoint as string;
    const check = () => {
      for (const from of ['bastion', 'laptop']) {
        const reachable = sim.domains.endpoint.reach(from).reachable;
        const curl = sim.exec(`curl -k -s ${endpoint}/version`, { from });
        expect({ from, mode: sim.domains.endpoint.mode(), ok: curl.exitCode === 0 }).toEqual({
          from,
          mode: sim.domains.endpoint.mode(),
          ok: reachable,
        });
      }
    };
    check();
    sim.advance(20 * 60_000);
    check();
    sim.apply({
      type: 'sg.add-rule',
      group: 'eks-cluster-sg-myeks',
      protocol: 'tcp',
      port: 443,
      source: 'myeks-EKSEC2SG',
    });
    check();
  });
});
