/**
 * What a CloudFormation stack actor reports and draws, and who owns each one: the domain's
 * CloudFormation, which hears the reports and draws the durations. One stack machine
 * (`stack-machine.ts`) serves every simulation; building one per simulation around closures
 * cost ~3 ms of each start.
 */
import type { AnyActorRef } from 'xstate';
import type { StackStatus } from './types';

export type StackFailure = { readonly logicalId: string; readonly reason: string } | null;

export type StackReport =
  | { type: 'status'; status: StackStatus; failure: StackFailure; updating: readonly string[] }
  | {
      type: 'resource-started';
      logicalIds: readonly string[];
      /** Given where eksctl's template names it (the VPC's resources); otherwise the logical id's usual type. */
      resourceType?: string;
      /** How long the resource takes, where another domain is told (the node group). */
      durationMs?: number;
    }
  | { type: 'resource-created'; logicalIds: readonly string[] }
  /** Without an SSH group eksctl's node security groups come with the stack at once. */
  | { type: 'node-security-groups' }
  | { type: 'delete-nodegroup'; durationMs: number }
  | { type: 'delete-control-plane' };

/** The random draws a stack makes: a resource's creation time, and a node-group stack's deletion time (seconds). */
export interface StackDraws {
  seconds(resourceType: string): number;
  deleteSeconds(): number;
}

/** Who hears a stack's reports (the domain's CloudFormation), by StackId. */
export type StackReporter = (stackId: string, report: StackReport) => void;

export interface StackOwner {
  readonly draws: StackDraws;
  readonly report: StackReporter;
}

const owners = new WeakMap<AnyActorRef, StackOwner>();

/** Set when the actor is started or revived, before it acts. */
export function ownStack(actor: AnyActorRef, owner: StackOwner): void {
  owners.set(actor, owner);
}

export function ownerOf(self: AnyActorRef): StackOwner {
  const owner = owners.get(self);
  if (!owner) throw new Error('stack actor without an owner: start it with ownStack (see CloudFormation)');
  return owner;
}
