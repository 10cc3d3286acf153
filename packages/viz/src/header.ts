/** The header line: scenario, simulated time, cluster, playback, role badge, connection. */
import type { StreamState } from '@eks-sim/protocol/client';

export interface HeaderElements {
  readonly scenario: HTMLElement;
  readonly clock: HTMLElement;
  readonly cluster: HTMLElement;
  readonly playback: HTMLElement;
  readonly role: HTMLElement;
  readonly connection: HTMLElement;
}

export function drawHeader(elements: HeaderElements, state: Partial<StreamState> | null): void {
  const scenario = state?.scenario;
  elements.scenario.textContent = scenario?.title ?? scenario?.name ?? '';
  elements.scenario.setAttribute('data-state', scenario?.name ?? '');
  const iso = state?.clock?.iso ?? '';
  elements.clock.textContent = iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : '';
  elements.clock.setAttribute('data-state', iso);
  const cluster = state?.cluster;
  elements.cluster.textContent = cluster ? `${cluster.name} ${cluster.version} ${cluster.status}` : 'no cluster';
  elements.cluster.setAttribute('data-state', cluster?.status ?? 'none');
  const playing = state?.playback?.playing === true;
  const speed = state?.playback?.speed ?? 1;
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
