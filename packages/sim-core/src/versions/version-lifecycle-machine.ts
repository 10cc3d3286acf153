import { assign, emit, raise, setup } from 'xstate';
import type { Boundary, SupportPhase, UpgradePolicy } from './calendar';

/**
 * A cluster's Kubernetes version through its support life (docs/versions-and-cost.md, AWS EKS
 * User Guide, kubernetes-versions.html), in two regions.
 *
 * `support`: STANDARD_SUPPORT for 14 months after the version's EKS release, then
 * EXTENDED_SUPPORT for 12 more when the upgrade policy is EXTENDED (the default). At the end of
 * support (end of extended, or end of standard with STANDARD) EKS owes the cluster an automatic
 * upgrade: AUTO_UPGRADE_DUE until the VersionUpdate starts, UPDATING while it runs. A manual
 * UpdateClusterVersion goes through UPDATING too. Node groups are not part of this machine:
 * EKS never upgrades them with the control plane (docs/versions-and-cost.md).
 *
 * `calendar`: the next boundary of the calendar, waited for (`after`). The owner reads the
 * calendar and names the boundary ahead (`BOUNDARY_AHEAD`) whenever the version or the policy
 * changes. At the boundary the support phase moves on and the event log hears it; at a boundary
 * that owes an upgrade the machine asks its owner to start it (`auto-upgrade-due`). A cluster
 * busy with another update cannot start it: the owner says so (`UPGRADE_DEFERRED`) and the
 * machine asks again a minute later, until it starts or the calendar moves on.
 */
export interface LifecycleInput {
  phase: SupportPhase;
  policy: UpgradePolicy;
  /** The cluster's name and version, for the event log's lines. */
  clusterName?: string;
  version?: string;
}

export interface LifecycleContext extends Required<LifecycleInput> {
  /** The boundary waited for (or, while retrying, the one crossed), and how far ahead it was. */
  boundary: Boundary | null;
  boundaryInMs: number;
  /** Why the automatic upgrade owed at the boundary has not started yet. */
  deferral: string | undefined;
  /** The last such reason, kept until an automatic upgrade starts (it says why that one was late). */
  lastDeferral: string | undefined;
}

/** When an automatic upgrade finds the cluster busy, EKS tries again later; we retry every minute. */
export const AUTO_UPGRADE_RETRY_MS = 60_000;

export type LifecycleEvent =
  | { type: 'END_OF_STANDARD_SUPPORT' }
  | { type: 'END_OF_EXTENDED_SUPPORT' }
  | { type: 'UPGRADE_POLICY_CHANGED'; policy: UpgradePolicy }
  | { type: 'VERSION_UPDATE_STARTED'; trigger?: 'automatic' | 'manual' }
  | { type: 'VERSION_UPDATE_SUCCESSFUL'; phase: SupportPhase; version?: string }
  | { type: 'BOUNDARY_AHEAD'; boundary: Boundary | null; inMs: number }
  | { type: 'UPGRADE_DEFERRED'; reason: string };

/** A line of the event log, or the owner's cue to start the automatic upgrade. */
export type LifecycleEmitted =
  | {
      readonly type: 'versions.extended-support-started' | 'versions.end-of-support';
      readonly source: string;
      readonly message: string;
      readonly data: Record<string, unknown>;
    }
  | {
      readonly type: 'auto-upgrade-due';
      readonly fromVersion: string;
      readonly boundary: Boundary;
      readonly deferredReason: string | undefined;
    };

export const versionLifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    input: {} as LifecycleInput,
    events: {} as LifecycleEvent,
    emitted: {} as LifecycleEmitted,
  },
  guards: {
    inStandardSupport: ({ context }) => context.phase === 'standard' || context.phase === 'not-yet-released',
    inExtendedSupport: ({ context }) => context.phase === 'extended' && context.policy === 'EXTENDED',
    extendedSupportEnabled: ({ context }) => context.policy === 'EXTENDED',
    boundaryAhead: ({ event }) => event.type === 'BOUNDARY_AHEAD' && event.boundary !== null,
    entersExtendedSupport: ({ context }) => context.boundary?.action === 'enters-extended-support',
  },
  actions: {
    recordExtendedPhase: assign({ phase: 'extended' as SupportPhase }),
    recordEndOfSupport: assign({ phase: 'unsupported' as SupportPhase }),
    recordPolicy: assign({
      policy: ({ context, event }) => (event.type === 'UPGRADE_POLICY_CHANGED' ? event.policy : context.policy),
    }),
    recordNewVersionPhase: assign(({ context, event }) =>
      event.type === 'VERSION_UPDATE_SUCCESSFUL'
        ? { phase: event.phase, version: event.version ?? context.version }
        : context,
    ),
    forgetDeferralIfAutomatic: assign({
      lastDeferral: ({ context, event }) =>
        event.type === 'VERSION_UPDATE_STARTED' && event.trigger === 'automatic' ? undefined : context.lastDeferral,
    }),
    recordBoundary: assign(({ context, event }) =>
      event.type === 'BOUNDARY_AHEAD' ? { boundary: event.boundary, boundaryInMs: event.inMs } : context,
    ),
    recordDeferral: assign(({ context, event }) =>
      event.type === 'UPGRADE_DEFERRED' ? { deferral: event.reason, lastDeferral: event.reason } : context,
    ),
    /** The support region hears the boundary first, then the log. */
    crossBoundary: raise(({ context }) => ({
      type:
        context.boundary?.kind === 'end-of-standard-support'
          ? ('END_OF_STANDARD_SUPPORT' as const)
          : ('END_OF_EXTENDED_SUPPORT' as const),
    })),
    announceExtendedSupport: emit(({ context: c }) => {
      const b = c.boundary as Boundary;
      return {
        type: 'versions.extended-support-started' as const,
        source: `cluster/${c.clusterName}`,
        message: `Kubernetes ${c.version} reached end of standard support on ${b.date}: ${c.clusterName} is now in extended support, billed at the extended rate`,
        data: { version: c.version, date: b.date },
      };
    }),
    announceEndOfSupport: emit(({ context: c }) => {
      const b = c.boundary as Boundary;
      const which =
        b.kind === 'end-of-standard-support'
          ? 'end of standard support (upgrade policy STANDARD)'
          : 'end of extended support';
      return {
        type: 'versions.end-of-support' as const,
        source: `cluster/${c.clusterName}`,
        message: `Kubernetes ${c.version} reached ${which} on ${b.date}: EKS upgrades the control plane to ${b.upgradeTo ?? '(no newer version)'} without asking`,
        data: { version: c.version, date: b.date, upgradeTo: b.upgradeTo ?? null },
      };
    }),
    askForUpgrade: emit(({ context: c }) => ({
      type: 'auto-upgrade-due' as const,
      fromVersion: c.version,
      boundary: c.boundary as Boundary,
      deferredReason: c.deferral,
    })),
    forgetDeferral: assign({ deferral: undefined }),
  },
  delays: {
    untilBoundary: ({ context }) => context.boundaryInMs,
    retryInterval: AUTO_UPGRADE_RETRY_MS,
  },
}).createMachine({
  id: 'versionLifecycle',
  type: 'parallel',
  context: ({ input }) => ({
    clusterName: '',
    version: '',
    ...input,
    boundary: null,
    boundaryInMs: 0,
    deferral: undefined,
    lastDeferral: undefined,
  }),
  states: {
    support: {
      initial: 'RESOLVING',
      states: {
        RESOLVING: {
          always: [
            { guard: 'inStandardSupport', target: 'STANDARD_SUPPORT' },
            { guard: 'inExtendedSupport', target: 'EXTENDED_SUPPORT' },
            { target: 'AUTO_UPGRADE_DUE' },
          ],
        },
        STANDARD_SUPPORT: {
          on: {
            END_OF_STANDARD_SUPPORT: [
              { guard: 'extendedSupportEnabled', target: 'EXTENDED_SUPPORT', actions: 'recordExtendedPhase' },
              { target: 'AUTO_UPGRADE_DUE', actions: 'recordExtendedPhase' },
            ],
            UPGRADE_POLICY_CHANGED: { actions: 'recordPolicy' },
            VERSION_UPDATE_STARTED: { target: 'UPDATING', actions: 'forgetDeferralIfAutomatic' },
          },
        },
        EXTENDED_SUPPORT: {
          on: {
            END_OF_EXTENDED_SUPPORT: { target: 'AUTO_UPGRADE_DUE', actions: 'recordEndOfSupport' },
            UPGRADE_POLICY_CHANGED: { actions: 'recordPolicy' },
            VERSION_UPDATE_STARTED: { target: 'UPDATING', actions: 'forgetDeferralIfAutomatic' },
          },
        },
        AUTO_UPGRADE_DUE: {
          on: { VERSION_UPDATE_STARTED: { target: 'UPDATING', actions: 'forgetDeferralIfAutomatic' } },
        },
        UPDATING: {
          on: {
            VERSION_UPDATE_STARTED: { actions: 'forgetDeferralIfAutomatic' },
            VERSION_UPDATE_SUCCESSFUL: { target: 'RESOLVING', actions: 'recordNewVersionPhase' },
          },
        },
      },
    },
    calendar: {
      initial: 'idle',
      on: {
        BOUNDARY_AHEAD: [
          { guard: 'boundaryAhead', target: '.waiting', reenter: true, actions: 'recordBoundary' },
          { target: '.idle', actions: 'recordBoundary' },
        ],
        UPGRADE_DEFERRED: { target: '.retrying', actions: 'recordDeferral' },
      },
      states: {
        idle: {},
        waiting: {
          after: {
            untilBoundary: [
              {
                guard: 'entersExtendedSupport',
                target: 'idle',
                actions: ['crossBoundary', 'announceExtendedSupport'],
              },
              { target: 'idle', actions: ['crossBoundary', 'announceEndOfSupport', 'forgetDeferral', 'askForUpgrade'] },
            ],
          },
        },
        retrying: {
          after: { retryInterval: { target: 'idle', actions: 'askForUpgrade' } },
        },
      },
    },
  },
});

/** Where the machine is through the version's support life (the snapshot's `lifecycleState`). */
export function lifecyclePhaseOf(value: unknown): string {
  return String((value as { support?: string }).support ?? 'UNKNOWN');
}
