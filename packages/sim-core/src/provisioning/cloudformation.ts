/**
 * Simulated CloudFormation: stacks, their resources and their event history (docs/lessons/seed-week1.md), with
 * the stack's own status driven by `stackMachine`. It only records; the provisioning domain
 * decides what is created when.
 */
import { initialTransition, type SnapshotFrom, transition } from 'xstate';
import { ACCOUNT_ID } from '../cluster/facts';
import type { SimContext } from '../engine/domain';
import { isoDate, isoTime } from '../engine/duration';
import type { Prng } from '../engine/prng';
import { eksctlRelease, RESOURCE_TYPES } from './facts';
import { stackMachine } from './stack-machine';
import type { ResourceStatus, Stack, StackEvent, StackResourceSummary, StackStatus } from './types';

export interface ResourceRecord {
  readonly logicalId: string;
  readonly type: string;
  physicalId: string;
  status: ResourceStatus;
  updatedMs: number;
}

export interface StackRecord {
  readonly name: string;
  readonly id: string;
  readonly kind: 'cluster' | 'nodegroup';
  readonly clusterName: string;
  readonly nodegroupName?: string;
  readonly description: string;
  readonly createdMs: number;
  updatedMs?: number;
  deletedMs?: number;
  machine: SnapshotFrom<typeof stackMachine>;
  readonly tags: Record<string, string>;
  readonly resources: ResourceRecord[];
  /** Oldest first; the API returns them newest first. */
  readonly events: StackEvent[];
}

export const clusterStackName = (cluster: string): string => `eksctl-${cluster}-cluster`;
export const nodegroupStackName = (cluster: string, nodegroup: string): string =>
  `eksctl-${cluster}-nodegroup-${nodegroup}`;

const STACK_TYPE = 'AWS::CloudFormation::Stack';

export class CloudFormation {
  private readonly records = new Map<string, StackRecord>();

  constructor(
    private readonly ctx: SimContext,
    private readonly rng: Prng,
    private readonly region: string,
  ) {}

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
    return stack?.machine.value as StackStatus | undefined;
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

  /** A new stack, CREATE_IN_PROGRESS ("User Initiated"), tagged as eksctl tags its stacks. */
  create(
    kind: 'cluster' | 'nodegroup',
    clusterName: string,
    nodegroupName: string | undefined,
    description: string,
  ): StackRecord {
    const name =
      kind === 'cluster' ? clusterStackName(clusterName) : nodegroupStackName(clusterName, nodegroupName as string);
    const region = this.region;
    const uuid = `${this.hex(8)}-${this.hex(4)}-11ee-${this.hex(4)}-${this.hex(12)}`;
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
      id: `arn:aws:cloudformation:${region}:${ACCOUNT_ID}:stack/${name}/${uuid}`,
      kind,
      clusterName,
      ...(nodegroupName ? { nodegroupName } : {}),
      description,
      createdMs: this.ctx.clock.now(),
      machine: initialTransition(stackMachine)[0],
      tags,
      resources: [],
      events: [],
    };
    // A re-created stack of the same name replaces the deleted one in the name index.
    this.records.set(name, stack);
    this.event(stack, name, STACK_TYPE, stack.id, 'CREATE_IN_PROGRESS', 'User Initiated');
    this.ctx.emit('stack.create-in-progress', `stack/${name}`, `CloudFormation stack ${name} is CREATE_IN_PROGRESS`);
    return stack;
  }

  finish(stack: StackRecord): void {
    stack.machine = transition(stackMachine, stack.machine, { type: 'AllResourcesCreated' })[0];
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'CREATE_COMPLETE');
    this.ctx.emit(
      'stack.create-complete',
      `stack/${stack.name}`,
      `CloudFormation stack ${stack.name} is CREATE_COMPLETE`,
    );
  }

  /** A resource failed: the stack rolls back (ROLLBACK_COMPLETE), as CloudFormation does by default. */
  fail(stack: StackRecord, logicalId: string, reason: string): void {
    const resource = stack.resources.find((r) => r.logicalId === logicalId);
    if (resource) this.setResource(stack, resource, 'CREATE_FAILED', reason);
    stack.machine = transition(stackMachine, stack.machine, { type: 'ResourceCreateFailed' })[0];
    this.event(
      stack,
      stack.name,
      STACK_TYPE,
      stack.id,
      'ROLLBACK_IN_PROGRESS',
      `The following resource(s) failed to create: [${logicalId}]. Rollback requested by user.`,
    );
    stack.machine = transition(stackMachine, stack.machine, { type: 'RollbackFinished' })[0];
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'ROLLBACK_COMPLETE');
    this.ctx.emit(
      'stack.rollback-complete',
      `stack/${stack.name}`,
      `CloudFormation stack ${stack.name} failed at ${logicalId}: ${reason}`,
    );
  }

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

  beginDelete(stack: StackRecord): void {
    stack.machine = transition(stackMachine, stack.machine, { type: 'DeleteStack' })[0];
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'DELETE_IN_PROGRESS', 'User Initiated');
    this.ctx.emit(
      'stack.delete-in-progress',
      `stack/${stack.name}`,
      `CloudFormation stack ${stack.name} is DELETE_IN_PROGRESS`,
    );
    for (const r of [...stack.resources].reverse()) {
      if (r.status === 'CREATE_COMPLETE' || r.status === 'UPDATE_COMPLETE') {
        this.setResource(stack, r, 'DELETE_IN_PROGRESS');
      }
    }
  }

  endDelete(stack: StackRecord): void {
    for (const r of [...stack.resources].reverse()) {
      if (r.status === 'DELETE_IN_PROGRESS') this.setResource(stack, r, 'DELETE_COMPLETE');
    }
    stack.machine = transition(stackMachine, stack.machine, { type: 'AllResourcesDeleted' })[0];
    stack.deletedMs = this.ctx.clock.now();
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'DELETE_COMPLETE');
    this.ctx.emit('stack.delete-complete', `stack/${stack.name}`, `CloudFormation stack ${stack.name} was deleted`);
  }

  /** UPDATE_IN_PROGRESS for an `eksctl upgrade` changeset; false when the stack cannot be updated now. */
  beginUpdate(stack: StackRecord, logicalIds: readonly string[]): boolean {
    const status = this.statusOf(stack);
    if (status !== 'CREATE_COMPLETE' && status !== 'UPDATE_COMPLETE') return false;
    stack.machine = transition(stackMachine, stack.machine, { type: 'UpdateStack' })[0];
    stack.updatedMs = this.ctx.clock.now();
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'UPDATE_IN_PROGRESS', 'User Initiated');
    for (const r of stack.resources) {
      if (logicalIds.includes(r.logicalId)) this.setResource(stack, r, 'UPDATE_IN_PROGRESS');
    }
    return true;
  }

  endUpdate(stack: StackRecord): void {
    if (this.statusOf(stack) !== 'UPDATE_IN_PROGRESS') return;
    for (const r of stack.resources)
      if (r.status === 'UPDATE_IN_PROGRESS') this.setResource(stack, r, 'UPDATE_COMPLETE');
    stack.machine = transition(stackMachine, stack.machine, { type: 'AllResourcesUpdated' })[0];
    this.event(stack, stack.name, STACK_TYPE, stack.id, 'UPDATE_COMPLETE');
    this.ctx.emit(
      'stack.update-complete',
      `stack/${stack.name}`,
      `CloudFormation stack ${stack.name} is UPDATE_COMPLETE`,
    );
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
      EventId:
        type === STACK_TYPE
          ? `${this.hex(8)}-${this.hex(4)}-11ee-${this.hex(4)}-${this.hex(12)}`
          : `${logicalId}-${status}-${isoTime(now)}`,
      StackName: stack.name,
      LogicalResourceId: logicalId,
      PhysicalResourceId: physicalId,
      ResourceType: type,
      Timestamp: isoTime(now),
      ResourceStatus: status,
      ...(reason ? { ResourceStatusReason: reason } : {}),
    });
  }

  private setResource(stack: StackRecord, resource: ResourceRecord, status: ResourceStatus, reason?: string): void {
    resource.status = status;
    resource.updatedMs = this.ctx.clock.now();
    this.event(stack, resource.logicalId, resource.type, resource.physicalId, status, reason);
  }

  private hex(length: number): string {
    return Array.from({ length }, () => '0123456789abcdef'[this.rng.int(0, 15)]).join('');
  }
}
