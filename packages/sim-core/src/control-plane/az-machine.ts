/**
 * One Availability Zone of the AWS-managed VPC (docs/control-plane.md: the control plane spans 3 AZs).
 * Two independent regions: its health (up, impaired — running at reduced capacity, no new
 * launches — or down) and its network (connected, or partitioned from the other AZs).
 */
import { setup } from 'xstate';

export type AzHealth = 'up' | 'impaired' | 'down';
export type AzNetwork = 'connected' | 'partitioned';

export type AzEvent =
  | { type: 'AZ_FAILED' }
  | { type: 'AZ_IMPAIRED' }
  | { type: 'AZ_RECOVERED' }
  | { type: 'PARTITIONED' }
  | { type: 'HEALED' };

export const azMachine = setup({
  types: { events: {} as AzEvent },
}).createMachine({
  id: 'az',
  type: 'parallel',
  states: {
    health: {
      initial: 'up',
      states: {
        up: { on: { AZ_FAILED: 'down', AZ_IMPAIRED: 'impaired' } },
        impaired: { on: { AZ_FAILED: 'down', AZ_RECOVERED: 'up' } },
        down: { on: { AZ_RECOVERED: 'up' } },
      },
    },
    network: {
      initial: 'connected',
      states: {
        connected: { on: { PARTITIONED: 'partitioned' } },
        partitioned: { on: { HEALED: 'connected' } },
      },
    },
  },
});
