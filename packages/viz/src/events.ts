/** The newest events of the log, newest first, in the model's own sentences. */

import type { Snapshot } from '@eks-sim/sim-core';
import { h } from './dom';

export function drawEvents(container: HTMLElement, state: Pick<Partial<Snapshot>, 'recentEvents'>, limit = 14): void {
  const events = (state.recentEvents ?? []).slice(-limit).reverse();
  const items = events.map((event) =>
    h(
      'li',
      { 'data-kind': 'event', 'data-id': String(event.seq), 'data-state': event.type },
      h('time', {}, new Date(event.atMs).toISOString().slice(5, 16).replace('T', ' ')),
      ' ',
      h('span', { class: 'event-type' }, event.type),
      ' ',
      event.message,
    ),
  );
  container.replaceChildren(...items);
}
