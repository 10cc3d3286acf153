/**
 * What the parts of the control plane share: its records (AZs, API servers, NLB nodes, the etcd
 * cluster, the Auto Scaling groups, the operations in flight) and the questions about AZs that
 * every part asks. The parts change these records; nothing outside the control plane does.
 */
import type { Actor } from 'xstate';
import type { ClientHistory } from '../etcd/client-history';
import type { EtcdCluster } from '../etcd/etcd-cluster';
import { type asgMachine, azForLaunch, azReady } from './asg-machine';
import {
  type ApiServerRecord,
  type AzRecord,
  type EtcdInstanceFault,
  type Group,
  LIVE_API,
  type NlbRecord,
  type Operation,
  SERVING_API,
} from './control-plane-records';
import { SIZE_LADDER } from './facts';

export class ControlPlaneState {
  readonly azs = new Map<string, AzRecord>();
  apiServers: ApiServerRecord[] = [];
  nlbs: NlbRecord[] = [];
  /** Replaced by a fresh cluster when the control plane is built again. */
  etcd!: EtcdCluster;
  clientHistory: ClientHistory | undefined;
  readonly etcdFaults = new Map<string, EtcdInstanceFault>();
  apiAsg: Actor<typeof asgMachine> | null = null;
  etcdAsg: Actor<typeof asgMachine> | null = null;
  operations: Operation[] = [];
  apiServerSize: string = SIZE_LADDER[0]?.name as string;
  etcdSize: string = SIZE_LADDER[0]?.name as string;
  exists = false;
  lastDisruptionMs: number | null = null;
  /** Set by any state change the ASGs may have to act on; cleared by their reconciliation. */
  groupsDirty = true;
  /** Brings the next load tick forward (set by the load tick once it exists). */
  kickSoon: () => void = () => {};

  constructor(
    readonly region: string,
    readonly azIds: readonly string[],
  ) {}

  /** Whether two AZs can talk: both up (or impaired) and neither partitioned away. */
  azsConnected(a: string, b: string): boolean {
    const x = this.azs.get(a);
    const y = this.azs.get(b);
    if (!x || !y || x.health === 'down' || y.health === 'down') return false;
    if (a === b) return true;
    return x.network === 'connected' && y.network === 'connected';
  }

  /** Up and connected: an AZ a rebalance may move an instance into. */
  azReady(id: string): boolean {
    return azReady(this.azs.get(id));
  }

  /** The AZ an ASG launches in (`azForLaunch`): connected, up first, with the fewest by `counts`. */
  pickAz(counts: (az: string) => number, avoid?: string): string | undefined {
    return azForLaunch([...this.azs.values()], counts, avoid);
  }

  servingIn(az: string): ApiServerRecord[] {
    return this.apiServers.filter((a) => a.az === az && SERVING_API.has(a.state));
  }

  liveApiServers(): ApiServerRecord[] {
    return this.apiServers.filter((a) => LIVE_API.has(a.state));
  }

  /** Tells a group's ASG it is back in service once nothing is pending and it runs as many as desired. */
  finishGroupChange(group: Group): void {
    const asg = group === 'etcd' ? this.etcdAsg : this.apiAsg;
    if (!asg) return;
    const pending = this.operations.some((o) => o.group === group);
    const live = group === 'etcd' ? this.etcd.voters().length : this.liveApiServers().length;
    const snap = asg.getSnapshot();
    if (snap.value === 'Pending' && !pending && live === snap.context.desired) asg.send({ type: 'AT_DESIRED' });
  }
}
