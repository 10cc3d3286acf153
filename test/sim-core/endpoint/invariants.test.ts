import { checkInvariants, createSimulation, type Snapshot } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';

/** A snapshot doctored to break one rule: the checks must notice. */
function doctor(change: (s: Snapshot) => void): Snapshot {
  const sim = createSimulation();
  sim.apply({ type: 'endpoint.update', public: false, private: true });
  sim.advance(10 * 60_000);
  const snapshot = JSON.parse(JSON.stringify(sim.snapshot())) as Snapshot;
  change(snapshot);
  return snapshot;
}

const names = (s: Snapshot) => checkInvariants(s).map((v) => v.invariant);

describe('endpoint invariants catch what they promise', () => {
  it('hold on the real private-only snapshot', () => {
    expect(names(doctor(() => {}))).toEqual([]);
  });

  it('flag a laptop that reaches a private-only endpoint', () => {
    const s = doctor((snap) => {
      const laptop = snap.endpoint.reachability.find((r) => r.client === 'laptop') as { reachable: boolean };
      Object.assign(laptop, { reachable: true, refusedAt: null, path: [{ hop: 'api-server', ok: true, detail: '' }] });
    });
    expect(names(s)).toContain('private-endpoint-unreachable-from-outside');
  });

  it('flag a node that reaches a public-only endpoint without leaving the VPC', () => {
    const s = doctor((snap) => {
      Object.assign(snap.endpoint, { mode: 'public' });
      const node = snap.endpoint.reachability.find((r) => r.client.startsWith('ip-')) as object;
      Object.assign(node, { reachable: true, via: 'private' });
    });
    expect(names(s)).toContain('public-endpoint-node-traffic-leaves-vpc');
  });

  it('flag a verdict that disagrees with its own hops', () => {
    const s = doctor((snap) => {
      const bastion = snap.endpoint.reachability.find((r) => r.client === 'bastion') as object;
      Object.assign(bastion, { refusedAt: 'dns-answer' });
    });
    expect(names(s)).toContain('reachability-verdict-matches-path');
  });
});
