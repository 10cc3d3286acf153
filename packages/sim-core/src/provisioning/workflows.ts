/**
 * eksctl's create and delete workflows, one actor per cluster (create-cluster-machine.ts,
 * delete-cluster-machine.ts), and what the shell reads of them while eksctl blocks.
 */
import { type Actor, createActor } from 'xstate';
import type { SimContext } from '../engine/domain';
import {
  type ClusterCreationEvent,
  type ClusterCreationMachine,
  createClusterCreationMachine,
} from './create-cluster-machine';
import {
  type ClusterDeletionEvent,
  type ClusterDeletionMachine,
  clusterDeletionMachine,
} from './delete-cluster-machine';
import type { Draws } from './draws';

/** Where `eksctl create cluster` is: what the shell polls while it blocks. */
export interface CreationProgress {
  readonly clusterName: string;
  readonly phase: 'cluster-stack' | 'nodegroup-stacks' | 'complete' | 'failed';
  readonly failure?: string;
  /** eksctl stopped waiting (`--timeout`): CloudFormation finishes the stack in flight, nothing follows. */
  readonly abandoned: boolean;
  readonly clusterStack: string;
  /** The node-group stacks deployed so far. */
  readonly nodegroupStacks: readonly string[];
}

export interface DeletionProgress {
  readonly clusterName: string;
  readonly phase: 'nodegroup-stacks' | 'cluster-stack' | 'complete';
  readonly stackNames: readonly string[];
}

/** What the workflows ask of CloudFormation (the provisioning domain). */
export interface WorkflowSteps {
  deployClusterStack(clusterName: string): void;
  deployNodegroupStacks(clusterName: string): void;
  deleteNodegroupStacks(stackNames: readonly string[]): void;
  deleteClusterStack(clusterName: string): void;
}

export class EksctlWorkflows {
  private readonly creations = new Map<string, Actor<ClusterCreationMachine>>();
  private readonly deletions = new Map<string, Actor<ClusterDeletionMachine>>();
  private readonly creationMachine: ClusterCreationMachine;

  constructor(
    private readonly ctx: SimContext,
    draws: Draws,
    private readonly steps: WorkflowSteps,
  ) {
    this.creationMachine = createClusterCreationMachine(draws);
  }

  /** `eksctl create cluster`: deploys the cluster stack now, the node-group stacks after it. */
  startCreation(clusterName: string, clusterStack: string, nodegroupStacks: readonly string[]): void {
    this.creations.get(clusterName)?.stop();
    this.deletions.get(clusterName)?.stop();
    this.deletions.delete(clusterName);
    const actor = createActor(this.creationMachine, {
      clock: this.ctx.clock.xstate,
      input: { clusterName, clusterStack, nodegroupStacks },
    });
    actor.on('deploy-cluster-stack', () => this.steps.deployClusterStack(clusterName));
    actor.on('deploy-nodegroup-stacks', () => this.steps.deployNodegroupStacks(clusterName));
    this.creations.set(clusterName, actor);
    actor.start();
  }

  /** `eksctl delete cluster`: the node-group stacks, then the cluster stack. */
  startDeletion(clusterName: string, nodegroupStacks: readonly string[]): void {
    this.deletions.get(clusterName)?.stop();
    const actor = createActor(clusterDeletionMachine, {
      clock: this.ctx.clock.xstate,
      input: { clusterName, nodegroupStacks },
    });
    actor.on('delete-nodegroup-stacks', (e) => this.steps.deleteNodegroupStacks(e.stackNames));
    actor.on('delete-cluster-stack', () => this.steps.deleteClusterStack(clusterName));
    this.deletions.set(clusterName, actor);
    actor.start();
  }

  toCreation(clusterName: string, event: ClusterCreationEvent): void {
    this.creations.get(clusterName)?.send(event);
  }

  toDeletion(clusterName: string, event: ClusterDeletionEvent): void {
    this.deletions.get(clusterName)?.send(event);
  }

  /** The cluster is gone: its creation is history. */
  forgetCreation(clusterName: string): void {
    this.creations.get(clusterName)?.stop();
    this.creations.delete(clusterName);
  }

  creation(clusterName: string): CreationProgress | undefined {
    const snap = this.creations.get(clusterName)?.getSnapshot();
    if (!snap) return undefined;
    const c = snap.context;
    const phase = snap.matches('clusterStack')
      ? 'cluster-stack'
      : snap.matches('complete')
        ? 'complete'
        : snap.matches('failed') || snap.matches('stopped')
          ? 'failed'
          : 'nodegroup-stacks';
    return {
      clusterName: c.clusterName,
      phase,
      ...(c.failure !== null ? { failure: c.failure } : {}),
      abandoned: snap.matches({ clusterStack: 'unwatched' }) || snap.matches('stopped'),
      clusterStack: c.clusterStack,
      nodegroupStacks: c.deployed,
    };
  }

  deletion(clusterName: string): DeletionProgress | undefined {
    const snap = this.deletions.get(clusterName)?.getSnapshot();
    if (!snap) return undefined;
    const phase = snap.matches('nodegroupStacks')
      ? 'nodegroup-stacks'
      : snap.matches('clusterStack')
        ? 'cluster-stack'
        : 'complete';
    return {
      clusterName,
      phase,
      stackNames: [...snap.context.nodegroupStacks, `eksctl-${clusterName}-cluster`],
    };
  }
}
