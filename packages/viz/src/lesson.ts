/**
 * Lesson mode (docs/scenarios.md): a scenario's steps for the class, one at a time, with
 * previous/next, and a button that runs the step: its shell lines in the terminal, its
 * commands against the session, then the simulated wait it asks for.
 */
import type { Lesson, LessonStep } from '@eks-sim/sim-core';
import type { ControlChannel } from './controls';
import { h } from './dom';
import type { Terminal } from './terminal';

/** `15m`, `2h`, `1d`, `30s`, `1h30m` → ms; undefined when unreadable. */
export function durationMs(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) return undefined;
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]!]!, 0);
}

export class LessonPanel {
  readonly element: HTMLElement;
  private lesson: Lesson | null = null;
  private index = 0;
  private canRun = false;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly position: HTMLElement;
  private readonly runButton: HTMLButtonElement;
  private readonly previousButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;

  constructor(
    private readonly channel: ControlChannel,
    private readonly terminal: Terminal,
  ) {
    this.title = h('h2', {}, 'Lesson');
    this.body = h('div', { class: 'lesson-body', 'data-kind': 'lesson-step' });
    this.position = h('span', { class: 'lesson-position' });
    this.previousButton = h('button', { 'data-control': 'lesson-previous', onclick: () => this.go(-1) }, '◀ Previous');
    this.nextButton = h('button', { 'data-control': 'lesson-next', onclick: () => this.go(1) }, 'Next ▶');
    this.runButton = h('button', { 'data-control': 'lesson-run', onclick: () => void this.runStep() }, 'Run this step');
    this.element = h(
      'section',
      { class: 'lesson', 'data-kind': 'lesson', 'data-id': 'lesson', 'data-state': 'empty' },
      this.title,
      this.body,
      h('div', { class: 'lesson-nav' }, this.previousButton, this.position, this.nextButton, this.runButton),
    );
    this.render();
  }

  setLesson(lesson: Lesson | null): void {
    if (lesson === this.lesson) return;
    this.lesson = lesson;
    this.index = 0;
    this.render();
  }

  setRole(role: 'control' | 'viewer'): void {
    this.canRun = role === 'control';
    this.render();
  }

  private get step(): LessonStep | undefined {
    return this.lesson?.steps[this.index];
  }

  go(delta: number): void {
    if (!this.lesson) return;
    this.index = Math.max(0, Math.min(this.lesson.steps.length - 1, this.index + delta));
    this.render();
  }

  private render(): void {
    const steps = this.lesson?.steps ?? [];
    this.element.setAttribute('data-state', steps.length ? `step ${this.index + 1} of ${steps.length}` : 'empty');
    this.title.textContent = this.lesson ? `Lesson: ${this.lesson.title}` : 'Lesson';
    const step = this.step;
    this.body.replaceChildren();
    if (!step) {
      this.body.append(h('p', {}, this.lesson ? 'This lesson has no steps yet.' : 'This scenario has no lesson.'));
    } else {
      this.body.setAttribute('data-id', String(this.index + 1));
      this.body.append(h('h3', {}, `${this.index + 1}. ${step.title}`), h('p', {}, step.text));
      const lines = [
        ...(step.shell ?? []).map((line) => `${step.from ?? 'bastion'}$ ${line}`),
        ...(step.commands ?? []).map((c) => `command ${JSON.stringify(c)}`),
        ...(step.wait ? [`then let ${step.wait} pass`] : []),
      ];
      if (lines.length) this.body.append(h('pre', { class: 'lesson-lines' }, lines.join('\n')));
    }
    this.position.textContent = steps.length ? `${this.index + 1} / ${steps.length}` : '';
    this.previousButton.disabled = this.index <= 0;
    this.nextButton.disabled = this.index >= steps.length - 1;
    const runnable = !!step && !!(step.shell?.length || step.commands?.length || step.wait);
    this.runButton.disabled = !this.canRun || !runnable;
    this.runButton.title = this.canRun ? '' : 'viewing: running a step needs the control token';
  }

  async runStep(): Promise<void> {
    const step = this.step;
    if (!step || !this.canRun) return;
    this.runButton.disabled = true;
    for (const line of step.shell ?? []) await this.terminal.run(line, step.from ?? 'bastion');
    for (const command of step.commands ?? []) {
      const result = await this.channel.request({ type: 'command', command });
      if (!result.ok)
        this.body.append(h('p', { class: 'error' }, `${command.type}: ${result.message ?? result.error}`));
    }
    const wait = step.wait ? durationMs(step.wait) : undefined;
    if (wait) await this.channel.request({ type: 'clock', action: 'step', ms: wait });
    this.render();
  }
}
