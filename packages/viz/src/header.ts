/** The header line: scenario, simulated time, cluster, playback, role badge, connection. */
import { asRecord, str } from './read';

export interface HeaderElements {
  readonly scenario: HTMLElement;
  readonly clock: HTMLElement;
  readonly cluster: HTMLElement;
  readonly playback: HTMLElement;
  readonly role: HTMLElement;
  readonly connection: HTMLElement;
}

export function drawHeader(elements: HeaderElements, state: unknown): void {
  const snap = asRecord(state);
  const scenario = asRecord(snap.scenario);
  elements.scenario.textContent = str(scenario, 'title') ?? str(scenario, 'name') ?? '';
  elements.scenario.setAttribute('data-state', str(scenario, 'name') ?? '');
  const clock = asRecord(snap.clock);
  const iso = str(clock, 'iso') ?? '';
  elements.clock.textContent = iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '';
  elements.clock.setAttribute('data-state', iso);
  const cluster = asRecord(snap.cluster);
  const name = str(cluster, 'name');
  const status = str(cluster, 'status');
  elements.cluster.textContent = name ? `${name} ${str(cluster, 'version') ?? ''} ${status ?? ''}` : 'no cluster';
  elements.cluster.setAttribute('data-state', status ?? 'none');
  const playback = asRecord(snap.playback);
  const playing = playback.playing === true;
  const speed = typeof playback.speed === 'number' ? playback.speed : 1;
  elements.playback.textContent = `${playing ? '▶ playing' : '❚❚ paused'} ${speed.toLocaleString('en')}×`;
  elements.playback.setAttribute('data-state', playing ? 'playing' : 'paused');
}

export function drawRole(element: HTMLElement, role: 'control' | 'viewer' | null): void {
  element.textContent = role === 'control' ? 'controlling' : role === 'viewer' ? 'viewing' : '…';
  element.setAttribute('data-state', role ?? 'unknown');
  element.title =
    role === 'viewer'
      ? 'Read-only. Click to enter the control token (printed by eks-sim serve), or open the URL with ?token=<control token>'
      : '';
}
