import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { VirtualClock } from '../../../packages/sim-core/src/engine/clock';
import { stackStatusOf } from '../../../packages/sim-core/src/provisioning/cloudformation';
import { createClusterCreationMachine } from '../../../packages/sim-core/src/provisioning/create-cluster-machine';
import { clusterDeletionMachine } from '../../../packages/sim-core/src/provisioning/delete-cluster-machine';
import { type StackReport, stackMachine } from '../../../packages/sim-core/src/provisioning/stack-machine';
import { ownStack } from '../../../packages/sim-core/src/provisioning/stack-owner';
import type { NodegroupTemplate, StackInput } from '../../../packages/sim-core/src/provisioning/templates';

const SECOND = 1000;
/** Every resource takes 10 s, a node-group stack 60 s to delete. */
const draws = { seconds: () => 10, deleteSeconds: () => 60 };

type StackMachineInput = Omit<StackInput, 'stackId'>;

/** A stack on its own clock, with what it reports written down as `<time> <what>`. */
function stack(input: StackMachineInput) {
  const clock = new VirtualClock(0);
  const heard: string[] = [];
  const report = (_: string, e: StackReport) => {
    const at = `${clock.now() / SECOND}s`;
    if (e.type === 'status') heard.push(`${at} ${e.status}`);
    else if (e.type === 'resource-started') heard.push(`${at} started ${e.logicalIds.join(',')}`);
    else if (e.type === 'resource-created') heard.push(`${at} created ${e.logicalIds.join(',')}`);
    else heard.push(`${at} ${e.type}`);
  };
  const actor = createActor(stackMachine, {
    clock: clock.xstate,
    input: { stackId: 'stack-1', ...input },
  });
  ownStack(actor, { draws, report });
  actor.start();
  actor.send({ type: 'CREATE' });
  const status = () => stackStatusOf(actor.getSnapshot().value);
  return { clock, actor, heard, status };
}

const managedWithSsh: NodegroupTemplate = {
  kind: 'nodegroup',
  managed: true,
  sshGroup: 'SSH',
  launchTemplate: 'LaunchTemplate',
  group: 'ManagedNodeGroup',
  policies: ['PolicyExternalDNSChangeSet', 'PolicyExternalDNSHostedZones'],
};

describe('CloudFormation stack machine', () => {
  it('the cluster stack: security groups ∥ service role, then the control plane, then its rules; CREATE_COMPLETE a second after the last', () => {
    const s = stack({ kind: 'cluster', template: { kind: 'cluster', vpcResources: [] } });
    s.clock.runUntil(30 * SECOND);
    expect(s.status()).toBe('CREATE_IN_PROGRESS');
    // The control plane is the cluster domain's: the stack waits for it, however long.
    s.clock.runUntil(600 * SECOND);
    s.actor.send({ type: 'CONTROL_PLANE_ACTIVE' });
    s.clock.runUntil(611 * SECOND);
    expect(s.heard).toEqual([
      '0s CREATE_IN_PROGRESS',
      '0s started ServiceRole',
      '0s started ControlPlaneSecurityGroup,ClusterSharedNodeSecurityGroup',
      '10s created ControlPlaneSecurityGroup,ClusterSharedNodeSecurityGroup',
      '10s started IngressInterNodeGroupSG',
      '10s created ServiceRole',
      '20s created IngressInterNodeGroupSG',
      '20s started ControlPlane',
      '600s created ControlPlane',
      '600s started IngressDefaultClusterToNodeSG,IngressNodeToDefaultClusterSG',
      '610s created IngressDefaultClusterToNodeSG,IngressNodeToDefaultClusterSG',
      '611s CREATE_COMPLETE',
    ]);
  });

  it('the node-group stack: SSH group then launch template ∥ node role; then the node group ∥ the inline policies', () => {
    const s = stack({ kind: 'nodegroup', template: managedWithSsh });
    s.clock.runUntil(100 * SECOND);
    expect(s.status()).toBe('CREATE_IN_PROGRESS');
    s.actor.send({ type: 'NODEGROUP_ACTIVE' });
    s.clock.runUntil(101 * SECOND);
    expect(s.heard).toEqual([
      '0s CREATE_IN_PROGRESS',
      '0s started NodeInstanceRole',
      '0s started SSH',
      '10s created SSH',
      '10s started LaunchTemplate',
      '10s created NodeInstanceRole',
      '10s started PolicyExternalDNSChangeSet',
      '10s started PolicyExternalDNSHostedZones',
      '20s created LaunchTemplate',
      '20s started ManagedNodeGroup',
      '20s created PolicyExternalDNSChangeSet',
      '20s created PolicyExternalDNSHostedZones',
      '100s created ManagedNodeGroup',
      '101s CREATE_COMPLETE',
    ]);
  });

  it('a resource that fails rolls the stack back, and nothing of its template starts after that', () => {
    const s = stack({ kind: 'nodegroup', template: managedWithSsh });
    s.clock.runUntil(20 * SECOND);
    s.actor.send({ type: 'RESOURCE_FAILED', logicalId: 'ManagedNodeGroup', reason: 'NodeCreationFailure' });
    s.clock.runUntil(200 * SECOND);
    expect(s.status()).toBe('ROLLBACK_COMPLETE');
    expect(s.heard.slice(-2)).toEqual(['20s ROLLBACK_IN_PROGRESS', '20s ROLLBACK_COMPLETE']);
    expect(s.actor.getSnapshot().context.failure).toEqual({
      logicalId: 'ManagedNodeGroup',
      reason: 'NodeCreationFailure',
    });
  });

  it('a node-group stack is deleted after its drawn deletion time; the cluster stack when EKS has deleted the cluster', () => {
    const ng = stack({ kind: 'nodegroup', template: null });
    ng.actor.send({ type: 'BUILT' });
    ng.actor.send({ type: 'DELETE' });
    ng.clock.runUntil(59 * SECOND);
    expect(ng.status()).toBe('DELETE_IN_PROGRESS');
    ng.clock.runUntil(60 * SECOND);
    expect(ng.status()).toBe('DELETE_COMPLETE');
    expect(ng.heard).toContain('0s delete-nodegroup');

    const cluster = stack({ kind: 'cluster', template: null });
    cluster.actor.send({ type: 'BUILT' });
    cluster.actor.send({ type: 'DELETE' });
    cluster.clock.runUntil(3600 * SECOND);
    expect(cluster.status()).toBe('DELETE_IN_PROGRESS');
    cluster.actor.send({ type: 'CONTROL_PLANE_DELETED' });
    expect(cluster.status()).toBe('DELETE_COMPLETE');
  });

  it('only a complete stack can be updated, and an update ends UPDATE_COMPLETE', () => {
    const s = stack({ kind: 'nodegroup', template: null });
    expect(s.actor.getSnapshot().can({ type: 'UPDATE', logicalIds: ['LaunchTemplate'] })).toBe(false);
    s.actor.send({ type: 'BUILT' });
    s.actor.send({ type: 'UPDATE', logicalIds: ['LaunchTemplate'] });
    expect(s.status()).toBe('UPDATE_IN_PROGRESS');
    expect(s.actor.getSnapshot().can({ type: 'UPDATE', logicalIds: [] })).toBe(false);
    s.actor.send({ type: 'UPDATE_DONE' });
    expect(s.status()).toBe('UPDATE_COMPLETE');
  });
});

describe("eksctl's create and delete workflows", () => {
  const input = { clusterName: 'myeks', clusterStack: 'eksctl-myeks-cluster', nodegroupStacks: ['ng-a', 'ng-b'] };

  function creation() {
    const clock = new VirtualClock(0);
    const actor = createActor(createClusterCreationMachine({ pollSeconds: () => 4 }), { clock: clock.xstate, input });
    const heard: string[] = [];
    actor.on('*', (e) => heard.push(`${clock.now() / SECOND}s ${e.type}`));
    actor.start();
    return { clock, actor, heard };
  }

  it('create: the cluster stack, then (at eksctl’s next poll) every node-group stack; done when all are complete', () => {
    const c = creation();
    c.clock.runUntil(600 * SECOND);
    c.actor.send({ type: 'CLUSTER_STACK_CREATED' });
    c.clock.runUntil(603 * SECOND);
    expect(c.heard).toEqual(['0s deploy-cluster-stack']);
    c.clock.runUntil(604 * SECOND);
    expect(c.heard).toEqual(['0s deploy-cluster-stack', '604s deploy-nodegroup-stacks']);
    c.actor.send({ type: 'NODEGROUP_STACK_CREATED', stackName: 'ng-b' });
    expect(c.actor.getSnapshot().value).toBe('nodegroupStacks');
    c.actor.send({ type: 'NODEGROUP_STACK_CREATED', stackName: 'ng-a' });
    expect(c.actor.getSnapshot().value).toBe('complete');
  });

  it('create: a stack that rolls back fails the run; eksctl that stops waiting deploys nothing after the cluster stack', () => {
    const failed = creation();
    failed.actor.send({ type: 'STACK_ROLLED_BACK', failure: 'ControlPlane: refused' });
    expect(failed.actor.getSnapshot().value).toBe('failed');
    expect(failed.actor.getSnapshot().context.failure).toBe('ControlPlane: refused');

    const stopped = creation();
    stopped.actor.send({ type: 'ABANDON' });
    stopped.actor.send({ type: 'CLUSTER_STACK_CREATED' });
    stopped.clock.runUntil(3600 * SECOND);
    expect(stopped.actor.getSnapshot().value).toBe('stopped');
    expect(stopped.heard).toEqual(['0s deploy-cluster-stack']);
  });

  it('delete: the node-group stacks at once, the cluster stack only once all of them are deleted', () => {
    const actor = createActor(clusterDeletionMachine, { input: { clusterName: 'myeks', nodegroupStacks: ['a', 'b'] } });
    const heard: string[] = [];
    actor.on('*', (e) => heard.push(e.type));
    actor.start();
    actor.send({ type: 'NODEGROUP_STACK_DELETED', stackName: 'a' });
    expect(heard).toEqual(['delete-nodegroup-stacks']);
    actor.send({ type: 'NODEGROUP_STACK_DELETED', stackName: 'b' });
    expect(heard).toEqual(['delete-nodegroup-stacks', 'delete-cluster-stack']);
    actor.send({ type: 'CLUSTER_DELETED' });
    expect(actor.getSnapshot().status).toBe('done');
  });
});
