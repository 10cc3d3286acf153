import { createSimulation, creatorIdentity, kubernetesRequest, restoreSimulation } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

// The seed's nodes: one in ap-northeast-2a (control-plane AZ apne2-az1), one in 2c (apne2-az3).
const nodeStates = (sim: ReturnType<typeof createSimulation>) =>
  Object.fromEntries(sim.snapshot().nodegroups.flatMap((g) => g.nodes.map((n) => [n.az, n.state])));

describe("an AZ's outage reaches its worker nodes (Kubernetes docs, Node status: node-monitor-grace-period 40 s)", () => {
  it('fault.az: the node in that AZ stays Ready for the grace period, then is NotReady; recover.az brings it back', () => {
    const sim = createSimulation();
    expect(nodeStates(sim)).toEqual({ 'ap-northeast-2a': 'Ready', 'ap-northeast-2c': 'Ready' });
    expect(sim.apply({ type: 'fault.az', az: 'apne2-az1' })).toMatchObject({ ok: true });
    sim.advance(39_000);
    expect(nodeStates(sim)['ap-northeast-2a']).toBe('Ready');
    sim.advance(2_000);
    expect(nodeStates(sim)).toEqual({ 'ap-northeast-2a': 'NotReady', 'ap-northeast-2c': 'Ready' });
    const lost = sim.events().filter((e) => e.type === 'node.not-ready');
    expect(lost).toHaveLength(1);
    expect(lost[0]?.message).toMatch(/stopped posting node status \(ap-northeast-2a is down\) for 40 s/);

    expect(sim.apply({ type: 'recover.az', az: 'apne2-az1' })).toMatchObject({ ok: true });
    expect(nodeStates(sim)['ap-northeast-2a']).toBe('Ready');
    expect(sim.events().find((e) => e.type === 'node.ready')?.message).toMatch(
      /posts node status \(ap-northeast-2a is back\)/,
    );
  });

  it("the node's pods show it: aws-node and kube-proxy there are not ready, the other node's are", () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.az', az: 'apne2-az3' });
    sim.advance(60_000);
    const down = sim.snapshot().nodegroups[0]?.nodes.find((n) => n.az === 'ap-northeast-2c')?.name;
    const answer = kubernetesRequest(
      sim.kubeModel(),
      { method: 'GET', path: '/api/v1/namespaces/kube-system/pods' },
      creatorIdentity('lab'),
      (c) => sim.apply(c),
    );
    if (!('json' in answer)) throw new Error(`expected a JSON answer, got ${JSON.stringify(answer)}`);
    const pods = (answer.json as { items: unknown[] }).items as {
      metadata: { name: string };
      spec: { nodeName?: string };
      status: { conditions?: { type: string; status: string }[] };
    }[];
    const readyOf = (p: (typeof pods)[number]) => p.status.conditions?.find((c) => c.type === 'Ready')?.status;
    const onDown = pods.filter((p) => p.spec.nodeName === down);
    expect(onDown.map((p) => p.metadata.name.replace(/-[a-z0-9]+$/, ''))).toEqual(
      expect.arrayContaining(['aws-node', 'kube-proxy']),
    );
    expect(onDown.every((p) => readyOf(p) === 'False')).toBe(true);
    expect(pods.filter((p) => p.spec.nodeName && p.spec.nodeName !== down).every((p) => readyOf(p) === 'True')).toBe(
      true,
    );
  });

  it('partition.az cuts the nodes there off too; heal.az reconnects them; an impaired AZ keeps its nodes', () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.az', az: 'apne2-az3', impaired: true });
    sim.advance(60_000);
    expect(nodeStates(sim)['ap-northeast-2c']).toBe('Ready');
    sim.apply({ type: 'partition.az', az: 'apne2-az3' });
    sim.advance(60_000);
    expect(nodeStates(sim)['ap-northeast-2c']).toBe('NotReady');
    expect(sim.events().find((e) => e.type === 'node.not-ready')?.message).toMatch(/cut off from the other AZs/);
    sim.apply({ type: 'heal.az', az: 'apne2-az3' });
    expect(nodeStates(sim)['ap-northeast-2c']).toBe('Ready');
  });

  it('an outage shorter than the grace period leaves the node Ready with no line in the log', () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.az', az: 'apne2-az1' });
    sim.advance(20_000);
    sim.apply({ type: 'recover.az', az: 'apne2-az1' });
    sim.advance(60_000);
    expect(nodeStates(sim)['ap-northeast-2a']).toBe('Ready');
    expect(sim.events().filter((e) => e.type === 'node.not-ready' || e.type === 'node.ready')).toEqual([]);
  });

  it('an AZ outage survives save and restore, grace timer included', () => {
    const sim = createSimulation();
    sim.apply({ type: 'fault.az', az: 'apne2-az1' });
    sim.advance(20_000);
    const restored = restoreSimulation(JSON.parse(JSON.stringify(sim.save())));
    for (const s of [sim, restored]) s.advance(30_000);
    expect(nodeStates(restored)).toEqual(nodeStates(sim));
    expect(nodeStates(restored)['ap-northeast-2a']).toBe('NotReady');
    expect(restored.events().map((e) => e.message)).toEqual(sim.events().map((e) => e.message));
    // The AZ's outage itself is kept: the path to the endpoint does not bring the node back while it lasts.
    for (const s of [sim, restored]) s.apply({ type: 'recover.az', az: 'apne2-az1' });
    expect(nodeStates(restored)).toEqual(nodeStates(sim));
  });
});
