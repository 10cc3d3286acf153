/**
 * The NLB in front of the API servers: one node per control-plane AZ, each sending only to the
 * serving API servers of its own AZ, and in the endpoint's DNS answer while one of them passes
 * its health checks (`nlb-node-machine.ts` says how).
 */
import { createActor } from 'xstate';
import type { SimContext } from '../engine/domain';
import type { NlbRecord } from './control-plane-records';
import type { ControlPlaneState } from './control-plane-state';
import { DEFAULT_NLB_ADDRESS_BLOCKS, NLB_ADDRESS_BLOCKS } from './facts';
import { type NlbNodeState, nlbInDns, nlbNodeMachine } from './nlb-node-machine';

export class NlbNodes {
  constructor(
    private readonly ctx: SimContext,
    private readonly cp: ControlPlaneState,
  ) {}

  /** One node per AZ, with fresh addresses; `startInDns` for a control plane that already runs. */
  create(startInDns: boolean): void {
    for (const n of this.cp.nlbs) n.actor.stop();
    const blocks = NLB_ADDRESS_BLOCKS[this.cp.region] ?? DEFAULT_NLB_ADDRESS_BLOCKS;
    const nlbRng = this.ctx.rng('nlb');
    this.cp.nlbs = this.cp.azIds.map((az, i) => {
      const inDns = startInDns && this.cp.liveApiServers().some((a) => a.az === az);
      const actor = createActor(nlbNodeMachine, { clock: this.ctx.clock.xstate, input: { startInDns: inDns } });
      const node: NlbRecord = {
        id: `nlb-${az}`,
        az,
        ips: [`${blocks[i % blocks.length]}.${nlbRng.int(0, 255)}.${nlbRng.int(1, 254)}`],
        state: 'provisioned',
        actor,
      };
      actor.subscribe((snap) => this.onState(node, snap.value as NlbNodeState));
      actor.start();
      return node;
    });
  }

  stopAll(): void {
    for (const n of this.cp.nlbs) n.actor.stop();
    this.cp.nlbs = [];
  }

  /** Tells every working node whether its AZ has a serving API server. */
  updateTargets(): void {
    for (const n of this.cp.nlbs) {
      if (n.state === 'failed') continue;
      const healthy = this.cp.servingIn(n.az).length > 0 && this.cp.azs.get(n.az)?.health !== 'down';
      n.actor.send({ type: healthy ? 'TARGET_HEALTHY' : 'NO_HEALTHY_TARGET' });
    }
  }

  private onState(n: NlbRecord, state: NlbNodeState): void {
    if (state === n.state) return;
    const wasIn = nlbInDns(n.state);
    n.state = state;
    const isIn = nlbInDns(state);
    if (state === 'failed') {
      this.ctx.emit('nlb.failed', n.id, `NLB node ${n.id} failed and left DNS`, { az: n.az });
    } else if (wasIn !== isIn) {
      this.ctx.emit(
        isIn ? 'nlb.in-dns' : 'nlb.out-of-dns',
        n.id,
        isIn
          ? `NLB node ${n.id} (${n.ips.join(', ')}) passes health checks and is in DNS`
          : `NLB node ${n.id} has no healthy API server in ${n.az} and is out of DNS`,
        { az: n.az, ips: [...n.ips] },
      );
    }
    this.cp.kickSoon();
  }
}
