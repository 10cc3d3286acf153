import type { Prng } from '../engine/prng';
import type { ClusterCreationDraws } from './create-cluster-machine';
import { CREATE_SECONDS, NODEGROUP_STACK_DELETE_SECONDS } from './facts';
import type { StackDraws } from './stack-machine';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The random parts of what CloudFormation and eksctl do, from the provisioning domain's one
 * stream: how long a resource takes, and the ids CloudFormation gives.
 */
export class Draws implements StackDraws, ClusterCreationDraws {
  constructor(private readonly rng: Prng) {}

  seconds(type: string): number {
    const range = CREATE_SECONDS[type] ?? { min: 2, max: 5 };
    return this.rng.int(range.min, range.max);
  }

  /** Deleting a node-group stack: drain, terminate, remove the role. */
  deleteSeconds(): number {
    return this.rng.int(NODEGROUP_STACK_DELETE_SECONDS.min, NODEGROUP_STACK_DELETE_SECONDS.max);
  }

  /** eksctl's next task starts a moment after its poll sees the cluster stack complete. */
  pollSeconds(): number {
    return this.rng.int(2, 6);
  }

  suffix(length: number): string {
    return Array.from({ length }, () => ALNUM[this.rng.int(0, ALNUM.length - 1)]).join('');
  }

  hex(length: number): string {
    return Array.from({ length }, () => '0123456789abcdef'[this.rng.int(0, 15)]).join('');
  }

  sgrId(): string {
    return `sgr-0${this.hex(16)}`;
  }
}
