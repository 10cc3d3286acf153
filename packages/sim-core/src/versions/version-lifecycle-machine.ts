import { assign, setup } from 'xstate';
import type { SupportPhase, UpgradePolicy } from './calendar';

/**
 * A cluster's Kubernetes version through its support life (docs/versions-and-cost.md, AWS EKS User Guide, kubernetes-versions.html):
 * STANDARD_SUPPORT for 14 months after the version's EKS release, then EXTENDED_SUPPORT for 12
 * more when the upgrade policy is EXTENDED (the default). At the end of support
 * (end of extended, or end of standard with STANDARD) EKS owes the cluster an automatic
 * upgrade: AUTO_UPGRADE_DUE until the VersionUpdate starts, UPDATING while it runs. A manual
 * UpdateClusterVersion goes through UPDATING too. Node groups are not part of this machine:
 * EKS never upgrades them with the control plane (docs/versions-and-cost.md).
 */
export interface LifecycleContext {
  phase: SupportPhase;
  policy: UpgradePolicy;
}

export type LifecycleEvent =
  | { type: 'END_OF_STANDARD_SUPPORT' }
  | { type: 'END_OF_EXTENDED_SUPPORT' }
  | { type: 'UPGRADE_POLICY_CHANGED'; policy: UpgradePolicy }
  | { type: 'VERSION_UPDATE_STARTED' }
  | { type: 'VERSION_UPDATE_SUCCESSFUL'; phase: SupportPhase };

export const versionLifecycleMachine = setup({
  types: {
    context: {} as LifecycleContext,
    input: {} as LifecycleContext,
    events: {} as LifecycleEvent,
  },
  guards: {
    inStandardSupport: ({ context }) => context.phase === 'standard' || context.phase === 'not-yet-released',
    inExtendedSupport: ({ context }) => context.phase === 'extended' && context.policy === 'EXTENDED',
    extendedSupportEnabled: ({ context }) => context.policy === 'EXTENDED',
  },
  actions: {
    recordExtendedPhase: assign({ phase: 'extended' as SupportPhase }),
    recordEndOfSupport: assign({ phase: 'unsupported' as SupportPhase }),
    recordPolicy: assign({
      policy: ({ context, event }) => (event.type === 'UPGRADE_POLICY_CHANGED' ? event.policy : context.policy),
    }),
    recordNewVersionPhase: assign({
      phase: ({ context, event }) => (event.type === 'VERSION_UPDATE_SUCCESSFUL' ? event.phase : context.phase),
    }),
  },
}).createMachine({
  id: 'versionLifecycle',
  context: ({ input }) => ({ ...input }),
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
        VERSION_UPDATE_STARTED: 'UPDATING',
      },
    },
    EXTENDED_SUPPORT: {
      on: {
        END_OF_EXTENDED_SUPPORT: { target: 'AUTO_UPGRADE_DUE', actions: 'recordEndOfSupport' },
        UPGRADE_POLICY_CHANGED: { actions: 'recordPolicy' },
        VERSION_UPDATE_STARTED: 'UPDATING',
      },
    },
    AUTO_UPGRADE_DUE: {
      on: { VERSION_UPDATE_STARTED: 'UPDATING' },
    },
    UPDATING: {
      on: {
        VERSION_UPDATE_SUCCESSFUL: { target: 'RESOLVING', actions: 'recordNewVersionPhase' },
      },
    },
  },
});
