/**
 * Golden runs of eksctl's create and delete workflows: for each case, eksctl's output, the
 * event log, every stack's events (deleted stacks too) and the provisioning snapshot, as they
 * were recorded before the workflows became machines. A change here is a change of behaviour;
 * regenerate with `UPDATE_GOLDEN=1 npx vitest run test/sim-core/provisioning/golden.test.ts`
 * (then `npx biome format --write test/sim-core/provisioning/golden`) only with a reason in the
 * commit message.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Simulation } from '@eks-sim/sim-core';
import { describe, expect, it } from 'vitest';
import { eksctl, labWithCluster, labWithoutCluster, SEED_LINE } from '../shell/eksctl/invoke';

const GOLDEN = new URL('./golden/', import.meta.url);
const FIXTURES = new URL('../../fixtures/eksctl/', import.meta.url);
const MINUTE = 60_000;

interface Recorder {
  readonly runs: unknown[];
  run(sim: Simulation, line: string, opts?: Parameters<typeof eksctl>[2]): ReturnType<typeof eksctl>;
}

function recorder(): Recorder {
  const runs: unknown[] = [];
  return {
    runs,
    run(sim, line, opts) {
      const r = eksctl(sim, line, opts);
      runs.push({ line, code: r.code, stdout: r.stdout, stderr: r.stderr, tookMs: r.tookMs });
      return r;
    },
  };
}

/** Everything a user can see of provisioning: stacks with their events (by StackId, so deleted ones too). */
function world(sim: Simulation, stackIds: Set<string>): unknown {
  const prov = sim.domains.provisioning;
  for (const s of prov.stacks()) stackIds.add(s.StackId);
  return {
    now: sim.now(),
    events: sim.events(),
    provisioning: sim.snapshot().provisioning,
    stackEvents: [...stackIds].map((id) => ({ id, status: prov.stack(id)?.StackStatus, events: prov.stackEvents(id) })),
    cluster: sim.domains.cluster.cluster?.status ?? null,
    nodegroups: sim.domains.nodegroups.all.map((g) => [g.name, g.status, g.nodes.map((n) => n.state)]),
  };
}

const CASES: Record<string, (rec: Recorder, ids: Set<string>) => Simulation> = {
  'seed-line-seed-1': (rec) => {
    const sim = labWithoutCluster({}, 1);
    rec.run(sim, SEED_LINE);
    return sim;
  },
  'seed-line-seed-7-then-delete-wait': (rec, ids) => {
    const sim = labWithoutCluster({}, 7);
    rec.run(sim, SEED_LINE);
    world(sim, ids);
    rec.run(sim, 'delete cluster --name myeks --wait');
    sim.advance(10 * MINUTE);
    return sim;
  },
  'seed-line-unmanaged-seed-3': (rec) => {
    const sim = labWithoutCluster({}, 3);
    rec.run(sim, `${SEED_LINE} --managed=false`);
    return sim;
  },
  'private-nodes-fail-seed-2': (rec) => {
    const sim = labWithoutCluster({}, 2);
    rec.run(
      sim,
      'create cluster --name myeks --nodegroup-name ng1 --node-private-networking --vpc-private-subnets "$PrivateSubnet1,$PrivateSubnet2" --vpc-public-subnets "$PubSubnet1,$PubSubnet2"',
    );
    sim.advance(5 * MINUTE);
    return sim;
  },
  'timeout-seed-4': (rec) => {
    const sim = labWithoutCluster({}, 4);
    rec.run(sim, `${SEED_LINE} --timeout 5m`);
    sim.advance(15 * MINUTE);
    return sim;
  },
  'config-01-new-vpc-seed-5': (rec) => {
    const sim = labWithoutCluster({ region: 'us-west-2' }, 5);
    const files = new Map([['/root/c.yaml', readFileSync(new URL('01-simple-cluster.yaml', FIXTURES), 'utf8')]]);
    rec.run(sim, 'create cluster -f c.yaml', { files });
    sim.advance(2 * MINUTE);
    return sim;
  },
  'config-09-nat-seed-6': (rec) => {
    const sim = labWithoutCluster({ region: 'us-west-2', network: { natGateway: 'per-az' } } as never, 6);
    const files = new Map([['/root/c.yaml', readFileSync(new URL('09-nat-gateways.yaml', FIXTURES), 'utf8')]]);
    rec.run(sim, 'create cluster -f c.yaml', { files });
    sim.advance(2 * MINUTE);
    return sim;
  },
  'nodegroup-create-upgrade-delete-seed-8': (rec) => {
    const sim = labWithCluster(8);
    rec.run(sim, 'create nodegroup --cluster myeks --name ng2 --node-type t3.large --nodes 1 --external-dns-access');
    rec.run(sim, 'upgrade cluster --name myeks --approve');
    rec.run(sim, 'upgrade nodegroup --name myeks-nodegroup --cluster myeks');
    rec.run(sim, 'delete nodegroup --cluster myeks --name ng2 --wait');
    rec.run(sim, 'delete cluster --name myeks');
    sim.advance(20 * MINUTE);
    return sim;
  },
  'commands-create-then-console-delete-seed-9': (_rec, ids) => {
    const sim = labWithoutCluster({}, 9);
    const config = {
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'myeks', region: 'ap-northeast-2', version: '1.28' },
      managedNodeGroups: [
        { name: 'a', instanceType: 't3.medium', desiredCapacity: 2, ssh: { allow: true } },
        { name: 'b', instanceType: 't3.medium', desiredCapacity: 1, iam: { withAddonPolicies: { externalDNS: true } } },
      ],
    };
    sim.apply({ type: 'provisioning.create-cluster', config });
    sim.advance(20 * MINUTE);
    world(sim, ids);
    sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' });
    sim.advance(20 * MINUTE);
    return sim;
  },
  'console-delete-during-create-seed-10': (_rec, ids) => {
    const sim = labWithoutCluster({}, 10);
    const config = {
      apiVersion: 'eksctl.io/v1alpha5',
      kind: 'ClusterConfig',
      metadata: { name: 'myeks', region: 'ap-northeast-2', version: '1.28' },
      managedNodeGroups: [{ name: 'a', instanceType: 't3.medium', desiredCapacity: 1 }],
    };
    sim.apply({ type: 'provisioning.create-cluster', config });
    sim.advance(12 * MINUTE);
    world(sim, ids);
    sim.apply({ type: 'provisioning.delete-cluster', name: 'myeks' });
    sim.advance(20 * MINUTE);
    return sim;
  },
};

describe('eksctl create/delete: the golden runs (same output, same event log, same stack events)', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const rec = recorder();
      const ids = new Set<string>();
      const sim = make(rec, ids);
      const actual = JSON.parse(JSON.stringify({ runs: rec.runs, world: world(sim, ids) }));
      const file = new URL(`${name}.json`, GOLDEN);
      if (process.env.UPDATE_GOLDEN === '1') {
        mkdirSync(GOLDEN, { recursive: true });
        writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
      }
      expect(existsSync(file), `${name}.json is missing: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    });
  }
});
