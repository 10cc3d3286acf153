/**
 * Simulated CloudFormation: each stack is an actor of `stack-machine.ts` (its status and what
 * it creates when), and a record of what DescribeStacks, DescribeStackEvents and
 * ListStackResources show (its resources and its event history), written from what the actor
 * reports. What a resource *is* (an IAM role, a security group, the EKS cluster) is left to the
 * resource providers the domain hands in.
 */
import type { Actor } from 'xstate';
import { ACCOUNT_ID } from '../cluster/facts';
import type { SimContext } from '../engine/domain';
import { isoDate, isoTime } from '../engine/duration';
import type { Draws } from './draws';
import { eksctlRelease, RESOURCE_TYPES } from './facts';
import type { ClusterPlan, NodeGroupPlan } from './plan';
import {
  type StackMachine,
  type StackEvent as StackMachineEvent,
  type StackReport,
  stackMachine,
} from './stack-machine';
import { ownStack, type StackOwner } from './stack-owner';
import type { ClusterTemplate, NodegroupTemplate, StackKind } from './templates';
import type { ResourceStatus, Stack, StackEvent, StackResourceSummary, StackStatus } from './types';

export interface ResourceRecord {
  readonly logicalId: string;
  readonly type: string;
  physicalId: string;
  status: ResourceStatus;
  updatedMs: number;
}

/** What a stack was made from, as its resource providers read it (plain data). */
export type StackSpec =
  | { readonly kind: 'cluster'; readonly plan: ClusterPlan | null }
  | {
      readonly kind: 'nodegroup';
      readonly cluster: { readonly name: string; readonly version: string; readonly withOIDC: boolean };
      readonly nodegroup: NodeGroupPlan | null;
    };

export interface StackRecord {
  readonly name: string;
  readonly id: string;
  readonly kind: StackKind;
  readonly clusterName: string;
  readonly nodegroupName?: string;
  readonly description: string;
  readonly createdMs: number;
  updatedMs?: number;
  deletedMs?: number;
  readonly tags: Record<string, string>;
  readonly spec: StackSpec;
  readonly resources: ResourceRecord[];
  /** Oldest first; the API returns them newest first. */
  readonly events: StackEvent[];
}

/** What the resources of eksctl's templates do in other domains (provisioning-domain.ts). */
export interface ResourceProviders {
  /** The resources started (their CREATE_IN_PROGRESS is recorded). */
  started(stack: StackRecord, logicalIds: readonly string[], durationMs: number | undefined): void;
  /** The resources exist: what they made, and the physical id CloudFormation reports for each. */
  created(stack: StackRecord, logicalIds: readonly string[]): string[];
  /** Without an SSH group, eksctl's node security groups come with the stack at once. */
  nodeSecurityGroups(stack: StackRecord): void;
  deleteNodegroup(stack: StackRecord, durationMs: number): void;
  deleteControlPlane(stack: StackRecord): void;
  /** The stack's status changed (its history is written). */
  statusChanged(stack: StackRecord, status: StackStatus, failure: { logicalId: string; reason: string } | null): void;
}

export const clusterStackName = (cluster: string): string => `eksctl-${cluster}-cluster`;
export const nodegroupStackName = (cluster: string, nodegroup: string): string =>
  `eksctl-${cluster}-nodegroup-${nodegroup}`;

const STACK_TYPE = 'AWS::CloudFormation::Stack';

/** The registry key of a stack's actor: its name and the unique part of its StackId. */
const actorKey = (stack: StackRecord): string => `stack/${stack.name}/${stack.id.slice(stack.id.lastIndexOf('/') + 1)}`;

/** The log line of the statuses the event log records. */
const LOGGED: Partial<Record<StackStatus, [string, (name: string) => string]>> = {
  CREATE_IN_PROGRESS: ['stack.create-in-progress', (n) => `CloudFormation stack ${n} is CREATE_IN_PROGRESS`],
  CREATE_COMPLETE: ['stack.create-complete', (n) => `CloudFormation stack ${n} is CREATE_COMPLETE`],
  UPDATE_COMPLETE: ['stack.update-complete', (n) => `CloudFormation stack ${n} is UPDATE_COMPLETE`],
  DELETE_IN_PROGRESS: ['stack.delete-in-progress', (n) => `CloudFormation stack ${n} is DELETE_IN_PROGRESS`],
  DELETE_COMPLETE: ['stack.delete-complete', (n) => `CloudFormation stack ${n} was deleted`],
};

export class CloudFormation {
  private readonly records = new Map<string, StackRecord>();
  /** By StackId. */
  private readonly actors = new Map<string, Actor<StackMachine>>();
  /** What each stack actor draws from and reports to (`stack-machine.ts`: one machine for every simulation). */
  private readonly owner: StackOwner;

  constructor(
    private readonly ctx: SimContext,
    private readonly draw: Draws,
    private readonly region: string,
    private readonly providers: ResourceProviders,
  ) {
    this.owner = { draws: draw, report: (stackId, report) => this.onReport(stackId, report) };
  }

  /** Live stacks (not deleted), oldest first. */
  live(): StackRecord[] {
    return [...this.records.values()].filter((s) => s.deletedMs === undefined);
  }

  /** A live stack by name, or any stack (deleted ones too) by StackId, as CloudFormation finds them. */
  find(nameOrId: string): StackRecord | undefined {
    const byName = this.records.get(nameOrId);
    if (byName && byName.deletedMs === undefined) return byName;
    return [...this.records.values()].find((s) => s.id === nameOrId);
  }

  statusOf(stack: StackRecord | undefined): StackStatus | undefined {
    const actor = stack && this.actors.get(stack.id);
    return actor ? stackStatusOf(actor.getSnapshot().value) : undefined;
  }

  /** Whether the stack is in the state `path` of its machine (e.g. waiting for its node group). */
  isIn(stack: StackRecord, path: string): boolean {
    return (
      this.actors
        .get(stack.id)
        ?.getSnapshot()
        .matches(path as never) ?? false
    );
  }

  /** Whether the stack accepts `event` now (an update, a deletion). */
  can(stack: StackRecord, event: StackMachineEvent): boolean {
    return this.actors.get(stack.id)?.getSnapshot().can(event) ?? false;
  }

  send(stack: StackRecord, event: StackMachineEvent): void {
    this.actors.get(stack.id)?.send(event);
  }

  toStack(s: StackRecord): Stack {
    return {
      StackId: s.id,
      StackName: s.name,
      Description: s.description,
      CreationTime: isoTime(s.createdMs),
      ...(s.updatedMs !== undefined ? { LastUpdatedTime: isoTime(s.updatedMs) } : {}),
      ...(s.deletedMs !== undefined ? { DeletionTime: isoTime(s.deletedMs) } : {}),
      StackStatus: this.statusOf(s) as StackStatus,
      Capabilities: ['CAPABILITY_IAM'],
      Outputs: [],
      Tags: Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })),
      DisableRollback: false,
      EnableTerminationProtection: false,
    };
  }

  resources(s: StackRecord): StackResourceSummary[] {
    return s.resources.map((r) => ({
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      LastUpdatedTimestamp: isoTime(r.updatedMs),
      ResourceStatus: r.status,
    }));
  }

  /**
   * A new stack, CREATE_IN_PROGRESS ("User Initiated"), tagged as eksctl tags its stacks; its
   * template's resources start at once. `template` null: recorded as built by the caller, which
   * sends `BUILT` when it is.
   */
  create(
    spec: StackSpec,
    clusterName: string,
    nodegroupName: string | undefined,
    description: string,
    template: ClusterTemplate | NodegroupTemplate | null,
  ): StackRecord {
    const kind = spec.kind;
    const name =
      kind === 'cluster' ? clusterStackName(clusterName) : nodegroupStackName(clusterName, nodegroupName as string);
    const tags: Record<string, string> = {
      'alpha.eksctl.io/cluster-name': clusterName,
      'eksctl.cluster.k8s.io/v1alpha1/cluster-name': clusterName,
      'alpha.eksctl.io/eksctl-version': eksctlRelease(isoDate(this.ctx.clock.now())).version,
    };
    if (nodegroupName) {
      tags['alpha.eksctl.io/nodegroup-name'] = nodegroupName;
      tags['alpha.eksctl.io/nodegroup-type'] = 'managed';
    }
    const stack: StackRecord = {
      name,
      id: `arn:aws:cloudformation:${this.region}:${ACCOUNT_ID}:stack/${name}/${this.uuid()}`,
      kind,
      clusterName,
      ...(nodegroupName ? { nodegroupName } : {}),
      description,
      createdMs: this.ctx.clock.now(),
      tags,
      spec,
      resources: [],
      events: [],
    };
    // A re-created stack of the same name replaces the deleted one: CloudFormation no longer finds that one.
    const replaced = this.records.get(name);
    if (replaced) {
      this.ctx.actors.stop(actorKey(replaced));
      this.actors.delete(replaced.id);
    }
    this.records.set(name, stack);
    const input = { stackId: stack.id, kind, template };
    const actor = this.ctx.actors.start(actorKey(stack), stackMachine, { input }, (a) => ownStack(a, this.owner));
    this.actors.set(stack.id, actor);
    actor.send({ type: 'CREATE' });
    return stack;
  }

  /** The stacks' records, oldest name first (their actors are saved by the registry). */
  save(): StackRecord[] {
    return [...this.records.values()];
  }

  restore(saved: readonly StackRecord[]): void {
    for (const stack of saved) {
      this.records.set(stack.name, stack);
      this.actors.set(
        stack.id,
        this.ctx.actors.revive(actorKey(stack), stackMachine, (a) => ownStack(a, this.owner)),
      );
    }
  }

  /** A resource begins (CREATE_IN_PROGRESS), once. */
  startResource(stack: StackRecord, logicalId: string, type?: string): void {
    if (stack.resources.some((r) => r.logicalId === logicalId)) return;
    const resourceType = type ?? (RESOURCE_TYPES[logicalId] as string);
    stack.resources.push({
      logicalId,
      type: resourceType,
      physicalId: '',
      status: 'CREATE_IN_PROGRESS',
      updatedMs: this.ctx.clock.now(),
    });
    this.event(stack, logicalId, resourceType, '', 'CREATE_IN_PROGRESS');
  }

  completeResource(stack: StackRecord, logicalId: string, physicalId: string | undefined): void {
    const resource = stack.resources.find((r) => r.logicalId === logicalId);
    if (resource?.status !== 'CREATE_IN_PROGRESS') return;
    resource.physicalId = physicalId ?? '';
    this.setResource(stack, resource, 'CREATE_COMPLETE');
  }

  /** Appends a stack event (as DescribeStackEvents shows it) at the current simulated time. */
  event(
    stack: StackRecord,
    logicalId: string,
    type: string,
    physicalId: string,
    status: StackEvent['ResourceStatus'],
    reason?: string,
  ): void {
    const now = this.ctx.clock.now();
    stack.events.push({
      StackId: stack.id,
      EventId: type === STACK_TYPE ? this.uuid() : `${logicalId}-${status}-${isoTime(now)}`,
      StackName: stack.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: isoTime(now),
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }

  private onReport(stackId: string, e: StackReport): void {
    const stack = [...this.records.values()].find((s) => s.id === stackId);
    if (!stack) return;
    switch (e.type) {
      case 'status':
        this.recordStatus(stack, e.status, e.failure, e.updating);
        this.providers.statusChanged(stack, e.status, e.failure);
        return;
      case 'resource-started':
        for (const id of e.logicalIds) this.startResource(stack, id, e.resourceType);
        this.providers.started(stack, e.logicalIds, e.durationMs);
        return;
      case 'resource-created': {
        const physicalIds = this.providers.created(stack, e.logicalIds);
        for (const [i, id] of e.logicalIds.entries()) this.completeResource(stack, id, physicalIds[i]);
        return;
      }
      case 'node-security-groups':
        this.providers.nodeSecurityGroups(stack);
        return;
      case 'delete-nodegroup':
        this.providers.deleteNodegroup(stack, e.durationMs);
        return;
      case 'delete-control-plane':
        this.providers.deleteControlPlane(stack);
        return;
    }
  }

  /** The stack's history for a new status, as CloudFormation writes it. */
  private recordStatus(
    stack: StackRecord,
    status: StackStatus,
    failure: { logicalId: string; reason: string } | null,
    updating: readonly string[],
  ): void {
    const self = (s: StackEvent['ResourceStatus'], reason?: string) =>
      this.event(stack, stack.name, STACK_TYPE, stack.id, s, reason);
    const reversed = [...stack.resources].reverse();
    switch (status) {
      case 'ROLLBACK_IN_PROGRESS': {
        const resource = stack.resources.find((r) => r.logicalId === failure?.logicalId);
        if (resource) this.setResource(stack, resource, 'CREATE_FAILED', failure?.reason);
        self(
          status,
          `The following resource(s) failed to create: [${failure?.logicalId}]. Rollback requested by user.`,
        );
        return;
      }
      case 'ROLLBACK_COMPLETE':
        self(status);
        this.ctx.emit(
          'stack.rollback-complete',
          `stack/${stack.name}`,
          `CloudFormation stack ${stack.name} failed at ${failure?.logicalId}: ${failure?.reason}`,
        );
        return;
      case 'UPDATE_IN_PROGRESS':
        stack.updatedMs = this.ctx.clock.now();
        self(status, 'User Initiated');
        for (const r of stack.resources) {
          if (updating.includes(r.logicalId)) this.setResource(stack, r, 'UPDATE_IN_PROGRESS');
        }
        return;
      case 'UPDATE_COMPLETE':
        for (const r of stack.resources) {
          if (r.status === 'UPDATE_IN_PROGRESS') this.setResource(stack, r, 'UPDATE_COMPLETE');
        }
        self(status);
        break;
      case 'DELETE_IN_PROGRESS':
        self(status, 'User Initiated');
        this.log(stack, status);
        for (const r of reversed) {
          if (r.status === 'CREATE_COMPLETE' || r.status === 'UPDATE_COMPLETE') {
            this.setResource(stack, r, 'DELETE_IN_PROGRESS');
          }
        }
        return;
      case 'DELETE_COMPLETE':
        for (const r of reversed) if (r.status === 'DELETE_IN_PROGRESS') this.setResource(stack, r, 'DELETE_COMPLETE');
        stack.deletedMs = this.ctx.clock.now();
        self(status);
        break;
      default:
        self(status, status === 'CREATE_IN_PROGRESS' ? 'User Initiated' : undefined);
    }
    this.log(stack, status);
  }

  private log(stack: StackRecord, status: StackStatus): void {
    const line = LOGGED[status];
    if (line) this.ctx.emit(line[0], `stack/${stack.name}`, line[1](stack.name));
  }

  private setResource(stack: StackRecord, resource: ResourceRecord, status: ResourceStatus, reason?: string): void {
    resource.status = status;
    resource.updatedMs = this.ctx.clock.now();
    this.event(stack, resource.logicalId, resource.type, resource.physicalId, status, reason);
  }

  private uuid(): string {
    const h = (n: number) => this.draw.hex(n);
    return `${h(8)}-${h(4)}-11ee-${h(4)}-${h(12)}`;
  }
}

/** The stack's CloudFormation status: its top state (REQUESTED is never seen outside the creating call). */
export function stackStatusOf(value: unknown): StackStatus {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  return (top === 'REQUESTED' ? 'CREATE_IN_PROGRESS' : top) as StackStatus;
}
