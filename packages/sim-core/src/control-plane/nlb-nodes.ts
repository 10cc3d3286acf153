/**
 * The NLB in front of the API servers: one node per control-plane AZ, each sending only to the
 * serving API servers of its own AZ, and in the endpoint's DNS answer while one of them passes
 * its health checks (`nlb-node-machine.ts` says how).
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import { NlbRecord } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { DEFAULT_NLB_ADDRESS_BLOCKS, NLB_ADDRESS_BLOCKS } from './facts';
import { nlbNodeMachine } from './nlb-node-machine';

/** What a save keeps of an NLB node besides its actor (`nlb/<id>`). */
export interface SavedNlbNode {
  readonly id: string;
  readonly az: string;
  readonly ips: readonly string[];
}

const nlbKey = (id: string) => `nlb/${id}`;

export class NlbNodes {
  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
  ) {}

  /** One node per AZ, with fresh addresses, out of DNS until its checks pass (or `readyNow`). */
  create(): void {
    for (const n of this.cp.nlbs) this.ctx.actors.stop(nlbKey(n.id));
    const blocks = NLB_ADDRESS_BLOCKS[this.cp.region] ?? DEFAULT_NLB_ADDRESS_BLOCKS;
    const nlbRng = this.ctx.rng('nlb');
    this.cp.nlbs = this.cp.azIds.map((az, i) => {
      const id = `nlb-${az}`;
      const ips = [`${blocks[i % blocks.length]}.${nlbRng.int(0, 255)}.${nlbRng.int(1, 254)}`];
      const input = { id, az, ips };
      const actor = this.ctx.actors.start(nlbKey(id), nlbNodeMachine, { input }, (a) => this.wire(a));
      return new NlbRecord(id, az, ips, actor);
    });
  }

  /**
   * A control plane that already runs at t0: each node with a live API server in its AZ is in
   * DNS at once (the nodes were created out of DNS a moment before, when the cluster was created).
   */
  readyNow(): void {
    for (const n of this.cp.nlbs) {
      if (this.cp.liveApiServers().some((a) => a.az === n.az)) n.actor.send({ type: 'READY_NOW' });
    }
  }

  private wire(actor: Actor<typeof nlbNodeMachine>): void {
    actor.on('*', (e) => {
      // Any change moves the load it carries: the next tick comes soon.
      if (e.type === 'changed') this.cp.kickSoon();
      else this.ctx.emit(e.type, e.source, e.message, e.data);
    });
  }

  stopAll(): void {
    for (const n of this.cp.nlbs) this.ctx.actors.stop(nlbKey(n.id));
    this.cp.nlbs = [];
  }

  save(): SavedNlbNode[] {
    return this.cp.nlbs.map((n) => ({ id: n.id, az: n.az, ips: [...n.ips] }));
  }

  restore(saved: readonly SavedNlbNode[]): void {
    this.cp.nlbs = saved.map((n) => {
      const actor = this.ctx.actors.revive(nlbKey(n.id), nlbNodeMachine, (a) => this.wire(a));
      return new NlbRecord(n.id, n.az, n.ips, actor);
    });
  }

  /** Tells every working node whether its AZ has a serving API server. */
  updateTargets(): void {
    for (const n of this.cp.nlbs) {
      if (n.state === 'failed') continue;
      const healthy = this.cp.servingIn(n.az).length > 0 && this.cp.azs.get(n.az)?.health !== 'down';
      n.actor.send({ type: healthy ? 'TARGET_HEALTHY' : 'NO_HEALTHY_TARGET' });
    }
  }
}
