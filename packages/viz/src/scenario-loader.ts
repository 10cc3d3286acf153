/**
 * "Load scenario…": a teacher's own scenario file, by file picker or dropped anywhere on the
 * page, starts a new session (POST /api/sessions with `scenarioText`). When the server refuses
 * it, every issue is listed as `eks-sim scenario validate` lists it: file:line:column, the
 * field, what was wrong and what would be accepted (docs/scenarios.md).
 */

import { MAX_SCENARIO_TEXT_CHARS, type ScenarioIssue } from '@eks-sim/sim-core';

export type LoadResult =
  | { readonly ok: true; readonly id: string; readonly token: string }
  | { readonly ok: false; readonly message: string; readonly issues: readonly ScenarioIssue[] };

/** POST /api/sessions with the file's text; a refusal comes back as a value, with its issues. */
export async function submitScenarioText(text: string): Promise<LoadResult> {
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scenarioText: text }),
  });
  const body = (await response.json().catch(() => ({}))) as {
    id?: string;
    token?: string;
    message?: string;
    error?: string;
    issues?: ScenarioIssue[];
  };
  if (response.ok && body.id && body.token) return { ok: true, id: body.id, token: body.token };
  return { ok: false, message: body.message ?? body.error ?? `HTTP ${response.status}`, issues: body.issues ?? [] };
}

/** `my-class.yaml:5:22: timeline[0].command.type: unknown command type … (accepted: …)`. */
export function issueLine(issue: ScenarioIssue, fileName: string): string {
  // The server names pasted text `scenarioText`; the teacher knows it by the file's name.
  const file = issue.file === 'scenarioText' ? fileName : issue.file;
  const place = issue.line > 0 ? `${file}:${issue.line}:${issue.column}` : file;
  return `${place}: ${issue.field ? `${issue.field}: ` : ''}${issue.problem} (accepted: ${issue.accepted})`;
}

export interface ScenarioLoaderOptions {
  readonly submit: (text: string) => Promise<LoadResult>;
  /** Opens the new session (the page navigates to it). */
  readonly open: (session: { id: string; token: string }) => void;
}

export class ScenarioLoader {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly status: HTMLElement;
  private readonly issues: HTMLOListElement;

  constructor(private readonly options: ScenarioLoaderOptions) {
    this.element = document.createElement('section');
    this.element.className = 'scenario-loader';
    this.element.setAttribute('data-kind', 'scenario-loader');
    const title = document.createElement('h2');
    title.textContent = 'Your own scenario';
    this.input = document.createElement('input');
    this.input.type = 'file';
    this.input.accept = '.yaml,.yml,.json,application/json,text/yaml';
    this.input.hidden = true;
    this.input.addEventListener('change', () => {
      const file = this.input.files?.[0];
      if (file) void this.loadFile(file);
      this.input.value = '';
    });
    const pick = document.createElement('button');
    pick.type = 'button';
    pick.setAttribute('data-action', 'load-scenario');
    pick.textContent = 'Load scenario…';
    pick.title = 'a YAML or JSON scenario file (docs/scenarios.md); or drop one on the page';
    pick.addEventListener('click', () => this.input.click());
    this.status = document.createElement('p');
    this.status.className = 'scenario-loader-status';
    this.issues = document.createElement('ol');
    this.issues.className = 'scenario-loader-issues';
    this.issues.setAttribute('data-kind', 'scenario-issues');
    this.element.append(title, pick, this.input, this.status, this.issues);
  }

  /** Lets a file dropped anywhere on `target` be loaded. */
  acceptDrops(target: HTMLElement): void {
    target.addEventListener('dragover', (event) => {
      if (event.dataTransfer?.types.includes('Files')) event.preventDefault();
    });
    target.addEventListener('drop', (event) => {
      const file = event.dataTransfer?.files[0];
      if (!file) return;
      event.preventDefault();
      void this.loadFile(file);
    });
  }

  async loadFile(file: Blob & { readonly name: string }): Promise<void> {
    if (file.size > MAX_SCENARIO_TEXT_CHARS * 4) {
      this.show(`${file.name} is too large for a scenario (${file.size} bytes)`, []);
      return;
    }
    await this.loadText(file.name, await file.text());
  }

  async loadText(fileName: string, text: string): Promise<void> {
    if (text.length > MAX_SCENARIO_TEXT_CHARS) {
      this.show(`${fileName} is too large: ${text.length} characters (at most ${MAX_SCENARIO_TEXT_CHARS})`, []);
      return;
    }
    this.show(`Checking ${fileName}…`, []);
    let result: LoadResult;
    try {
      result = await this.options.submit(text);
    } catch (error) {
      this.show(`${fileName} could not be sent: ${(error as Error).message}`, []);
      return;
    }
    if (result.ok) {
      this.show(`${fileName} is valid: opening its session…`, []);
      this.options.open({ id: result.id, token: result.token });
      return;
    }
    const count = result.issues.length;
    const head = count
      ? `${fileName}: ${count === 1 ? '1 error' : `${count} errors`}; nothing was started`
      : `${fileName}: ${result.message}`;
    this.show(
      head,
      result.issues.map((issue) => issueLine(issue, fileName)),
    );
  }

  private show(status: string, lines: readonly string[]): void {
    this.status.textContent = status;
    this.element.setAttribute('data-state', lines.length ? 'invalid' : 'idle');
    this.issues.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement('li');
        item.textContent = line;
        return item;
      }),
    );
  }
}
