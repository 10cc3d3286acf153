/**
 * A CloudFormation stack as eksctl makes it (eksctl.io, "Creating and managing clusters" and
 * "VPC Networking"; AWS CloudFormation User Guide, "Stack status codes"). Its states are
 * CloudFormation's StackStatus values:
 *
 * CREATE_IN_PROGRESS → CREATE_COMPLETE ⇄ UPDATE_IN_PROGRESS → UPDATE_COMPLETE; a resource that
 * fails turns the stack ROLLBACK_IN_PROGRESS → ROLLBACK_COMPLETE; DeleteStack turns it
 * DELETE_IN_PROGRESS → DELETE_COMPLETE.
 *
 * While it is created, CloudFormation creates the template's resources in parallel, each once
 * the resources it depends on exist: the regions below are eksctl's two templates. The cluster
 * stack: the VPC (when eksctl makes one) ∥ the security groups, then the rule between node
 * groups ∥ the service role; once both exist, the control plane (the cluster domain's
 * CREATING → ACTIVE), then the rules between control plane and nodes. The node-group stack: the
 * SSH security group, then the launch template ∥ the node role; then the node group (done
 * when EKS says it is ACTIVE) ∥ the role's inline policies ∥ (unmanaged nodes) the instance
 * profile. The stack is CREATE_COMPLETE a moment after every region is done.
 *
 * It reports what the log and the stack's history record (`status`, `resource-started`,
 * `resource-created`) to the domain, whose resource providers do what a resource is. Reports
 * run in their place in the step (within `enqueueActions`), not as `emit`s, which xstate runs at
 * the end of the step: CloudFormation's ids and the durations come from one random stream, in
 * this order. (Not plain custom actions either: xstate warns when one drives other actors.)
 * Durations are drawn (by the domain's `StackDraws`) when a resource starts, kept in context.
 */
import { assign, enqueueActions, raise, setup } from 'xstate';
import { RESOURCE_TYPES } from './facts';
import { ownerOf, type StackFailure } from './stack-owner';

export type { StackDraws, StackReport, StackReporter } from './stack-owner';

import type { ClusterTemplate, NodegroupTemplate, StackInput } from './templates';
import type { StackStatus } from './types';

type Duration =
  | 'securityGroups'
  | 'interNodeIngress'
  | 'serviceRole'
  | 'controlPlaneIngress'
  | 'sshGroup'
  | 'launchTemplate'
  | 'nodeRole'
  | 'instanceProfile'
  | 'delete';

export interface StackContext extends StackInput {
  /** Durations drawn so far (ms). */
  readonly ms: Partial<Record<Duration, number>>;
  /** Resources created in parallel whose creation is not done yet (VPC resources, inline policies). */
  readonly pending: readonly string[];
  readonly failure: StackFailure;
  /** The resources an update changes. */
  readonly updating: readonly string[];
}

export type StackEvent =
  | { type: 'CREATE' }
  /** Recorded as built: the stack of a scenario that starts with its cluster. */
  | { type: 'BUILT' }
  | { type: 'RESOURCE_FAILED'; logicalId: string; reason: string }
  | { type: 'CONTROL_PLANE_ACTIVE' }
  | { type: 'CONTROL_PLANE_DELETED' }
  | { type: 'NODEGROUP_ACTIVE' }
  | { type: 'UPDATE'; logicalIds: readonly string[] }
  | { type: 'UPDATE_DONE' }
  | { type: 'DELETE' }
  /** Raised by the stack itself when a resource created in parallel is done. */
  | { type: 'RESOURCE_CREATED'; logicalId: string }
  | { type: 'NODE_ROLE_CREATED' };

const CLUSTER_SGS = ['ControlPlaneSecurityGroup', 'ClusterSharedNodeSecurityGroup'];
const CONTROL_PLANE_RULES = ['IngressDefaultClusterToNodeSG', 'IngressNodeToDefaultClusterSG'];
/** CloudFormation reports the stack complete a moment after its last resource. */
const SETTLE_MS = 1000;

const nodegroupTemplate = (c: StackContext): NodegroupTemplate => c.template as NodegroupTemplate;
const ids = (logicalIds: readonly string[]) => ({ logicalIds });

const drawn = (c: StackContext, key: Duration, ms: number) => ({ ms: { ...c.ms, [key]: ms } });

export const stackMachine = setup({
  types: {
    context: {} as StackContext,
    input: {} as StackInput,
    events: {} as StackEvent,
  },
  guards: {
    recordedAsBuilt: ({ context }) => context.template === null,
    clusterTemplate: ({ context }) => context.template?.kind === 'cluster',
    clusterStack: ({ context }) => context.kind === 'cluster',
    hasSshGroup: ({ context }) => nodegroupTemplate(context).sshGroup !== null,
    managedNodes: ({ context }) => nodegroupTemplate(context).managed,
    noInlinePolicies: ({ context }) => nodegroupTemplate(context).policies.length === 0,
    nothingPending: ({ context }) => context.pending.length === 0,
  },
  actions: {
    announce: enqueueActions(({ context, self }, params: { status: StackStatus }) => {
      ownerOf(self).report(context.stackId, {
        type: 'status',
        status: params.status,
        failure: context.failure,
        updating: context.updating,
      });
    }),
    started: enqueueActions(({ context, self }, params: { logicalIds: readonly string[] }) => {
      ownerOf(self).report(context.stackId, { type: 'resource-started', logicalIds: params.logicalIds });
    }),
    created: enqueueActions(({ context, self }, params: { logicalIds: readonly string[] }) => {
      ownerOf(self).report(context.stackId, { type: 'resource-created', logicalIds: params.logicalIds });
    }),
    draw: assign(({ context, self }, params: { key: Duration; type: string }) =>
      drawn(context, params.key, ownerOf(self).draws.seconds(params.type) * 1000),
    ),
    /** The VPC's resources all start at once, each finishing on its own (a raised event). */
    startVpcResources: enqueueActions(({ context, enqueue, self }) => {
      const vpc = (context.template as ClusterTemplate).vpcResources;
      enqueue.assign({ pending: vpc.map((r) => r.logicalId) });
      for (const r of vpc) {
        ownerOf(self).report(context.stackId, {
          type: 'resource-started',
          logicalIds: [r.logicalId],
          resourceType: r.type,
        });
        enqueue.raise(
          { type: 'RESOURCE_CREATED', logicalId: r.logicalId },
          { id: r.logicalId, delay: ownerOf(self).draws.seconds(r.type) * 1000 },
        );
      }
    }),
    /** The node role's inline policies (--external-dns-access) start together once the role exists. */
    startPolicies: enqueueActions(({ context, enqueue, self }) => {
      const policies = nodegroupTemplate(context).policies;
      enqueue.assign({ pending: [...policies] });
      for (const logicalId of policies) {
        ownerOf(self).report(context.stackId, { type: 'resource-started', logicalIds: [logicalId] });
        enqueue.raise(
          { type: 'RESOURCE_CREATED', logicalId },
          { id: logicalId, delay: ownerOf(self).draws.seconds('AWS::IAM::Policy') * 1000 },
        );
      }
    }),
    resourceCreated: enqueueActions(({ context, event, enqueue, self }) => {
      if (event.type !== 'RESOURCE_CREATED') return;
      ownerOf(self).report(context.stackId, { type: 'resource-created', logicalIds: [event.logicalId] });
      enqueue.assign({ pending: context.pending.filter((id) => id !== event.logicalId) });
    }),
    startLaunchTemplate: enqueueActions(({ context, enqueue, self }) => {
      const t = nodegroupTemplate(context);
      if (t.sshGroup === null) ownerOf(self).report(context.stackId, { type: 'node-security-groups' });
      ownerOf(self).report(context.stackId, { type: 'resource-started', logicalIds: [t.launchTemplate] });
      enqueue.assign(drawn(context, 'launchTemplate', ownerOf(self).draws.seconds('AWS::EC2::LaunchTemplate') * 1000));
    }),
    /** CloudFormation's AWS::EKS::Nodegroup waits for the group; EKS is told how long its nodes take. */
    startNodegroup: enqueueActions(({ context, self }) => {
      const t = nodegroupTemplate(context);
      const ms = ownerOf(self).draws.seconds(RESOURCE_TYPES[t.group] as string) * 1000;
      ownerOf(self).report(context.stackId, { type: 'resource-started', logicalIds: [t.group], durationMs: ms });
    }),
    drawDelete: assign(({ context, self }) => drawn(context, 'delete', ownerOf(self).draws.deleteSeconds() * 1000)),
    deleteNodegroup: enqueueActions(({ context, self }) => {
      ownerOf(self).report(context.stackId, { type: 'delete-nodegroup', durationMs: context.ms.delete ?? 0 });
    }),
    deleteControlPlane: enqueueActions(({ context, self }) => {
      ownerOf(self).report(context.stackId, { type: 'delete-control-plane' });
    }),
    /** The node-group template's resource in that part (`sshGroup`, `launchTemplate`, `group`) is created. */
    createdPart: enqueueActions(({ context, self }, params: { part: 'sshGroup' | 'launchTemplate' | 'group' }) => {
      ownerOf(self).report(context.stackId, {
        type: 'resource-created',
        logicalIds: [nodegroupTemplate(context)[params.part] as string],
      });
    }),
    recordFailure: assign(({ event }) =>
      event.type === 'RESOURCE_FAILED' ? { failure: { logicalId: event.logicalId, reason: event.reason } } : {},
    ),
    recordUpdate: assign(({ event }) => (event.type === 'UPDATE' ? { updating: event.logicalIds } : {})),
  },
  delays: {
    securityGroupsTime: ({ context }) => context.ms.securityGroups ?? 0,
    interNodeIngressTime: ({ context }) => context.ms.interNodeIngress ?? 0,
    serviceRoleTime: ({ context }) => context.ms.serviceRole ?? 0,
    controlPlaneIngressTime: ({ context }) => context.ms.controlPlaneIngress ?? 0,
    sshGroupTime: ({ context }) => context.ms.sshGroup ?? 0,
    launchTemplateTime: ({ context }) => context.ms.launchTemplate ?? 0,
    nodeRoleTime: ({ context }) => context.ms.nodeRole ?? 0,
    instanceProfileTime: ({ context }) => context.ms.instanceProfile ?? 0,
    deleteTime: ({ context }) => context.ms.delete ?? 0,
    settle: SETTLE_MS,
  },
}).createMachine({
  id: 'stack',
  context: ({ input }) => ({ ...input, ms: {}, pending: [], failure: null, updating: [] }),
  // CreateStack accepted, before its first event: never seen outside the call that makes the stack.
  initial: 'REQUESTED',
  states: {
    REQUESTED: { on: { CREATE: 'CREATE_IN_PROGRESS' } },
    CREATE_IN_PROGRESS: {
      entry: { type: 'announce', params: { status: 'CREATE_IN_PROGRESS' } },
      on: {
        RESOURCE_FAILED: { target: 'ROLLBACK_IN_PROGRESS', actions: 'recordFailure' },
        DELETE: 'DELETE_IN_PROGRESS',
      },
      initial: 'template',
      states: {
        template: {
          always: [
            { guard: 'recordedAsBuilt', target: 'recording' },
            { guard: 'clusterTemplate', target: 'cluster' },
            { target: 'nodegroup' },
          ],
        },
        recording: { on: { BUILT: '#stack.CREATE_COMPLETE' } },
        cluster: {
          type: 'parallel',
          onDone: 'settling',
          states: {
            vpc: {
              initial: 'creating',
              states: {
                creating: {
                  entry: 'startVpcResources',
                  always: { guard: 'nothingPending', target: 'created' },
                  on: { RESOURCE_CREATED: { actions: 'resourceCreated' } },
                },
                created: { type: 'final' },
              },
            },
            controlPlane: {
              initial: 'prerequisites',
              states: {
                prerequisites: {
                  type: 'parallel',
                  entry: { type: 'started', params: ids(['ServiceRole']) },
                  onDone: 'creating',
                  states: {
                    securityGroups: {
                      initial: 'creating',
                      states: {
                        creating: {
                          entry: [
                            { type: 'draw', params: { key: 'securityGroups', type: 'AWS::EC2::SecurityGroup' } },
                            { type: 'started', params: ids(CLUSTER_SGS) },
                          ],
                          after: {
                            securityGroupsTime: {
                              target: 'interNodeRule',
                              actions: { type: 'created', params: ids(CLUSTER_SGS) },
                            },
                          },
                        },
                        interNodeRule: {
                          entry: [
                            { type: 'started', params: ids(['IngressInterNodeGroupSG']) },
                            {
                              type: 'draw',
                              params: { key: 'interNodeIngress', type: 'AWS::EC2::SecurityGroupIngress' },
                            },
                          ],
                          after: {
                            interNodeIngressTime: {
                              target: 'created',
                              actions: { type: 'created', params: ids(['IngressInterNodeGroupSG']) },
                            },
                          },
                        },
                        created: { type: 'final' },
                      },
                    },
                    serviceRole: {
                      initial: 'creating',
                      states: {
                        creating: {
                          entry: { type: 'draw', params: { key: 'serviceRole', type: 'AWS::IAM::Role' } },
                          after: {
                            serviceRoleTime: {
                              target: 'created',
                              actions: { type: 'created', params: ids(['ServiceRole']) },
                            },
                          },
                        },
                        created: { type: 'final' },
                      },
                    },
                  },
                },
                creating: {
                  entry: { type: 'started', params: ids(['ControlPlane']) },
                  on: {
                    CONTROL_PLANE_ACTIVE: {
                      target: 'rules',
                      actions: { type: 'created', params: ids(['ControlPlane']) },
                    },
                  },
                },
                rules: {
                  entry: [
                    { type: 'started', params: ids(CONTROL_PLANE_RULES) },
                    { type: 'draw', params: { key: 'controlPlaneIngress', type: 'AWS::EC2::SecurityGroupIngress' } },
                  ],
                  after: {
                    controlPlaneIngressTime: {
                      target: 'created',
                      actions: { type: 'created', params: ids(CONTROL_PLANE_RULES) },
                    },
                  },
                },
                created: { type: 'final' },
              },
            },
          },
        },
        nodegroup: {
          type: 'parallel',
          onDone: 'settling',
          states: {
            nodes: {
              initial: 'prerequisites',
              states: {
                prerequisites: {
                  type: 'parallel',
                  entry: { type: 'started', params: ids(['NodeInstanceRole']) },
                  onDone: 'creating',
                  states: {
                    launchTemplate: {
                      initial: 'starting',
                      states: {
                        starting: {
                          always: [{ guard: 'hasSshGroup', target: 'sshGroup' }, { target: 'creating' }],
                        },
                        sshGroup: {
                          entry: enqueueActions(({ context, enqueue }) => {
                            enqueue({
                              type: 'started',
                              params: ids([nodegroupTemplate(context).sshGroup as string]),
                            });
                            enqueue({ type: 'draw', params: { key: 'sshGroup', type: 'AWS::EC2::SecurityGroup' } });
                          }),
                          after: {
                            sshGroupTime: {
                              target: 'creating',
                              actions: { type: 'createdPart', params: { part: 'sshGroup' } },
                            },
                          },
                        },
                        creating: {
                          entry: 'startLaunchTemplate',
                          after: {
                            launchTemplateTime: {
                              target: 'created',
                              actions: { type: 'createdPart', params: { part: 'launchTemplate' } },
                            },
                          },
                        },
                        created: { type: 'final' },
                      },
                    },
                    nodeRole: {
                      // Starts in the same step as the launch template's first resource, after it (the template's order).
                      initial: 'starting',
                      states: {
                        starting: { always: 'creating' },
                        creating: {
                          entry: { type: 'draw', params: { key: 'nodeRole', type: 'AWS::IAM::Role' } },
                          after: {
                            nodeRoleTime: {
                              target: 'created',
                              actions: [
                                { type: 'created', params: ids(['NodeInstanceRole']) },
                                raise({ type: 'NODE_ROLE_CREATED' }),
                              ],
                            },
                          },
                        },
                        created: { type: 'final' },
                      },
                    },
                  },
                },
                creating: {
                  entry: 'startNodegroup',
                  on: {
                    NODEGROUP_ACTIVE: {
                      target: 'created',
                      actions: { type: 'createdPart', params: { part: 'group' } },
                    },
                  },
                },
                created: { type: 'final' },
              },
            },
            instanceProfile: {
              initial: 'waiting',
              states: {
                waiting: {
                  always: { guard: 'managedNodes', target: 'created' },
                  on: { NODE_ROLE_CREATED: 'creating' },
                },
                creating: {
                  entry: [
                    { type: 'started', params: ids(['NodeInstanceProfile']) },
                    { type: 'draw', params: { key: 'instanceProfile', type: 'AWS::IAM::InstanceProfile' } },
                  ],
                  after: {
                    instanceProfileTime: {
                      target: 'created',
                      actions: { type: 'created', params: ids(['NodeInstanceProfile']) },
                    },
                  },
                },
                created: { type: 'final' },
              },
            },
            policies: {
              initial: 'waiting',
              states: {
                waiting: {
                  always: { guard: 'noInlinePolicies', target: 'attached' },
                  on: { NODE_ROLE_CREATED: 'attaching' },
                },
                attaching: {
                  entry: 'startPolicies',
                  always: { guard: 'nothingPending', target: 'attached' },
                  on: { RESOURCE_CREATED: { actions: 'resourceCreated' } },
                },
                attached: { type: 'final' },
              },
            },
          },
        },
        settling: { after: { settle: '#stack.CREATE_COMPLETE' } },
      },
    },
    CREATE_COMPLETE: {
      entry: { type: 'announce', params: { status: 'CREATE_COMPLETE' } },
      on: { UPDATE: { target: 'UPDATE_IN_PROGRESS', actions: 'recordUpdate' }, DELETE: 'DELETE_IN_PROGRESS' },
    },
    UPDATE_IN_PROGRESS: {
      entry: { type: 'announce', params: { status: 'UPDATE_IN_PROGRESS' } },
      on: { UPDATE_DONE: 'UPDATE_COMPLETE', DELETE: 'DELETE_IN_PROGRESS' },
    },
    UPDATE_COMPLETE: {
      entry: { type: 'announce', params: { status: 'UPDATE_COMPLETE' } },
      on: { UPDATE: { target: 'UPDATE_IN_PROGRESS', actions: 'recordUpdate' }, DELETE: 'DELETE_IN_PROGRESS' },
    },
    ROLLBACK_IN_PROGRESS: {
      entry: { type: 'announce', params: { status: 'ROLLBACK_IN_PROGRESS' } },
      // The simulated rollback keeps what was made; only the status and the history say it failed.
      always: 'ROLLBACK_COMPLETE',
    },
    ROLLBACK_COMPLETE: {
      entry: { type: 'announce', params: { status: 'ROLLBACK_COMPLETE' } },
      on: { DELETE: 'DELETE_IN_PROGRESS' },
    },
    DELETE_IN_PROGRESS: {
      entry: { type: 'announce', params: { status: 'DELETE_IN_PROGRESS' } },
      initial: 'choosing',
      states: {
        choosing: { always: [{ guard: 'clusterStack', target: 'controlPlane' }, { target: 'nodegroup' }] },
        // The node group is drained and terminated; the stack is gone a moment after it.
        nodegroup: {
          entry: ['drawDelete', 'deleteNodegroup'],
          after: { deleteTime: '#stack.DELETE_COMPLETE' },
        },
        // The ControlPlane resource waits for EKS to finish deleting the cluster.
        controlPlane: {
          entry: 'deleteControlPlane',
          on: { CONTROL_PLANE_DELETED: '#stack.DELETE_COMPLETE' },
        },
      },
    },
    DELETE_COMPLETE: {
      type: 'final',
      entry: { type: 'announce', params: { status: 'DELETE_COMPLETE' } },
    },
  },
});

export type StackMachine = typeof stackMachine;
