import type { SimContext } from '../engine/domain';
import type { Prng } from '../engine/prng';
import type { CloudFormation, StackRecord } from './cloudformation';
import { CREATE_SECONDS } from './facts';
import type { IamRoles } from './iam';
import type { ProvisioningPorts } from './ports';
import type { IamRole } from './types';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The random parts of what CloudFormation makes: how long a resource takes, and its ids. */
export class Draws {
  constructor(private readonly rng: Prng) {}

  seconds(type: string): number {
    const range = CREATE_SECONDS[type] ?? { min: 2, max: 5 };
    return this.rng.int(range.min, range.max);
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

/** What a stack builder works with: the engine, the other domains' ports, CloudFormation and IAM. */
export interface StackWork {
  readonly ctx: SimContext;
  readonly ports: ProvisioningPorts;
  readonly cfn: CloudFormation;
  readonly iam: IamRoles;
  readonly draw: Draws;
  /** An AWS::IAM::Role resource of `stack`, and the role it makes. */
  createRole(stack: StackRecord, logicalId: string, service: string, managed: readonly string[]): IamRole;
  /** A resource failed: its stack rolls back and the creation eksctl waits on has failed. */
  failStack(stack: StackRecord, logicalId: string, reason: string): void;
}
