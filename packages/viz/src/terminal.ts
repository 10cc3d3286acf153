/**
 * The terminal panel: one line at a time to the simulated shell of the session
 * (docs/shell.md: eksctl, aws, kubectl, dig, curl), from a chosen vantage host (the bastion by
 * default, the laptop, a node), with the real tools' output and a history on ↑/↓.
 */

import type { Snapshot } from '@eks-sim/sim-core';
import type { ControlChannel } from './controls';
import { h, setOptions } from './dom';

const MAX_OUTPUT_LINES = 2000;

export class Terminal {
  readonly element: HTMLElement;
  private readonly output: HTMLPreElement;
  private readonly input: HTMLInputElement;
  private readonly vantage: HTMLSelectElement;
  private readonly history: string[] = [];
  private historyIndex = 0;
  private busy = false;
  private canRun = false;

  constructor(private readonly channel: ControlChannel) {
    this.output = h('pre', { class: 'terminal-output', 'data-kind': 'terminal-output', 'aria-live': 'polite' });
    this.input = h('input', {
      type: 'text',
      class: 'terminal-input',
      'data-control': 'terminal-input',
      'aria-label': 'shell command',
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'kubectl version',
      onkeydown: (event: Event) => this.key(event as KeyboardEvent),
    });
    this.vantage = h(
      'select',
      { 'data-control': 'vantage', 'aria-label': 'run from' },
      h('option', { value: 'bastion' }, 'bastion'),
      h('option', { value: 'laptop' }, 'laptop'),
    );
    this.element = h(
      'section',
      { class: 'terminal', 'data-kind': 'terminal', 'data-id': 'terminal', 'data-state': 'idle' },
      h('h2', {}, 'Terminal ', h('label', {}, 'from ', this.vantage)),
      this.output,
      h('div', { class: 'prompt-line' }, h('span', { class: 'prompt' }, '$'), this.input),
    );
    this.output.addEventListener('click', () => this.input.focus());
  }

  /** Viewers watch the terminal but cannot type: a shell line changes the session (its clock). */
  setRole(role: 'control' | 'viewer'): void {
    this.canRun = role === 'control';
    this.input.disabled = !this.canRun;
    this.vantage.disabled = !this.canRun;
    this.input.placeholder = this.canRun ? 'kubectl version' : 'viewing: the terminal needs the control token';
  }

  /** Vantage hosts from the snapshot: the bastion, the laptop, and every node. */
  updateHosts(state: Pick<Partial<Snapshot>, 'network' | 'nodegroups'>): void {
    const options = [
      ...(state.network?.hosts ?? []).map((host) => ({ value: host.name, label: host.label })),
      ...(state.nodegroups ?? []).flatMap((group) =>
        group.nodes.map((node) => ({ value: node.name, label: `node ${node.name}` })),
      ),
    ];
    if (!options.some((o) => o.value === 'bastion')) options.unshift({ value: 'bastion', label: 'bastion' });
    if (!options.some((o) => o.value === 'laptop')) options.push({ value: 'laptop', label: 'laptop' });
    setOptions(this.vantage, options);
  }

  private key(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      const line = this.input.value;
      this.input.value = '';
      void this.run(line);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      this.historyIndex = Math.max(0, this.historyIndex - 1);
      this.input.value = this.history[this.historyIndex] ?? '';
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      this.historyIndex = Math.min(this.history.length, this.historyIndex + 1);
      this.input.value = this.history[this.historyIndex] ?? '';
    }
  }

  private print(text: string, kind: 'command' | 'stdout' | 'stderr' | 'note'): void {
    if (!text) return;
    const span = h('span', { class: kind }, text.endsWith('\n') ? text : `${text}\n`);
    this.output.append(span);
    while (this.output.childNodes.length > MAX_OUTPUT_LINES) this.output.firstChild?.remove();
    this.output.scrollTop = this.output.scrollHeight;
  }

  /** Runs one line; resolves with the exit code (null when it could not run). */
  async run(line: string, from?: string): Promise<number | null> {
    const trimmed = line.trim();
    if (!trimmed) return null;
    if (from) this.vantage.value = from;
    const vantage = from ?? this.vantage.value;
    this.print(`${vantage}$ ${trimmed}`, 'command');
    if (this.history.at(-1) !== trimmed) this.history.push(trimmed);
    this.historyIndex = this.history.length;
    if (trimmed === 'clear') {
      this.output.replaceChildren();
      return 0;
    }
    if (!this.canRun) {
      this.print('viewing only: open the page with the control token to run commands', 'note');
      return null;
    }
    this.busy = true;
    this.element.setAttribute('data-state', 'running');
    const result = await this.channel.request({ type: 'exec', line: trimmed, from: vantage });
    this.busy = false;
    this.element.setAttribute('data-state', 'idle');
    if (!result.ok) {
      this.print(`${result.message ?? result.error ?? 'the server refused the line'}`, 'stderr');
      return null;
    }
    const data = (result.data ?? {}) as { exitCode?: number; stdout?: string; stderr?: string };
    if (data.stdout !== undefined || data.stderr !== undefined) {
      this.print(data.stdout ?? '', 'stdout');
      this.print(data.stderr ?? '', 'stderr');
    } else {
      this.print(result.output ?? '', 'stdout');
    }
    const exitCode = typeof data.exitCode === 'number' ? data.exitCode : 0;
    if (exitCode !== 0) this.print(`(exit status ${exitCode})`, 'note');
    return exitCode;
  }

  get isBusy(): boolean {
    return this.busy;
  }

  focus(): void {
    this.input.focus();
  }
}
