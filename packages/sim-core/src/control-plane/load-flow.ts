/**
 * Where one tick's load goes, computed arithmetically (the hot path: loops, no closures). DNS
 * round-robin spreads the offered load evenly over the NLB nodes in DNS; each node sends its
 * share to the serving API servers of its own AZ (cross-zone load balancing off); writes need
 * etcd's quorum. It keeps the totals, the counters and the one-minute series the charts draw.
 */
import { apiServerLoad, etcdLoad, writeShare } from '../load/model';
import type { ClassRps, LoadPoint } from '../load/types';
import { r1, SERIES_LIMIT, SERVING_API } from './control-plane-records';
import type { LoadTotals } from './control-plane-snapshot';
import type { ControlPlaneState } from './control-plane-state';
import { sizeByIndex, sizeIndex } from './facts';
import { nlbInDns } from './nlb-node-machine';

/** What a save keeps of the flow: its totals, counters and series (the per-AZ arrays are scratch). */
export interface SavedLoadFlow {
  readonly totals: LoadTotals;
  readonly counters: LoadFlow['counters'];
  readonly series: readonly LoadPoint[];
  readonly fractionalWrites: number;
  readonly leaderChangesAtLastPoint: number;
}

export class LoadFlow {
  readonly totals: { -readonly [K in keyof LoadTotals]: LoadTotals[K] } = {
    offeredRps: 0,
    servedRps: 0,
    readRps: 0,
    writeRps: 0,
    capacityRps: 0,
    throttled: 0,
    unavailable: 0,
    p99: 0,
    byClass: { kubectl: 0, controllers: 0, kubelets: 0 },
    nodes: 0,
  };
  readonly counters = { total429: 0, total503: 0, totalServed: 0, committedWrites: 0 };
  readonly series: LoadPoint[] = [];
  private fractionalWrites = 0;
  private leaderChangesAtLastPoint = 0;
  private readonly azTargets: number[] = [];
  private readonly azWritable: number[] = [];

  constructor(private readonly cp: ControlPlaneState) {}

  save(): SavedLoadFlow {
    const { totals, counters, series, fractionalWrites, leaderChangesAtLastPoint } = this;
    return { totals, counters, series, fractionalWrites, leaderChangesAtLastPoint };
  }

  restore(saved: SavedLoadFlow): void {
    Object.assign(this.totals, saved.totals);
    Object.assign(this.counters, saved.counters);
    this.series.splice(0, this.series.length, ...saved.series);
    this.fractionalWrites = saved.fractionalWrites;
    this.leaderChangesAtLastPoint = saved.leaderChangesAtLastPoint;
  }

  /** The load offered by class (already scaled by profile and spike) meets the control plane for `dtSec`. */
  compute(dtSec: number, byClass: ClassRps, nodes: number): void {
    const cp = this.cp;
    const offered = cp.exists ? byClass.kubectl + byClass.controllers + byClass.kubelets : 0;
    const wf = writeShare(byClass);
    const azCount = cp.azIds.length;
    const targets = this.azTargets;
    const writable = this.azWritable;
    let nodesInDns = 0;
    for (let i = 0; i < azCount; i++) {
      const az = cp.azIds[i] as string;
      targets[i] = 0;
      writable[i] = cp.etcd.canCommitFrom(az) ? 1 : 0;
    }
    for (const a of cp.apiServers) {
      a.load = null;
      a.unavailableRps = 0;
      if (SERVING_API.has(a.state) && cp.azs.get(a.az)?.health !== 'down') {
        const i = cp.azIds.indexOf(a.az);
        if (i >= 0) targets[i] = (targets[i] as number) + 1;
      }
    }
    for (const n of cp.nlbs) if (nlbInDns(n.state)) nodesInDns++;
    const etcdLeader = cp.etcd.leader();
    const etcdUtil = etcdLeader
      ? etcdLoad(sizeByIndex(sizeIndex(etcdLeader.size)), this.totals.writeRps, nodes).cpu
      : 0;
    let served = 0;
    let throttled = 0;
    let unavailable = nodesInDns === 0 ? offered : 0;
    let capacity = 0;
    let writes = 0;
    let p99 = 0;
    const share = nodesInDns > 0 ? offered / nodesInDns : 0;
    for (const n of cp.nlbs) {
      if (!nlbInDns(n.state)) continue;
      const i = cp.azIds.indexOf(n.az);
      const count = targets[i] ?? 0;
      if (count === 0) unavailable += share;
    }
    for (const a of cp.apiServers) {
      const az = cp.azs.get(a.az);
      const size = sizeByIndex(sizeIndex(a.size));
      const capacityFactor = az?.health === 'impaired' ? 0.5 : 1;
      if (!SERVING_API.has(a.state) || az?.health === 'down') continue;
      const i = cp.azIds.indexOf(a.az);
      const node = cp.nlbs[i];
      const reached = node !== undefined && nlbInDns(node.state);
      const l = apiServerLoad(size, reached ? share / (targets[i] as number) : 0, nodes, capacityFactor, wf, etcdUtil);
      a.load = l;
      capacity += l.capacityRps;
      if (!reached) continue;
      let servedHere = l.servedRps;
      if (writable[i] === 0) {
        // Without etcd quorum the write share fails with 503; reads come from the watch cache.
        a.unavailableRps = servedHere * wf;
        unavailable += a.unavailableRps;
        servedHere -= a.unavailableRps;
      } else {
        writes += servedHere * wf;
      }
      served += servedHere;
      throttled += l.throttledRps;
      if (l.servedRps >= 0.01 * offered) p99 = Math.max(p99, l.p99Ms);
      const overloaded = l.throttledRps > 0 || l.cpu >= 0.95;
      if (a.state === 'healthy' && overloaded) a.actor.send({ type: 'OVERLOADED' });
      else if (a.state === 'degraded' && l.throttledRps === 0 && l.cpu < 0.85) a.actor.send({ type: 'LOAD_NORMAL' });
    }
    this.fractionalWrites += writes * dtSec;
    const batch = Math.floor(this.fractionalWrites);
    if (batch > 0) {
      const committed = cp.etcd.commit(batch);
      this.fractionalWrites -= batch;
      this.counters.committedWrites += committed;
    }
    for (const m of cp.etcd.all) {
      if (m.role === 'leader' || m.role === 'follower' || m.role === 'rejoining') {
        const l = etcdLoad(sizeByIndex(sizeIndex(m.size)), writes * (m.role === 'leader' ? 1.3 : 1), nodes);
        m.cpu = l.cpu;
        m.memory = l.memory;
      } else {
        m.cpu = 0;
        m.memory = 0;
      }
    }
    this.counters.total429 += throttled * dtSec;
    this.counters.total503 += unavailable * dtSec;
    this.counters.totalServed += served * dtSec;
    const t = this.totals;
    t.offeredRps = offered;
    t.servedRps = served;
    t.readRps = served - writes;
    t.writeRps = writes;
    t.capacityRps = capacity;
    t.throttled = throttled;
    t.unavailable = unavailable;
    t.p99 = p99;
    t.byClass = byClass;
    t.nodes = nodes;
  }

  /** One point of the series (one a minute at most). Plain loops: it runs every simulated minute. */
  recordPoint(now: number): void {
    const cp = this.cp;
    const apiServerSizes: string[] = [];
    for (const a of cp.apiServers) if (SERVING_API.has(a.state)) apiServerSizes.push(a.size);
    let etcdMembers = 0;
    for (const m of cp.etcd.all) if (m.voter && (m.role === 'follower' || m.role === 'leader')) etcdMembers++;
    const t = this.totals;
    this.series.push({
      atMs: now,
      offeredRps: r1(t.offeredRps),
      servedRps: r1(t.servedRps),
      capacityRps: r1(t.capacityRps),
      p99Ms: r1(t.p99),
      throttled429PerSec: r1(t.throttled),
      unavailable503PerSec: r1(t.unavailable),
      apiServers: apiServerSizes.length,
      apiServerSizes,
      etcdMembers,
      etcdLeaderChanges: cp.etcd.leaderChanges - this.leaderChangesAtLastPoint,
    });
    this.leaderChangesAtLastPoint = cp.etcd.leaderChanges;
    // One point in, one out once full (V8 shifts a long array in place, without copying it).
    while (this.series.length > SERIES_LIMIT) this.series.shift();
  }
}
