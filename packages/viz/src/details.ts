/**
 * The details panel: what the picture shortens, in full. Selecting a path (its line, its ✕ or
 * its reason in the strip) shows every hop with the model's words, the fix as a sentence and as
 * the command, with a button that applies it when this page holds the control token. Selecting
 * a component shows its state as the snapshot has it. Nothing is derived: it is the model's text.
 */
import type { Command } from '@eks-sim/sim-core';
import type { StreamState } from './connection';
import type { ControlChannel } from './controls';
import { h } from './dom';
import { architectureView, type PathView, type SnapshotParts } from './view';

export interface DetailsSelection {
  /** The picture's `data-kind`: `path`, `refusal`, `refusal-reason`, `kubelet-path`, or a component kind. */
  readonly kind: string;
  readonly id: string;
}

const PATH_KINDS = new Set(['path', 'refusal', 'refusal-reason']);

/** A drawn component as the snapshot has it: its state (when it has one) and every field. */
export interface ComponentRecord {
  readonly state: string | null;
  readonly fields: object;
}

/** The snapshot's own record of a drawn component, by the picture's `data-kind` and `data-id`. */
export function componentRecord(snapshot: SnapshotParts, selection: DetailsSelection): ComponentRecord | null {
  const { kind, id } = selection;
  const controlPlane = snapshot?.controlPlane;
  const network = snapshot?.network;
  const withState = (record: { readonly state: string } | undefined) =>
    record ? { state: record.state, fields: record } : null;
  const stateless = (record: object | undefined) => (record ? { state: null, fields: record } : null);
  switch (kind) {
    case 'apiserver':
      return withState(controlPlane?.apiServers.find((a) => a.id === id));
    case 'etcd':
      return withState(controlPlane?.etcd.find((e) => e.id === id));
    case 'nlb':
      return withState(controlPlane?.nlbs.find((n) => n.id === id));
    case 'az': {
      const az = controlPlane?.azs.find((a) => a.id === id);
      return az ? { state: az.health, fields: az } : null;
    }
    case 'subnet':
      return stateless(network?.subnets.find((s) => s.id === id));
    case 'security-group':
      return stateless(network?.securityGroups.find((g) => g.id === id));
    case 'eni':
      return stateless(network?.enis.find((e) => e.id === id));
    case 'node':
      return withState((snapshot?.nodegroups ?? []).flatMap((g) => g.nodes).find((n) => n.instanceId === id));
    default:
      // The bastion, the laptop and connected networks' hosts: drawn with their own kind, found by name.
      return stateless(network?.hosts.find((h) => h.name === id));
  }
}

/** The path a selection points at: a request path by client, or a control plane → kubelet path by node. */
export function selectedPath(snapshot: SnapshotParts, selection: DetailsSelection): PathView | null {
  const view = architectureView(snapshot);
  if (PATH_KINDS.has(selection.kind)) {
    const client = selection.kind === 'refusal' ? selection.id.split(':')[0] : selection.id;
    return view.paths.find((p) => p.client === client) ?? null;
  }
  if (selection.kind === 'kubelet-path') {
    return view.kubeletPaths.find((p) => p.node === selection.id) ?? null;
  }
  return null;
}

/** A nested object among a record's fields: shown as JSON rather than inline. */
function isNested(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function value(text: unknown): string {
  if (typeof text === 'string') return text;
  if (typeof text === 'number' || typeof text === 'boolean') return String(text);
  if (Array.isArray(text) && text.every((t) => typeof t !== 'object' || t === null)) return text.join(', ');
  return JSON.stringify(text);
}

export class DetailsPanel {
  readonly element: HTMLElement;
  private selection: DetailsSelection | null = null;
  private state: StreamState | null = null;
  private canApply = false;
  private readonly body: HTMLElement;
  /** The answer to the last "apply the fix", kept across redraws until the selection changes. */
  private applied: { readonly ok: boolean; readonly text: string } | null = null;

  constructor(private readonly channel: ControlChannel) {
    this.body = h('div', { class: 'details-body' });
    this.element = h(
      'aside',
      { class: 'details', 'data-kind': 'details', 'data-state': 'closed', 'aria-label': 'details', hidden: true },
      h(
        'button',
        {
          class: 'details-close',
          'data-control': 'details-close',
          title: 'close (Esc)',
          onclick: () => this.select(null),
        },
        '✕',
      ),
      this.body,
    );
  }

  get isOpen(): boolean {
    return this.selection !== null;
  }

  select(selection: DetailsSelection | null): void {
    this.selection = selection;
    this.applied = null;
    this.render();
  }

  update(state: StreamState): void {
    this.state = state;
    if (this.selection) this.render();
  }

  setRole(role: 'control' | 'viewer'): void {
    this.canApply = role === 'control';
    this.render();
  }

  private render(): void {
    const selection = this.selection;
    this.element.hidden = !selection;
    this.element.setAttribute('data-state', selection ? `${selection.kind}:${selection.id}` : 'closed');
    this.body.replaceChildren();
    if (!selection) return;
    const path = selectedPath(this.state, selection);
    if (path) this.renderPath(path, selection);
    else this.renderComponent(selection);
  }

  private renderPath(path: PathView, selection: DetailsSelection): void {
    const verdict = path.reachable ? 'gets through' : `refused at ${path.refusedAt ?? '?'}`;
    const target = selection.kind === 'kubelet-path' ? 'kubelet' : 'API server';
    this.body.append(
      h('h2', {}, `${path.client} → ${target}: ${verdict}`),
      h(
        'p',
        { class: 'details-meta' },
        [path.mode ? `endpoint ${path.mode}` : '', path.via ? `via the ${path.via} side` : '']
          .filter(Boolean)
          .join(' · '),
      ),
      h('h3', {}, 'Hop by hop'),
      h(
        'ol',
        { class: 'hops', 'data-kind': 'details-hops' },
        ...path.hops.map((hop) =>
          h(
            'li',
            { 'data-state': hop.ok ? 'ok' : 'refused', class: hop.hop === path.refusedAt ? 'refusing' : '' },
            h('span', { class: 'hop-verdict' }, hop.ok ? '✓' : '✕'),
            ' ',
            h('strong', {}, hop.hop),
            `: ${hop.detail}`,
          ),
        ),
      ),
    );
    if (path.reachable) return;
    if (path.fix) this.body.append(h('h3', {}, 'The fix'), h('p', { 'data-kind': 'details-fix' }, path.fix));
    const command = path.fixCommand;
    if (command) {
      const apply = h(
        'button',
        {
          'data-control': 'apply-fix',
          disabled: !this.canApply,
          title: this.canApply
            ? 'send this command to the simulation'
            : 'viewing: applying a fix needs the control token',
          onclick: () => void this.apply(command),
        },
        'Apply the fix',
      );
      this.body.append(
        h('p', {}, 'As a command:'),
        h('pre', { class: 'details-command', 'data-kind': 'details-command' }, JSON.stringify(command, null, 1)),
        apply,
      );
    }
    if (this.applied) {
      this.body.append(
        h('p', { class: this.applied.ok ? 'applied' : 'error', 'data-kind': 'details-applied' }, this.applied.text),
      );
    }
  }

  private renderComponent(selection: DetailsSelection): void {
    const found = componentRecord(this.state, selection);
    this.body.append(h('h2', {}, `${selection.kind} ${selection.id}`));
    if (!found) {
      this.body.append(h('p', {}, 'Not in the current snapshot (gone, or not drawn from the model).'));
      return;
    }
    if (found.state !== null)
      this.body.append(h('p', { class: 'details-state', 'data-kind': 'details-state' }, `state: ${found.state}`));
    const rows = Object.entries(found.fields).filter(
      ([key, v]) => key !== 'id' && v !== null && v !== undefined && !isNested(v),
    );
    this.body.append(
      h(
        'dl',
        { class: 'details-fields' },
        ...rows.flatMap(([key, v]) => [h('dt', {}, key), h('dd', {}, value(v))]),
        ...Object.entries(found.fields)
          .filter(([, v]) => isNested(v))
          .flatMap(([key, v]) => [h('dt', {}, key), h('dd', {}, h('pre', {}, JSON.stringify(v, null, 1)))]),
      ),
    );
  }

  private async apply(command: Command): Promise<void> {
    const result = await this.channel.request({ type: 'command', command });
    this.applied = result.ok
      ? { ok: true, text: `applied: ${result.output ?? 'ok'}` }
      : { ok: false, text: `${result.error ?? 'refused'}: ${result.message ?? ''}` };
    this.render();
  }
}
