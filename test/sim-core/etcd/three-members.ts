import { Engine } from '../../../packages/sim-core/src/engine/engine';
import type { EventLog } from '../../../packages/sim-core/src/engine/event-log';
import { EtcdCluster } from '../../../packages/sim-core/src/etcd/etcd-cluster';

/**
 * An etcd cluster of three bootstrapped voters, etcd-1..3 in az1..az3, with etcd-1 leading
 * term 1 and its empty entry committed at index 1 (so a test's first write is index 2). AZs in `cut` are partitioned from every other AZ (call `etcd.reconcile()` after
 * changing it, as the control plane does).
 */
export function threeMembers(seed = 1) {
  const engine = new Engine(seed, 0);
  const { clock, log } = engine;
  const ctx = engine.context(() => {
    throw new Error('etcd applies no commands');
  });
  const cut = new Set<string>();
  const etcd = new EtcdCluster(ctx, (a, b) => a === b || (!cut.has(a) && !cut.has(b)));
  for (const az of ['az1', 'az2', 'az3']) etcd.addMember(`etcd-${az.slice(2)}`, az, 'm5.large', { bootstrap: true });
  etcd.bootstrapLeader();
  return { clock, log, etcd, cut };
}

export const events = (log: EventLog, type: string) => log.since(0).filter((e) => e.type === type);

export const leaders = (etcd: EtcdCluster) => etcd.all.filter((m) => m.role === 'leader');

export function member(etcd: EtcdCluster, id: string) {
  const m = etcd.find(id);
  if (!m) throw new Error(`no member ${id}`);
  return m;
}
