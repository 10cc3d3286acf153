/**
 * One Availability Zone of the AWS-managed VPC that hosts the control plane (Amazon EKS User
 * Guide, "Amazon EKS architecture": the control plane runs across three AZs of its Region).
 * Two independent regions: its health (up; impaired, running at half capacity with no new
 * launches; or down, its instances lost) and its network (connected, or partitioned from the
 * other AZs). Each change is announced in the event log; what it does to the instances in it
 * is the control plane's business (`faults.ts`).
 */
import { emit, setup } from 'xstate';
import type { LogLine } from './log-line';

export type AzHealth = 'up' | 'impaired' | 'down';
export type AzNetwork = 'connected' | 'partitioned';

export type AzEvent =
  | { type: 'AZ_FAILED' }
  | { type: 'AZ_IMPAIRED' }
  | { type: 'AZ_RECOVERED' }
  | { type: 'PARTITIONED' }
  | { type: 'HEALED' };

export interface AzInput {
  readonly id: string;
}

export const azMachine = setup({
  types: { context: {} as AzInput, input: {} as AzInput, events: {} as AzEvent, emitted: {} as LogLine },
  actions: {
    announce: emit(({ context }, params: { type: string; words: string }) => ({
      type: params.type,
      source: context.id,
      message: `${context.id} ${params.words}`,
    })),
  },
}).createMachine({
  id: 'az',
  context: ({ input }) => input,
  type: 'parallel',
  states: {
    health: {
      initial: 'up',
      states: {
        up: {
          on: { AZ_FAILED: 'down', AZ_IMPAIRED: 'impaired' },
        },
        impaired: {
          entry: {
            type: 'announce',
            params: { type: 'az.impaired', words: 'is impaired: instances run at half capacity' },
          },
          on: {
            AZ_FAILED: 'down',
            AZ_RECOVERED: {
              target: 'up',
              actions: { type: 'announce', params: { type: 'az.up', words: 'is up again' } },
            },
          },
        },
        down: {
          entry: { type: 'announce', params: { type: 'az.down', words: 'is down: its instances are lost' } },
          on: {
            AZ_RECOVERED: {
              target: 'up',
              actions: { type: 'announce', params: { type: 'az.up', words: 'is up again' } },
            },
          },
        },
      },
    },
    network: {
      initial: 'connected',
      states: {
        connected: {
          on: {
            PARTITIONED: {
              target: 'partitioned',
              actions: { type: 'announce', params: { type: 'az.partitioned', words: 'is cut off from the other AZs' } },
            },
          },
        },
        partitioned: {
          on: {
            HEALED: {
              target: 'connected',
              actions: {
                type: 'announce',
                params: { type: 'az.healed', words: 'can reach the other AZs again' },
              },
            },
          },
        },
      },
    },
  },
});
