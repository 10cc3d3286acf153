/**
 * The control panel: clock, load, faults, endpoint access, date jump, scenario and
 * seed, reset. Shown only to the holder of the control token; every button sends a command the
 * model defines (`load.set`, `fault.az`, `endpoint.update`, `sg.add-rule`, …) over the stream
 * and shows the model's answer, error text included.
 */
import { type CommandInfo, MAX_STEP_MS } from '@eks-sim/protocol/client';
import type { ClientMessage, ResultMessage, StreamState } from './connection';
import { h, setOptions } from './dom';
import { architectureView } from './view';

export interface ControlChannel {
  request(message: Exclude<ClientMessage, { type: 'resync' }>): Promise<ResultMessage>;
}

export interface ControlsOptions {
  readonly channel: ControlChannel;
  /** Field names each command accepts (from `/api/commands`), to fill optional fields the model knows. */
  readonly commandFields: () => ReadonlyMap<string, readonly string[]>;
  readonly scenarios: () => readonly { name: string; title: string }[];
  readonly newSession: (scenario: string, seed: number | null) => Promise<void>;
}

export const SPEEDS = [1, 10, 60, 100, 1000, 10_000, 100_000];
export const STEPS: readonly { label: string; ms: number }[] = [
  { label: '1 min', ms: 60_000 },
  { label: '10 min', ms: 600_000 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
];

export class Controls {
  readonly element: HTMLElement;
  private state: StreamState | null = null;
  private readonly status: HTMLElement;
  private readonly playButton: HTMLButtonElement;
  private readonly speedSelect: HTMLSelectElement;
  private readonly stepSelect: HTMLSelectElement;
  private readonly rpsInput: HTMLInputElement;
  private readonly rpsLabel: HTMLElement;
  private readonly targetSelect: HTMLSelectElement;
  private readonly azSelect: HTMLSelectElement;
  private readonly modeSelect: HTMLSelectElement;
  private readonly cidrInput: HTMLInputElement;
  private readonly dateInput: HTMLInputElement;
  private readonly scenarioSelect: HTMLSelectElement;
  private readonly seedInput: HTMLInputElement;
  private rpsTouched = false;

  constructor(private readonly options: ControlsOptions) {
    this.status = h('output', { class: 'control-status', 'data-kind': 'control-status', role: 'status' });
    this.playButton = h('button', { 'data-control': 'play', onclick: () => this.togglePlay() }, '▶ Play');
    this.speedSelect = h(
      'select',
      { 'data-control': 'speed', 'aria-label': 'speed', onchange: () => this.setSpeed(Number(this.speedSelect.value)) },
      ...SPEEDS.map((s) => h('option', { value: s }, `${s.toLocaleString('en')}×`)),
    );
    this.stepSelect = h(
      'select',
      { 'data-control': 'step-size', 'aria-label': 'step size' },
      ...STEPS.map((s) => h('option', { value: s.ms }, s.label)),
    );
    this.rpsInput = h('input', {
      type: 'range',
      min: 0,
      max: 20000,
      step: 100,
      value: 1000,
      'data-control': 'load-rps',
      'aria-label': 'offered load, requests per second',
      oninput: () => {
        this.rpsTouched = true;
        this.rpsLabel.textContent = `${this.rpsInput.value} req/s`;
      },
      onchange: () => this.setLoad(),
    });
    this.rpsLabel = h('span', { class: 'value' }, '– req/s');
    this.targetSelect = h('select', { 'data-control': 'fault-target', 'aria-label': 'component' });
    this.azSelect = h('select', { 'data-control': 'fault-az', 'aria-label': 'availability zone' });
    this.modeSelect = h(
      'select',
      { 'data-control': 'endpoint-mode', 'aria-label': 'endpoint access' },
      h('option', { value: 'public' }, 'public'),
      h('option', { value: 'public-private' }, 'public and private'),
      h('option', { value: 'private' }, 'private'),
    );
    this.cidrInput = h('input', {
      type: 'text',
      'data-control': 'public-access-cidrs',
      'aria-label': 'publicAccessCidrs',
      placeholder: '0.0.0.0/0',
    });
    this.dateInput = h('input', { type: 'date', 'data-control': 'date', 'aria-label': 'jump to date' });
    this.scenarioSelect = h('select', { 'data-control': 'scenario', 'aria-label': 'scenario' });
    this.seedInput = h('input', { type: 'number', min: 0, step: 1, 'data-control': 'seed', 'aria-label': 'seed' });

    const button = (control: string, label: string, action: () => void, title?: string) =>
      h('button', { 'data-control': control, onclick: action, title }, label);

    this.element = h(
      'section',
      { class: 'controls', 'data-kind': 'controls', 'data-id': 'controls', 'data-state': 'control' },
      h('h2', {}, 'Controls'),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Clock'),
        this.playButton,
        button('step', '▶| Step', () => this.step(), 'step (shortcut: .)'),
        this.stepSelect,
        this.speedSelect,
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Load'),
        this.rpsInput,
        this.rpsLabel,
        button('load-spike', 'Spike ×10 for 20 min', () => this.spike()),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Faults'),
        this.targetSelect,
        button('fail-target', 'Fail', () => this.fault('fault')),
        button('recover-target', 'Recover', () => this.fault('recover')),
        h('br'),
        this.azSelect,
        button('fail-az', 'Fail AZ', () => this.azFault('fault')),
        button('recover-az', 'Recover AZ', () => this.azFault('recover')),
        button('partition-az', 'Partition', () => this.azFault('partition'), 'cut the AZ off from the other two'),
        button('heal-az', 'Heal', () => this.azFault('heal')),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Endpoint access'),
        this.modeSelect,
        this.cidrInput,
        button('endpoint-apply', 'Apply', () => this.updateEndpoint()),
        h('br'),
        button(
          'allow-bastion-443',
          'Allow the bastion on 443',
          () => this.allowBastion(),
          'sg.add-rule on the cluster security group',
        ),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Date'),
        this.dateInput,
        button('date-jump', 'Jump', () => this.jump()),
      ),
      h(
        'fieldset',
        {},
        h('legend', {}, 'Scenario'),
        this.scenarioSelect,
        this.seedInput,
        button('new-session', 'Start', () => this.startScenario()),
        button('reset', 'Reset', () => this.reset()),
      ),
      this.status,
    );
  }

  private say(ok: boolean, text: string): void {
    this.status.textContent = text;
    this.status.setAttribute('data-state', ok ? 'ok' : 'error');
  }

  private async send(message: Exclude<ClientMessage, { type: 'resync' }>, label: string): Promise<ResultMessage> {
    this.say(true, `${label}…`);
    const result = await this.options.channel.request(message);
    if (result.ok) this.say(true, `${label}: ${result.output?.trim() || 'done'}`);
    else
      this.say(
        false,
        `${label}: ${result.message ?? result.error ?? 'refused'}${result.error ? ` (${result.error})` : ''}`,
      );
    return result;
  }

  command(command: { type: string; [field: string]: unknown }): Promise<ResultMessage> {
    return this.send({ type: 'command', command }, command.type);
  }

  togglePlay(): void {
    const playing = this.state?.playback?.playing ?? false;
    void this.send({ type: 'clock', action: playing ? 'pause' : 'play' }, playing ? 'pause' : 'play');
  }

  step(): void {
    void this.send(
      { type: 'clock', action: 'step', ms: Number(this.stepSelect.value) },
      `step ${this.stepSelect.selectedOptions[0]?.text ?? ''}`,
    );
  }

  setSpeed(speed: number): void {
    void this.send({ type: 'clock', action: 'speed', speed }, `speed ${speed}×`);
  }

  /** One notch faster or slower on the speed ladder (keyboard + and -). */
  nudgeSpeed(direction: 1 | -1): void {
    const current = this.state?.playback?.speed ?? 1;
    const index = SPEEDS.findIndex((s) => s >= current);
    const next = SPEEDS[Math.max(0, Math.min(SPEEDS.length - 1, (index < 0 ? SPEEDS.length - 1 : index) + direction))]!;
    this.setSpeed(next);
  }

  private setLoad(): void {
    this.rpsTouched = false;
    void this.command({ type: 'load.set', rps: Number(this.rpsInput.value) });
  }

  private spike(): void {
    const fields = this.options.commandFields().get('load.spike') ?? [];
    const command: { type: string; [field: string]: unknown } = { type: 'load.spike', factor: 10 };
    if (fields.includes('duration')) command.duration = '20m';
    else if (fields.includes('durationMs')) command.durationMs = 20 * 60_000;
    else if (fields.includes('minutes')) command.minutes = 20;
    void this.command(command);
  }

  private fault(verb: 'fault' | 'recover'): void {
    const [kind, id] = this.targetSelect.value.split(':');
    if (!kind || !id) {
      this.say(false, 'choose a component first');
      return;
    }
    // NLB nodes are named by their AZ in the model's fault commands (one node per AZ).
    if (kind === 'nlb') {
      const az = architectureView(this.state).nlbs.find((n) => n.id === id)?.az;
      if (!az) {
        this.say(false, `no NLB node ${id} any more`);
        return;
      }
      void this.command({ type: `${verb}.nlb`, az });
      return;
    }
    void this.command({ type: `${verb}.${kind}`, id });
  }

  private azFault(verb: 'fault' | 'recover' | 'partition' | 'heal'): void {
    const az = this.azSelect.value;
    if (!az) {
      this.say(false, 'choose an AZ first');
      return;
    }
    void this.command({ type: `${verb}.az`, az });
  }

  private updateEndpoint(): void {
    const mode = this.modeSelect.value;
    const command: { type: string; [field: string]: unknown } = {
      type: 'endpoint.update',
      public: mode !== 'private',
      private: mode !== 'public',
    };
    const cidrs = this.cidrInput.value
      .split(/[\s,]+/)
      .map((c) => c.trim())
      .filter(Boolean);
    if (cidrs.length) command.publicAccessCidrs = cidrs;
    void this.command(command);
  }

  /** docs/endpoint-modes.md's fix: inbound TCP 443 on EKS's cluster security group from the bastion's group. */
  private allowBastion(): void {
    const view = architectureView(this.state);
    const bastion = view.hosts.find((h) => h.kind === 'bastion');
    const fromModel = view.paths.find((p) => p.client === bastion?.name)?.fixCommand;
    if (fromModel && fromModel.type === 'sg.add-rule') {
      void this.command(fromModel as { type: string });
      return;
    }
    if (!view.clusterSecurityGroupId || !bastion) {
      this.say(false, 'no cluster security group or bastion in this simulation yet');
      return;
    }
    void this.command({
      type: 'sg.add-rule',
      group: view.clusterSecurityGroupId,
      protocol: 'tcp',
      port: 443,
      source: bastion.securityGroupIds[0] ?? `${bastion.ip}/32`,
      description: 'HTTPS from the bastion (docs/endpoint-modes.md)',
    });
  }

  private async jump(): Promise<void> {
    const target = Date.parse(`${this.dateInput.value}T00:00:00Z`);
    const now = this.state?.clock?.nowMs;
    if (!Number.isFinite(target) || now === undefined) {
      this.say(false, 'choose a date first');
      return;
    }
    if (target <= now) {
      this.say(false, 'simulated time only goes forward: choose a later date, or reset');
      return;
    }
    let left = target - now;
    // The server's longest single step: longer jumps go in several.
    const steps = Math.ceil(left / MAX_STEP_MS);
    for (let i = 1; left > 0; i++) {
      const ms = Math.min(left, MAX_STEP_MS);
      const label = steps > 1 ? `jump to ${this.dateInput.value} (${i}/${steps})` : `jump to ${this.dateInput.value}`;
      const result = await this.send({ type: 'clock', action: 'step', ms }, label);
      if (!result.ok) return;
      left -= ms;
    }
  }

  private async startScenario(): Promise<void> {
    const seed = this.seedInput.value === '' ? null : Number(this.seedInput.value);
    if (seed !== null && (!Number.isInteger(seed) || seed < 0)) {
      this.say(false, 'the seed must be a whole number ≥ 0');
      return;
    }
    this.say(true, `starting ${this.scenarioSelect.value}…`);
    try {
      await this.options.newSession(this.scenarioSelect.value, seed);
    } catch (error) {
      this.say(false, (error as Error).message);
    }
  }

  /** A fresh session of the same scenario and seed: the run starts over, byte for byte. */
  private async reset(): Promise<void> {
    const scenario = this.state?.scenario?.name ?? this.scenarioSelect.value;
    try {
      await this.options.newSession(scenario, this.state?.seed ?? null);
    } catch (error) {
      this.say(false, (error as Error).message);
    }
  }

  update(state: StreamState): void {
    this.state = state;
    const playing = state.playback?.playing ?? false;
    this.playButton.textContent = playing ? '❚❚ Pause' : '▶ Play';
    this.playButton.setAttribute('data-state', playing ? 'playing' : 'paused');
    const speed = String(state.playback?.speed ?? 1);
    if (![...this.speedSelect.options].some((o) => o.value === speed)) {
      this.speedSelect.append(h('option', { value: speed }, `${Number(speed).toLocaleString('en')}×`));
    }
    if (document.activeElement !== this.speedSelect) this.speedSelect.value = speed;

    const offered = state.load?.offeredRps;
    if (offered !== undefined && !this.rpsTouched && document.activeElement !== this.rpsInput) {
      this.rpsInput.value = String(Math.round(offered));
      this.rpsLabel.textContent = `${Math.round(offered)} req/s`;
    }

    const view = architectureView(state);
    setOptions(this.targetSelect, [
      ...view.apiServers.map((a) => ({ value: `apiserver:${a.id}`, label: `API server ${a.id} (${a.state})` })),
      ...view.etcd.map((e) => ({ value: `etcd:${e.id}`, label: `etcd ${e.id} (${e.state})` })),
      ...view.nlbs.map((n) => ({ value: `nlb:${n.id}`, label: `NLB node ${n.id} (${n.state})` })),
    ]);
    setOptions(
      this.azSelect,
      view.azs.map((az) => ({ value: az.id, label: `${az.id} (${az.state})` })),
    );
    if (document.activeElement !== this.modeSelect && view.endpointMode) this.modeSelect.value = view.endpointMode;
    if (document.activeElement !== this.cidrInput) this.cidrInput.value = view.publicAccessCidrs.join(', ');
    if (!this.dateInput.value && state.clock?.iso) this.dateInput.value = state.clock.iso.slice(0, 10);
    setOptions(
      this.scenarioSelect,
      this.options.scenarios().map((s) => ({ value: s.name, label: s.title ? `${s.name}: ${s.title}` : s.name })),
    );
    if (
      document.activeElement !== this.scenarioSelect &&
      state.scenario &&
      this.scenarioSelect.value !== state.scenario.name
    ) {
      if ([...this.scenarioSelect.options].some((o) => o.value === state.scenario.name))
        this.scenarioSelect.value = state.scenario.name;
    }
    if (document.activeElement !== this.seedInput && this.seedInput.value === '' && state.seed !== undefined)
      this.seedInput.value = String(state.seed);
  }

  /** Selects a component in the fault list (clicking it in the picture does this). */
  select(kind: string, id: string): void {
    const value = `${kind}:${id}`;
    if ([...this.targetSelect.options].some((o) => o.value === value)) this.targetSelect.value = value;
    else if (kind === 'az' && [...this.azSelect.options].some((o) => o.value === id)) this.azSelect.value = id;
  }
}

/** Field names per command type from `/api/commands`' JSON schemas. */
export function commandFieldsFrom(list: readonly CommandInfo[]): Map<string, string[]> {
  return new Map(
    list.map((entry) => {
      const properties = (entry.schema as { properties?: Record<string, unknown> }).properties ?? {};
      return [entry.type, Object.keys(properties).filter((k) => k !== 'type')];
    }),
  );
}
