import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createArchitectureSvg, drawArchitecture } from '../../packages/viz/src/architecture';
import { noAnimation } from '../../packages/viz/src/draw-common';
import type { SnapshotParts } from '../../packages/viz/src/view';
import { attr, container, installDom } from './dom-setup';

beforeAll(() => {
  installDom();
});

function draw(snapshot: SnapshotParts): SVGSVGElement {
  const svg = createArchitectureSvg(container());
  drawArchitecture(svg, snapshot, noAnimation);
  return svg;
}

function all(svg: Element, kind: string): Element[] {
  return [...svg.querySelectorAll(`[data-kind="${kind}"]`)];
}

describe('the architecture view of the seed cluster', () => {
  const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
  sim.advance(10 * 60_000);
  const snapshot = sim.snapshot();

  it('draws every API server, etcd member and NLB node of the snapshot with its own id and state', () => {
    const svg = draw(snapshot);
    const apiServers = all(svg, 'apiserver');
    expect(apiServers.length).toBeGreaterThanOrEqual(2);
    expect(apiServers.map((e) => attr(e, 'data-id')).sort()).toEqual(
      snapshot.controlPlane.apiServers.map((a) => a.id).sort(),
    );
    for (const server of snapshot.controlPlane.apiServers) {
      expect(attr(svg.querySelector(`[data-kind="apiserver"][data-id="${server.id}"]`), 'data-state')).toBe(
        server.state,
      );
    }
    expect(all(svg, 'etcd')).toHaveLength(3);
    expect(all(svg, 'nlb')).toHaveLength(3);
    expect(all(svg, 'az').map((e) => attr(e, 'data-id'))).toEqual(['apne2-az1', 'apne2-az2', 'apne2-az3']);
  });

  it('crowns exactly the etcd member the model calls leader, with its term', () => {
    const svg = draw(snapshot);
    const leaders = all(svg, 'etcd').filter((e) => attr(e, 'data-leader') === 'true');
    const leader = snapshot.controlPlane.etcd.find((m) => m.role === 'leader');
    expect(leaders.map((e) => attr(e, 'data-id'))).toEqual([leader?.id]);
    expect(leaders[0]?.textContent).toContain(`term ${leader?.term}`);
    expect(leaders[0]?.textContent).toContain('leader');
  });

  it('shows the NLB node of the AZ without an API server as out of DNS, as dig sees it (docs/lessons/seed-week1.md)', () => {
    const svg = draw(snapshot);
    for (const nlb of snapshot.controlPlane.nlbs) {
      const drawn = svg.querySelector(`[data-kind="nlb"][data-id="${nlb.id}"]`);
      expect(attr(drawn, 'data-in-dns')).toBe(String(nlb.inDns));
      expect(drawn?.textContent).toContain(nlb.inDns ? 'in DNS' : 'out of DNS');
    }
    expect(snapshot.controlPlane.nlbs.filter((n) => !n.inDns)).toHaveLength(1);
  });

  it('draws the customer VPC: subnets, the bastion, the nodes, the EKS-owned ENIs and the security groups by name', () => {
    const svg = draw(snapshot);
    expect(all(svg, 'subnet')).toHaveLength(snapshot.network.subnets.length);
    expect(all(svg, 'bastion')).toHaveLength(1);
    expect(all(svg, 'bastion')[0]?.textContent).toContain('myeks-host');
    expect(all(svg, 'laptop')).toHaveLength(1);
    const nodes = snapshot.nodegroups.flatMap((g) => g.nodes);
    expect(all(svg, 'node')).toHaveLength(nodes.length);
    expect(all(svg, 'eni')).toHaveLength(snapshot.network.enis.length);
    const sgNames = all(svg, 'security-group').map((e) => e.textContent ?? '');
    expect(sgNames.some((n) => n.startsWith('eks-cluster-sg-myeks-'))).toBe(true);
    expect(all(svg, 'sg-outline').length).toBeGreaterThan(0);
  });

  it('draws a blue path for every client the model says gets through, and a legend', () => {
    const svg = draw(snapshot);
    const paths = all(svg, 'path');
    expect(paths.map((p) => attr(p, 'data-id')).sort()).toEqual(
      snapshot.endpoint.reachability.map((r) => r.client).sort(),
    );
    for (const path of paths) expect(attr(path, 'data-state')).toBe('reachable');
    expect(all(svg, 'legend')).toHaveLength(1);
  });

  it('draws the control plane reaching each node’s kubelet through the EKS-owned ENIs, as the model says', () => {
    const svg = draw(snapshot);
    const kubelets = all(svg, 'kubelet-path');
    expect(kubelets).toHaveLength(snapshot.endpoint.kubelets.length);
    const nodes = snapshot.nodegroups.flatMap((g) => g.nodes.map((n) => n.name));
    expect(kubelets.map((k) => attr(k, 'data-id')).sort()).toEqual(nodes.sort());
    for (const verdict of snapshot.endpoint.kubelets) {
      const drawn = kubelets.find((k) => verdict.client.endsWith(attr(k, 'data-id') ?? '?'));
      expect(attr(drawn, 'data-state')).toBe(verdict.reachable ? 'reachable' : 'refused');
    }
  });
});

describe('the architecture view follows the model through a fault and an endpoint change', () => {
  it('greys a failed AZ and crowns the newly elected leader', () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 3 });
    sim.advance(60_000);
    const leaderBefore = sim.snapshot().controlPlane.etcd.find((m) => m.role === 'leader')!;
    expect(sim.apply({ type: 'fault.az', az: leaderBefore.az }).ok).toBe(true);
    sim.advance(60_000);
    const after = sim.snapshot();
    const svg = draw(after);
    const az = svg.querySelector(`[data-kind="az"][data-id="${leaderBefore.az}"]`);
    expect(attr(az, 'data-state')).toBe('down');
    expect(az?.classList.contains('failed')).toBe(true);
    expect(attr(az?.querySelector('rect.az-hatch'), 'display')).toBeNull();
    const leaders = all(svg, 'etcd').filter((e) => attr(e, 'data-leader') === 'true');
    expect(leaders).toHaveLength(1);
    expect(attr(leaders[0], 'data-id')).not.toBe(leaderBefore.id);
    expect(attr(leaders[0], 'data-az')).not.toBe(leaderBefore.az);
  });

  it('marks a partitioned AZ with its network state and a dashed border, without greying it', () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    expect(sim.apply({ type: 'partition.az', az: 'apne2-az3' }).ok).toBe(true);
    const svg = draw(sim.snapshot());
    const az = svg.querySelector('[data-kind="az"][data-id="apne2-az3"]');
    expect(attr(az, 'data-state')).toBe('up');
    expect(attr(az, 'data-network')).toBe('partitioned');
    expect(az?.classList.contains('failed')).toBe(false);
    expect(attr(az?.querySelector('rect.az-box'), 'stroke-dasharray')).toBe('10 6');
    expect(az?.textContent).toContain('partitioned');
  });

  it('in private mode the bastion path is red, refused at the cluster security group with the reason, until 443 is allowed', () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    expect(sim.apply({ type: 'endpoint.update', public: false, private: true }).ok).toBe(true);
    const updating = draw(sim.snapshot());
    expect(updating.querySelector('[data-kind="customer-vpc"] .frame-subtitle')?.textContent).toMatch(
      /^endpoint: public → private in \d+ min \(EndpointAccessUpdate\)$/,
    );
    sim.advance(30 * 60_000);
    const locked = sim.snapshot();
    const verdict = locked.endpoint.reachability.find((r) => r.client === 'bastion')!;
    expect(verdict.reachable).toBe(false);
    let svg = draw(locked);
    expect(svg.querySelector('[data-kind="customer-vpc"] .frame-subtitle')?.textContent).toBe('endpoint: private');
    const path = svg.querySelector('[data-kind="path"][data-id="bastion"]');
    expect(attr(path, 'data-state')).toBe('refused');
    expect(attr(path, 'data-refused-at')).toBe(verdict.refusedAt);
    expect(attr(path, 'data-reason')).toBe(verdict.path.find((h) => h.hop === verdict.refusedAt)?.detail);
    expect(attr(path?.querySelector('path.line'), 'stroke')).toBe('#D55E00');
    expect(path?.querySelector('[data-kind="refusal"]')?.textContent).toBe('✕');
    expect(path?.querySelector('title')?.textContent).toContain(`Fix: ${verdict.fix}`);

    const written = svg.querySelector('[data-kind="refusal-reason"][data-id="bastion"]');
    expect(attr(written, 'data-state')).toBe(verdict.refusedAt);
    expect(written?.textContent?.replace(/\s+/g, ' ')).toContain('fix: add inbound TCP 443');

    expect(verdict.fixCommand).not.toBeNull();
    expect(sim.apply(verdict.fixCommand!).ok).toBe(true);
    svg = draw(sim.snapshot());
    expect(attr(svg.querySelector('[data-kind="path"][data-id="bastion"]'), 'data-state')).toBe('reachable');
  });
});

describe('the architecture view with parts of the model missing', () => {
  // Each part present has the model's shape (the protocol types the snapshot); parts may be missing.
  it('draws an empty snapshot, or one with only some of its parts, without throwing, and says there is no control plane', () => {
    const whole = createSimulation(scenarios['seed-week1'], { seed: 1 }).snapshot();
    const partials: SnapshotParts[] = [
      {},
      { controlPlane: whole.controlPlane },
      { network: whole.network },
      { endpoint: whole.endpoint },
      null,
    ];
    for (const partial of partials) {
      const svg = draw(partial);
      expect(svg.querySelector('g.root')).not.toBeNull();
    }
    const svg = draw({ region: 'ap-northeast-2' });
    expect(svg.textContent).toContain('No control plane yet');
  });
});
