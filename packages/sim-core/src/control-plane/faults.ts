/**
 * The fault and recovery commands (`fault.*`, `recover.*`, `partition.az`, `heal.az`): what
 * each one refuses, and what it does to the instances, etcd members, NLB nodes and AZs.
 */
import { type CommandResult, fail, ok } from '../engine/command-spec';
import type { SimContext } from '../engine/domain';
import type { ApiServerFleet } from './api-servers';
import type { ControlPlaneCommandHandlers } from './control-plane-commands';
import { type AzRecord, LIVE_API, type NlbRecord } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import type { EtcdOperations } from './etcd-operations';
import type { NlbNodes } from './nlb-nodes';

type FaultHandlers = Omit<ControlPlaneCommandHandlers, 'handleLoadSet' | 'handleSpike'>;

export class ControlPlaneFaults implements FaultHandlers {
  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
    private readonly apiServers: ApiServerFleet,
    private readonly nlbs: NlbNodes,
    private readonly etcdOps: EtcdOperations,
  ) {}

  private disrupted(): void {
    this.cp.groupsDirty = true;
    this.cp.lastDisruptionMs = this.ctx.clock.now();
    this.cp.kickSoon();
  }

  private needCluster(): CommandResult | undefined {
    if (!this.cp.exists)
      return fail('ResourceNotFoundException', 'No cluster exists yet: there is no control plane to act on.');
    return undefined;
  }

  private findAz(value: unknown): AzRecord | CommandResult {
    const az = this.cp.azs.get(String(value));
    if (!az)
      return fail('InvalidField', `unknown control-plane AZ "${String(value)}" (known: ${this.cp.azIds.join(', ')})`);
    return az;
  }

  faultApiServer(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const a = this.apiServers.find(id);
    if (!a)
      return fail(
        'ResourceNotFoundException',
        `no API server "${id}" (known: ${this.cp.apiServers.map((x) => x.id).join(', ') || 'none'})`,
      );
    if (!LIVE_API.has(a.state))
      return fail('InvalidStateException', `API server ${id} is ${a.state}; only a running instance can fail`);
    a.actor.send({ type: 'INSTANCE_FAILED' });
    this.disrupted();
    return ok(`API server ${id} failed`);
  }

  recoverApiServer(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const a = this.apiServers.find(id);
    if (!a) return fail('ResourceNotFoundException', `no API server "${id}" (it may have been replaced already)`);
    if (a.state !== 'failed') return fail('InvalidStateException', `API server ${id} is ${a.state}, not failed`);
    if (this.cp.azs.get(a.az)?.health === 'down')
      return fail('InvalidStateException', `${a.az} is down; recover the AZ first`);
    // A restarted instance boots again; the ASG no longer counts it as failed.
    a.actor.send({ type: 'TERMINATE' });
    this.apiServers.launch(a.az, a.size);
    this.disrupted();
    return ok(`API server ${id} is replaced by a fresh instance in ${a.az}`);
  }

  faultEtcd(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const m = this.cp.etcd.find(id);
    if (!m)
      return fail(
        'ResourceNotFoundException',
        `no etcd member "${id}" (known: ${this.cp.etcd.all.map((x) => x.id).join(', ') || 'none'})`,
      );
    if (m.role === 'down') return fail('InvalidStateException', `etcd member ${id} is already down`);
    this.cp.etcd.crash(id, 'fault injected');
    this.cp.etcdFaults.set(id, { kind: 'crashed', sinceMs: this.ctx.clock.now() });
    this.disrupted();
    return ok(`etcd member ${id} crashed`);
  }

  recoverEtcd(id: string): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const m = this.cp.etcd.find(id);
    if (!m) return fail('ResourceNotFoundException', `no etcd member "${id}" (it may have been replaced already)`);
    const fault = this.cp.etcdFaults.get(id);
    if (m.role !== 'down' || !fault) return fail('InvalidStateException', `etcd member ${id} is ${m.role}, not down`);
    if (fault.kind === 'lost')
      return fail('InvalidStateException', `etcd member ${id} lost its instance with ${m.az}; the ASG replaces it`);
    this.cp.etcdFaults.delete(id);
    this.cp.etcd.restart(id);
    this.disrupted();
    return ok(`etcd member ${id} restarted and is catching up`);
  }

  private nlbOf(value: unknown): NlbRecord | CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    const node = this.cp.nlbs.find((n) => n.az === az.id);
    return node ?? fail('ResourceNotFoundException', `no NLB node in ${az.id}`);
  }

  faultNlb(value: unknown): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const node = this.nlbOf(value);
    if ('ok' in node) return node;
    if (node.state === 'failed') return fail('InvalidStateException', `NLB node ${node.id} has already failed`);
    node.actor.send({ type: 'NODE_FAILED' });
    this.disrupted();
    return ok(`NLB node ${node.id} failed`);
  }

  recoverNlb(value: unknown): CommandResult {
    const missing = this.needCluster();
    if (missing) return missing;
    const node = this.nlbOf(value);
    if ('ok' in node) return node;
    if (node.state !== 'failed')
      return fail('InvalidStateException', `NLB node ${node.id} is ${node.state}, not failed`);
    node.actor.send({ type: 'NODE_RECOVERED' });
    this.nlbs.updateTargets();
    this.disrupted();
    return ok(`NLB node ${node.id} recovered; back in DNS once health checks pass`);
  }

  faultAz(value: unknown, impaired: boolean): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (az.health === 'down') return fail('InvalidStateException', `${az.id} is already down`);
    if (impaired && az.health === 'impaired') return fail('InvalidStateException', `${az.id} is already impaired`);
    az.actor.send({ type: impaired ? 'AZ_IMPAIRED' : 'AZ_FAILED' });
    if (!impaired) {
      const cp = this.cp;
      const now = this.ctx.clock.now();
      for (const a of cp.apiServers)
        if (a.az === az.id && LIVE_API.has(a.state)) a.actor.send({ type: 'INSTANCE_FAILED' });
      for (const m of [...cp.etcd.all]) {
        if (m.az !== az.id) continue;
        cp.etcd.crash(m.id, `${az.id} is down`);
        cp.etcdFaults.set(m.id, { kind: 'lost', sinceMs: now });
      }
      for (const op of [...cp.operations]) {
        const learner = cp.etcd.find(op.newId);
        if (op.group === 'etcd' && learner?.az === az.id) {
          cp.etcd.remove(op.newId);
          cp.operations = cp.operations.filter((o) => o !== op);
        }
      }
      this.nlbs.updateTargets();
      cp.etcd.reconcile();
    }
    this.disrupted();
    return ok(impaired ? `${az.id} impaired` : `${az.id} down`);
  }

  recoverAz(value: unknown): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (az.health === 'up') return fail('InvalidStateException', `${az.id} is already up`);
    az.actor.send({ type: 'AZ_RECOVERED' });
    // etcd members still in the cluster come back with their data on disk and rejoin; a
    // replacement started for them is no longer needed (it would only churn the membership).
    const cp = this.cp;
    for (const m of [...cp.etcd.all]) {
      if (m.az !== az.id || cp.etcdFaults.get(m.id)?.kind !== 'lost') continue;
      this.etcdOps.cancelReplacementsOf(m.id);
      cp.etcdFaults.delete(m.id);
      cp.etcd.restart(m.id);
    }
    this.nlbs.updateTargets();
    cp.etcd.reconcile();
    this.disrupted();
    return ok(`${az.id} up`);
  }

  partitionAz(value: unknown, cut: boolean): CommandResult {
    const az = this.findAz(value);
    if ('ok' in az) return az;
    if (cut === (az.network === 'partitioned')) {
      return fail('InvalidStateException', `${az.id} is already ${az.network}`);
    }
    az.actor.send({ type: cut ? 'PARTITIONED' : 'HEALED' });
    this.cp.etcd.reconcile();
    this.disrupted();
    return ok(cut ? `${az.id} partitioned` : `${az.id} healed`);
  }
}
