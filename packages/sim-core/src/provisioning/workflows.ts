/**
 * eksctl's create and delete workflows, one actor per cluster (create-cluster-machine.ts,
 * delete-cluster-machine.ts), and what the shell reads of them while eksctl blocks.
 */
import type { Actor } from 'xstate';
import type { SimContext } from '../engine/domain';
import { clusterStackName } from './cloudformation';
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

const creationKey = (clusterName: string): string => `eksctl-create/${clusterName}`;
const deletionKey = (clusterName: string): string => `eksctl-delete/${clusterName}`;

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
    this.forgetCreation(clusterName);
    this.ctx.actors.stop(deletionKey(clusterName));
    this.deletions.delete(clusterName);
    const actor = this.ctx.actors.start(
      creationKey(clusterName),
      this.creationMachine,
      { input: { clusterName, clusterStack, nodegroupStacks } },
      this.wireCreation(clusterName),
    );
    this.creations.set(clusterName, actor);
  }

  /** `eksctl delete cluster`: the node-group stacks, then the cluster stack. */
  startDeletion(clusterName: string, nodegroupStacks: readonly string[]): void {
    this.ctx.actors.stop(deletionKey(clusterName));
    const actor = this.ctx.actors.start(
      deletionKey(clusterName),
      clusterDeletionMachine,
      { input: { clusterName, nodegroupStacks } },
      this.wireDeletion(clusterName),
    );
    this.deletions.set(clusterName, actor);
  }

  /** The clusters with a creation or a deletion (their actors are saved by the registry). */
  save(): { creations: string[]; deletions: string[] } {
    return { creations: [...this.creations.keys()], deletions: [...this.deletions.keys()] };
  }

  restore(saved: ReturnType<EksctlWorkflows['save']>): void {
    for (const name of saved.creations) {
      this.creations.set(
        name,
        this.ctx.actors.revive(creationKey(name), this.creationMachine, this.wireCreation(name)),
      );
    }
    for (const name of saved.deletions) {
      this.deletions.set(
        name,
        this.ctx.actors.revive(deletionKey(name), clusterDeletionMachine, this.wireDeletion(name)),
      );
    }
  }

  private wireCreation(clusterName: string): (actor: Actor<ClusterCreationMachine>) => void {
    return (actor) => {
      actor.on('deploy-cluster-stack', () => this.steps.deployClusterStack(clusterName));
      actor.on('deploy-nodegroup-stacks', () => this.steps.deployNodegroupStacks(clusterName));
    };
  }

  private wireDeletion(clusterName: string): (actor: Actor<ClusterDeletionMachine>) => void {
    return (actor) => {
      actor.on('delete-nodegroup-stacks', (e) => this.steps.deleteNodegroupStacks(e.stackNames));
      actor.on('delete-cluster-stack', () => this.steps.deleteClusterStack(clusterName));
    };
  }

  toCreation(clusterName: string, event: ClusterCreationEvent): void {
    this.creations.get(clusterName)?.send(event);
  }

  toDeletion(clusterName: string, event: ClusterDeletionEvent): void {
    this.deletions.get(clusterName)?.send(event);
  }

  /** The cluster is gone: its creation is history. */
  forgetCreation(clusterName: string): void {
    this.ctx.actors.stop(creationKey(clusterName));
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
      stackNames: [...snap.context.nodegroupStacks, clusterStackName(clusterName)],
    };
  }
}
