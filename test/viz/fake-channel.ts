/** A control channel that answers like the server would, from a real Simulation in the test. */
import type { Simulation } from '@eks-sim/sim-core';
import type { ClientMessage, ResultMessage, StreamState } from '../../packages/viz/src/connection';
import type { ControlChannel } from '../../packages/viz/src/controls';

export interface RecordingChannel extends ControlChannel {
  readonly sent: Exclude<ClientMessage, { type: 'resync' }>[];
  state(): StreamState;
}

export function simChannel(sim: Simulation): RecordingChannel {
  const sent: Exclude<ClientMessage, { type: 'resync' }>[] = [];
  let playback = { playing: false, speed: 1 };
  return {
    sent,
    state: () => ({ ...sim.snapshot(), playback }) as StreamState,
    async request(message) {
      sent.push(message);
      const id = message.id ?? null;
      if (message.type === 'command') {
        const result = sim.apply(message.command);
        return result.ok
          ? { type: 'result', id, ok: true, output: result.output, data: result.data }
          : { type: 'result', id, ok: false, error: result.code, message: result.error };
      }
      if (message.type === 'exec') {
        const result = sim.exec(message.line, { from: message.from });
        return { type: 'result', id, ok: true, output: result.stdout + result.stderr, data: result };
      }
      if (message.type === 'focus') return { type: 'result', id, ok: true };
      if (message.action === 'step') sim.advance(message.ms ?? 0);
      if (message.action === 'play') playback = { ...playback, playing: true };
      if (message.action === 'pause') playback = { ...playback, playing: false };
      if (message.action === 'speed') playback = { ...playback, speed: message.speed ?? 1 };
      return { type: 'result', id, ok: true, data: playback } satisfies ResultMessage;
    },
  };
}
