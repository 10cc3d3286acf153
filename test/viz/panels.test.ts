import { createSimulation, scenarios } from '@eks-sim/sim-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { Controls } from '../../packages/viz/src/controls';
import { installShortcuts } from '../../packages/viz/src/keyboard';
import { durationMs, LessonPanel } from '../../packages/viz/src/lesson';
import { Terminal } from '../../packages/viz/src/terminal';
import { installDom } from './dom-setup';
import { simChannel } from './fake-channel';

beforeAll(() => {
  installDom();
});

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function controlsFor(sim = createSimulation(scenarios['seed-week1'], { seed: 1 })) {
  const channel = simChannel(sim);
  const newSession = vi.fn(async () => undefined);
  const controls = new Controls({
    channel,
    commandFields: () => new Map([['load.spike', ['factor', 'duration']]]),
    scenarios: () => [
      { name: 'seed-week1', title: 'Week 1' },
      { name: 'az-outage', title: 'AZ outage' },
    ],
    newSession,
  });
  document.body.replaceChildren(controls.element);
  controls.update(channel.state());
  const control = <T extends HTMLElement>(name: string) =>
    controls.element.querySelector(`[data-control="${name}"]`) as T;
  const status = () => controls.element.querySelector('[data-kind="control-status"]')!;
  return { sim, channel, controls, control, status, newSession };
}

describe('the control panel sends the model’s own commands', () => {
  it('fails the chosen AZ with fault.az and the model greys it', async () => {
    const { sim, channel, control } = controlsFor();
    const az = control<HTMLSelectElement>('fault-az');
    expect([...az.options].map((o) => o.value)).toEqual(['apne2-az1', 'apne2-az2', 'apne2-az3']);
    az.value = 'apne2-az2';
    control('fail-az').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: { type: 'fault.az', az: 'apne2-az2' } });
    expect(sim.snapshot().controlPlane.azs.find((a) => a.id === 'apne2-az2')?.health).toBe('down');
  });

  it('partitions and heals an AZ with partition.az and heal.az', async () => {
    const { sim, channel, control } = controlsFor();
    control<HTMLSelectElement>('fault-az').value = 'apne2-az3';
    control('partition-az').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: { type: 'partition.az', az: 'apne2-az3' } });
    expect(sim.snapshot().controlPlane.azs.find((a) => a.id === 'apne2-az3')?.network).not.toBe('connected');
    control('heal-az').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: { type: 'heal.az', az: 'apne2-az3' } });
    expect(sim.snapshot().controlPlane.azs.find((a) => a.id === 'apne2-az3')?.network).toBe('connected');
  });

  it('fails an NLB node by its AZ, as fault.nlb names it', async () => {
    const { channel, control } = controlsFor();
    control<HTMLSelectElement>('fault-target').value = 'nlb:nlb-apne2-az1';
    control('fail-target').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: { type: 'fault.nlb', az: 'apne2-az1' } });
  });

  it('switches the endpoint to private with endpoint.update and the CIDRs typed', async () => {
    const { channel, control } = controlsFor();
    control<HTMLSelectElement>('endpoint-mode').value = 'private';
    control<HTMLInputElement>('public-access-cidrs').value = '203.0.113.0/24, 198.51.100.7/32';
    control('endpoint-apply').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({
      type: 'command',
      command: {
        type: 'endpoint.update',
        public: false,
        private: true,
        publicAccessCidrs: ['203.0.113.0/24', '198.51.100.7/32'],
      },
    });
  });

  it('shows the model’s error when a command is refused, e.g. both endpoint accesses off', async () => {
    const { control, status, controls } = controlsFor();
    await controls.command({ type: 'endpoint.update', public: false, private: false });
    expect(status().getAttribute('data-state')).toBe('error');
    expect(status().textContent).toContain('InvalidParameterException');
    expect(control('endpoint-apply')).toBeTruthy();
  });

  it('"allow the bastion on 443" sends the fix the model proposes for the locked-out bastion (docs/endpoint-modes.md)', async () => {
    const { sim, channel, controls, control } = controlsFor();
    sim.apply({ type: 'endpoint.update', public: false, private: true });
    sim.advance(3_600_000);
    const fix = sim.snapshot().endpoint.reachability.find((r) => r.client === 'bastion')?.fixCommand;
    expect(fix?.type).toBe('sg.add-rule');
    controls.update(channel.state());
    control('allow-bastion-443').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: fix });
    expect(sim.snapshot().endpoint.reachability.find((r) => r.client === 'bastion')?.reachable).toBe(true);
  });

  it('sends a spike with the duration field the command declares, and the load slider as load.set', async () => {
    const { channel, control } = controlsFor();
    control('load-spike').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({
      type: 'command',
      command: { type: 'load.spike', factor: 10, duration: '20m' },
    });
    const slider = control<HTMLInputElement>('load-rps');
    slider.value = '4000';
    slider.dispatchEvent(new window.Event('change') as unknown as Event);
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'command', command: { type: 'load.set', rps: 4000 } });
  });

  it('plays, pauses and steps the clock by the chosen step', async () => {
    const { channel, control, controls } = controlsFor();
    control('play').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'clock', action: 'play' });
    controls.update(channel.state());
    expect(control('play').getAttribute('data-state')).toBe('playing');
    control('play').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'clock', action: 'pause' });
    control<HTMLSelectElement>('step-size').value = '3600000';
    control('step').click();
    await flush();
    expect(channel.sent.at(-1)).toEqual({ type: 'clock', action: 'step', ms: 3_600_000 });
  });

  it('jumps to a date months ahead in steps the server accepts (≤ 30 days each)', async () => {
    const { sim, channel, control } = controlsFor();
    const start = sim.now();
    control<HTMLInputElement>('date').value = '2024-05-01';
    control('date-jump').click();
    await vi.waitFor(() => expect(sim.snapshot().clock.iso.slice(0, 10)).toBe('2024-05-01'), { timeout: 20_000 });
    const steps = channel.sent.filter((m) => m.type === 'clock' && m.action === 'step');
    expect(steps.length).toBe(2);
    for (const step of steps) expect((step as { ms: number }).ms).toBeLessThanOrEqual(30 * 86_400_000);
    expect(sim.now() - start).toBe(Date.parse('2024-05-01T00:00:00Z') - start);
  });

  it('takes a partial snapshot (a script feeding the page) without throwing', () => {
    const { controls } = controlsFor();
    expect(() => controls.update({} as never)).not.toThrow();
    expect(() => controls.update({ controlPlane: { apiServers: [{ id: 'x' }] } } as never)).not.toThrow();
  });

  it('refuses to jump backwards and says why', () => {
    const { control, status, channel } = controlsFor();
    control<HTMLInputElement>('date').value = '2020-01-01';
    control('date-jump').click();
    expect(status().getAttribute('data-state')).toBe('error');
    expect(status().textContent).toContain('only goes forward');
    expect(channel.sent).toHaveLength(0);
  });

  it('starts a new session with the chosen scenario and seed, and reset reuses the current ones', async () => {
    const { control, newSession } = controlsFor();
    control<HTMLSelectElement>('scenario').value = 'az-outage';
    control<HTMLInputElement>('seed').value = '7';
    control('new-session').click();
    await flush();
    expect(newSession).toHaveBeenLastCalledWith('az-outage', 7);
    control('reset').click();
    await flush();
    expect(newSession).toHaveBeenLastCalledWith('seed-week1', 1);
  });
});

describe('the terminal panel', () => {
  it('runs kubectl version on the bastion and prints the real tool’s output', async () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    const channel = simChannel(sim);
    const terminal = new Terminal(channel);
    terminal.setRole('control');
    terminal.updateHosts(channel.state());
    const code = await terminal.run('kubectl version');
    expect(code).toBe(0);
    expect(channel.sent.at(-1)).toEqual({ type: 'exec', line: 'kubectl version', from: 'bastion' });
    const output = terminal.element.querySelector('[data-kind="terminal-output"]')!.textContent!;
    expect(output).toContain('bastion$ kubectl version');
    expect(output).toMatch(/Server Version: v1\.28\./);
  });

  it('offers the bastion, the laptop and every node as vantage points', () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    const terminal = new Terminal(simChannel(sim));
    terminal.updateHosts(sim.snapshot());
    const options = [...terminal.element.querySelectorAll('[data-control="vantage"] option')].map((o) =>
      o.getAttribute('value'),
    );
    const nodes = sim.snapshot().nodegroups.flatMap((g) => g.nodes.map((n) => n.name));
    expect(options).toEqual(['bastion', 'laptop', ...nodes]);
  });

  it('recalls earlier lines with the up arrow', async () => {
    const terminal = new Terminal(simChannel(createSimulation()));
    terminal.setRole('control');
    await terminal.run('kubectl version');
    await terminal.run('kubectl get nodes');
    const input = terminal.element.querySelector('[data-control="terminal-input"]') as HTMLInputElement;
    input.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowUp' }) as unknown as Event);
    expect(input.value).toBe('kubectl get nodes');
    input.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowUp' }) as unknown as Event);
    expect(input.value).toBe('kubectl version');
  });

  it('for a viewer, is read-only and sends nothing', async () => {
    const channel = simChannel(createSimulation());
    const terminal = new Terminal(channel);
    terminal.setRole('viewer');
    expect((terminal.element.querySelector('[data-control="terminal-input"]') as HTMLInputElement).disabled).toBe(true);
    expect(await terminal.run('kubectl version')).toBeNull();
    expect(channel.sent).toHaveLength(0);
  });
});

describe('lesson mode', () => {
  it('walks the seed lesson with next and previous, and runs a step’s shell lines from the bastion', async () => {
    const sim = createSimulation(scenarios['seed-week1'], { seed: 1 });
    const channel = simChannel(sim);
    const terminal = new Terminal(channel);
    terminal.setRole('control');
    const lessonPanel = new LessonPanel(channel, terminal);
    lessonPanel.setRole('control');
    const lesson = scenarios['seed-week1']!.lesson!;
    lessonPanel.setLesson(lesson);
    expect(lessonPanel.element.getAttribute('data-state')).toBe(`step 1 of ${lesson.steps.length}`);
    const withShell = lesson.steps.findIndex((s) => s.shell?.length);
    expect(withShell).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < withShell; i++)
      (lessonPanel.element.querySelector('[data-control="lesson-next"]') as HTMLElement).click();
    expect(lessonPanel.element.textContent).toContain(lesson.steps[withShell]!.title);
    await lessonPanel.runStep();
    const execs = channel.sent.filter((m) => m.type === 'exec');
    expect(execs.map((m) => (m as { line: string }).line)).toEqual(lesson.steps[withShell]!.shell);
    expect(execs.every((m) => (m as { from: string }).from === (lesson.steps[withShell]!.from ?? 'bastion'))).toBe(
      true,
    );
    (lessonPanel.element.querySelector('[data-control="lesson-previous"]') as HTMLElement).click();
    expect(lessonPanel.element.getAttribute('data-state')).toBe(
      `step ${Math.max(1, withShell)} of ${lesson.steps.length}`,
    );
  });

  it('reads the waits lessons use', () => {
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('1h30m')).toBe(5_400_000);
    expect(durationMs('2d')).toBe(172_800_000);
    expect(durationMs('soon')).toBeUndefined();
  });
});

describe('keyboard shortcuts', () => {
  it('space plays or pauses and . steps, but not while typing in a field', () => {
    const togglePlay = vi.fn();
    const step = vi.fn();
    installShortcuts(document, { togglePlay, step });
    const press = (key: string, target: EventTarget = document.body) =>
      target.dispatchEvent(new window.KeyboardEvent('keydown', { key, bubbles: true }) as unknown as Event);
    press(' ');
    press('.');
    expect(togglePlay).toHaveBeenCalledTimes(1);
    expect(step).toHaveBeenCalledTimes(1);
    const input = document.createElement('input');
    document.body.append(input);
    press(' ', input);
    press('.', input);
    expect(togglePlay).toHaveBeenCalledTimes(1);
    expect(step).toHaveBeenCalledTimes(1);
  });
});
