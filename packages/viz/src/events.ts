/** The newest events of the log, newest first, in the model's own sentences. */
import { h } from './dom';
import { num, records, str } from './read';

export function drawEvents(container: HTMLElement, state: unknown, limit = 14): void {
  const events = records((state as { recentEvents?: unknown }).recentEvents)
    .slice(-limit)
    .reverse();
  const items = events.map((event) => {
    const atMs = num(event, 'atMs');
    const time = atMs === null ? '' : new Date(atMs).toISOString().slice(5, 16).replace('T', ' ');
    const type = str(event, 'type') ?? '';
    return h(
      'li',
      { 'data-kind': 'event', 'data-id': String(num(event, 'seq') ?? ''), 'data-state': type },
      h('time', {}, time),
      ' ',
      h('span', { class: 'event-type' }, type),
      ' ',
      str(event, 'message') ?? '',
    );
  });
  container.replaceChildren(...items);
}
