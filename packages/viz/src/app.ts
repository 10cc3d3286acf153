/**
 * The page: connects to a session, keeps the newest state, and redraws every part from it at
 * most once per animation frame. Also exposes `window.eksSim` so a user's script or a test can
 * read the state, feed a snapshot directly (no server needed), or send a command.
 */
import type { CommandInfo } from '@eks-sim/protocol/client';
import { scenarios as builtInScenarios, EKS_CALENDAR } from '@eks-sim/sim-core';
import { createArchitectureSvg, drawArchitecture } from './architecture';
import { drawCostChart } from './chart-cost';
import { drawCpuChart } from './chart-cpu';
import { drawInstancesChart } from './chart-instances';
import { drawLatencyCharts } from './chart-latency';
import { drawLoadChart } from './chart-load';
import {
  Connection,
  type ConnectionStatus,
  createSession,
  fetchScenarios,
  type ScenarioSummary,
  type StreamState,
  streamUrl,
} from './connection';
import { type ControlChannel, Controls, commandFieldsFrom } from './controls';
import { DetailsPanel } from './details';
import { setOptions } from './dom';
import { calendarState, drawCalendar } from './draw-calendar';
import { drawEvents } from './events';
import { drawHeader, drawRole, type HeaderElements } from './header';
import { CostHistory, CpuHistory, costSeriesFromSegments, loadSeries } from './history';
import { installShortcuts } from './keyboard';
import { LessonPanel } from './lesson';
import { Presenter, zoomTargets } from './presenter';
import { ScenarioLoader, submitScenarioText } from './scenario-loader';
import { Terminal } from './terminal';

function element<T extends Element = HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (!found) throw new Error(`index.html lacks #${id}`);
  return found as unknown as T;
}

export interface PageApi {
  /** The newest state the page drew. */
  readonly state: StreamState | null;
  readonly role: 'control' | 'viewer' | null;
  /** Draws a snapshot as if the server had sent it (offline use, tests, scripts). */
  render(snapshot: unknown): void;
  /** Wall ms each of the last frames took to draw (newest last). */
  readonly frameTimes: readonly number[];
  send: ControlChannel['request'];
}

declare global {
  interface Window {
    eksSim?: PageApi;
  }
}

export function startPage(): PageApi {
  const params = new URLSearchParams(location.search);
  const sessionId = params.get('session') ?? 'default';
  const token = params.get('token');
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches;
  const costHistory = new CostHistory();
  const cpuHistory = new CpuHistory();
  const frameTimes: number[] = [];
  let scenarios: ScenarioSummary[] = [];
  let commandFields = new Map<string, string[]>();
  let state: StreamState | null = null;
  let role: 'control' | 'viewer' | null = null;
  let framePending = false;

  const header: HeaderElements = {
    scenario: element('scenario'),
    clock: element('clock'),
    cluster: element('cluster'),
    playback: element('playback'),
    role: element('role'),
    connection: element('connection'),
  };
  const svg = createArchitectureSvg(element('architecture'));
  const zoomSelect = element<HTMLSelectElement>('zoom');
  const followBox = element<HTMLInputElement>('follow');
  // The presenter leads: each zoom by hand goes to the class while "class follows" is on.
  const presenter = new Presenter(svg, document.body, {
    onZoom: (target) => {
      zoomSelect.value = target;
      if (role === 'control' && followBox.checked) void channel.request({ type: 'focus', target });
    },
  });

  const connection = new Connection(streamUrl(location, sessionId, token), {
    onHello: (hello) => {
      role = hello.role;
      applyRole();
    },
    onState: (next) => {
      state = next;
      costHistory.add(next);
      cpuHistory.add(next);
      scheduleFrame();
    },
    onStatus: (status: ConnectionStatus, detail: string) => {
      // Refused (a wrong token, an unknown session): keep saying so while the page retries,
      // instead of flickering back to "connecting" between attempts.
      if (status === 'connecting' && header.connection.getAttribute('data-state') === 'refused') return;
      header.connection.textContent = status === 'live' ? 'live' : status;
      header.connection.setAttribute('data-state', status);
      // Trouble gets a line of its own under the header, where a teacher will see it.
      const banner = element('banner');
      banner.hidden = status === 'live' || status === 'connecting';
      banner.textContent = banner.hidden
        ? ''
        : `${status === 'refused' ? 'Not connected' : 'Connection lost'}: ${detail}`;
      banner.setAttribute('data-state', status);
    },
    onFocus: (target) => {
      document.body.toggleAttribute('data-following', target !== null);
      presenter.setZoom(target, false);
      zoomSelect.value = presenter.zoom;
    },
  });
  const channel: ControlChannel = { request: (message) => connection.request(message) };

  const controls = new Controls({
    channel,
    commandFields: () => commandFields,
    scenarios: () => scenarios,
    newSession: async (scenario, seed) => {
      const created = await createSession(scenario, seed);
      const url = new URL(location.href);
      url.searchParams.set('session', created.id);
      url.searchParams.set('token', created.token);
      location.assign(url.toString());
    },
  });
  const terminal = new Terminal(channel);
  const lesson = new LessonPanel(channel, terminal);
  const details = new DetailsPanel(channel);
  document.body.append(details.element);
  element('controls-slot').append(controls.element);
  const loader = new ScenarioLoader({
    submit: submitScenarioText,
    open: ({ id, token }) => {
      const url = new URL(location.href);
      url.searchParams.set('session', id);
      url.searchParams.set('token', token);
      location.assign(url.toString());
    },
  });
  element('controls-slot').append(loader.element);
  loader.acceptDrops(document.body);
  element('terminal-slot').append(terminal.element);
  element('lesson-slot').append(lesson.element);

  function applyRole(): void {
    drawRole(header.role, role);
    document.body.setAttribute('data-role', role ?? 'unknown');
    element('follow-label').hidden = role !== 'control';
    controls.element.hidden = role !== 'control';
    terminal.setRole(role === 'control' ? 'control' : 'viewer');
    lesson.setRole(role === 'control' ? 'control' : 'viewer');
    details.setRole(role === 'control' ? 'control' : 'viewer');
  }

  // What each part was last drawn from: the stream keeps the identity of untouched parts
  // (`applyDelta` applies deltas copy-on-write), so an unchanged part is not redrawn.
  let drawnFrom = new Map<string, unknown[]>();

  function changed(part: string, inputs: unknown[], next: Map<string, unknown[]>): boolean {
    next.set(part, inputs);
    const before = drawnFrom.get(part);
    return !before || before.length !== inputs.length || before.some((value, i) => value !== inputs[i]);
  }

  function draw(): void {
    framePending = false;
    if (!state) return;
    const started = performance.now();
    const next = new Map<string, unknown[]>();
    const fast = (state.playback?.speed ?? 1) >= 1000 && state.playback?.playing;
    drawHeader(header, state);
    const s = state;
    // A pending endpoint update counts its minutes down with the clock.
    const pendingMinute = s.endpoint?.pendingUpdate ? Math.floor(s.clock.nowMs / 60_000) : null;
    const architectureInputs = [
      s.controlPlane,
      s.network,
      s.endpoint,
      s.nodegroups,
      s.cluster,
      s.region,
      pendingMinute,
    ];
    if (changed('architecture', architectureInputs, next)) {
      drawArchitecture(svg, state, { durationMs: reducedMotion || fast ? 0 : 350, packets: !reducedMotion });
      setOptions(zoomSelect, zoomTargets(svg));
      zoomSelect.value = presenter.zoom;
      presenter.apply();
    }
    if (changed('load', [s.load], next)) {
      const series = loadSeries(state);
      drawLoadChart(element('chart-load'), series);
      drawLatencyCharts(element('chart-latency'), element('chart-errors'), series);
      drawInstancesChart(element('chart-instances'), series);
    }
    if (changed('cpu', [s.controlPlane], next)) drawCpuChart(element('chart-cpu'), cpuHistory.all);
    if (changed('cost', [s.cost, costHistory.all.length], next)) {
      drawCostChart(element('chart-cost'), costSeriesFromSegments(state) ?? costHistory.all, state);
    }
    // The calendar's "today" moves with the clock, but a day at a time is all it can show.
    if (changed('calendar', [s.versions, s.cluster, state.clock?.iso?.slice(0, 10)], next)) {
      drawCalendar(element('calendar'), EKS_CALENDAR, calendarState(state));
    }
    if (changed('events', [state.lastSeq], next)) drawEvents(element('events'), state);
    if (role === 'control') controls.update(state);
    details.update(state);
    if (changed('hosts', [s.network, s.nodegroups], next)) terminal.updateHosts(state);
    // The lesson of a built-in scenario (pure data from sim-core); an uploaded scenario has none here.
    const name = state.scenario?.name ?? '';
    lesson.setLesson(builtInScenarios[name]?.lesson ?? null);
    drawnFrom = next;
    frameTimes.push(performance.now() - started);
    if (frameTimes.length > 600) frameTimes.splice(0, frameTimes.length - 600);
  }

  function scheduleFrame(): void {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(draw);
  }

  // Clicking a component in the picture opens its details and picks it in the fault controls;
  // clicking a path, its ✕ or its reason opens the hop-by-hop explanation.
  const frames = new Set(['internet', 'region', 'managed-vpc', 'customer-vpc', 'legend', 'quorum']);
  svg.addEventListener('click', (event) => {
    const target = (event.target as Element).closest('[data-kind][data-id]');
    const kind = target?.getAttribute('data-kind');
    const id = target?.getAttribute('data-id');
    if (!kind || !id || frames.has(kind)) return;
    controls.select(kind, id);
    details.select({ kind, id });
  });

  // A viewer who is handed the token (eks-sim serve prints it) can take control from the badge.
  header.role.addEventListener('click', () => {
    if (role !== 'viewer') return;
    const entered = prompt('Control token (printed by eks-sim serve):')?.trim();
    if (!entered) return;
    const url = new URL(location.href);
    url.searchParams.set('token', entered);
    location.assign(url.toString());
  });

  installShortcuts(document, {
    togglePlay: () => role === 'control' && controls.togglePlay(),
    step: () => role === 'control' && controls.step(),
    faster: () => role === 'control' && controls.nudgeSpeed(1),
    slower: () => role === 'control' && controls.nudgeSpeed(-1),
    toggleControls: () => document.body.classList.toggle('controls-hidden'),
    closeDetails: () => details.select(null),
    togglePresenter: () => presenter.togglePresenter(),
    toggleContrast: () => presenter.toggleContrast(),
    toggleFollow: () => {
      if (role !== 'control') return;
      followBox.checked = !followBox.checked;
      followBox.dispatchEvent(new Event('change'));
    },
    zoom: (key) => {
      if (key === '0') presenter.setZoom('all');
      else if (key === 'v') presenter.setZoom('customer-vpc');
      else if (key === 'z') {
        const selected = document.querySelector('[data-kind="details"]')?.getAttribute('data-state') ?? '';
        const client = /^(path|refusal|refusal-reason):([^:]+)/.exec(selected)?.[2];
        if (client) presenter.setZoom(`path:${client}`);
      } else {
        const az = svg.querySelectorAll('[data-kind="az"][data-id]')[Number(key) - 1]?.getAttribute('data-id');
        if (az) presenter.setZoom(`az:${az}`);
      }
    },
  });
  zoomSelect.addEventListener('change', () => presenter.setZoom(zoomSelect.value));
  followBox.addEventListener('change', () => {
    if (role !== 'control') return;
    void channel.request({ type: 'focus', target: followBox.checked ? presenter.zoom : null });
  });
  element('presenter-toggle').addEventListener('click', () => presenter.togglePresenter());
  element('toggle-controls').addEventListener('click', () => document.body.classList.toggle('controls-hidden'));

  applyRole();
  void fetchScenarios()
    .then((list) => {
      scenarios = list;
      scheduleFrame();
    })
    .catch(() => undefined);
  void fetch('/api/commands')
    .then((r): Promise<CommandInfo[]> | CommandInfo[] => (r.ok ? r.json() : []))
    .then((list) => {
      commandFields = commandFieldsFrom(list);
    })
    .catch(() => undefined);
  connection.open();

  const api: PageApi = {
    get state() {
      return state;
    },
    get role() {
      return role;
    },
    render(snapshot) {
      state = snapshot as StreamState;
      costHistory.add(state);
      cpuHistory.add(state);
      draw();
    },
    frameTimes,
    send: channel.request,
  };
  window.eksSim = api;
  return api;
}
