/**
 * Request paths to the API server, one per client, drawn through the hop the endpoint model
 * says they take (an NLB node for the public endpoint, an EKS-owned ENI for the private one:
 * https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html) and coloured by the
 * model's verdict. A refused path is dashed and marked ✕ near the hop that refused, placed
 * where it covers nothing (place-labels.ts), with the model's reason and fix written out in the
 * strip the layout reserves for them and, in full, in the details panel.
 */
import type { HopKind } from '@eks-sim/sim-core';
import { curveCatmullRom, line } from 'd3';
import { type DrawOptions, group, type Layer } from './draw-common';
import { type ArchitectureLayout, type Box, centre, fonts, lineHeight } from './layout';
import { colours, health } from './palette';
import { alongPath, around, beside, Placer } from './place-labels';
import { bound, estimateWidth, wrapToWidth } from './text-fit';
import type { ArchitectureView, HostView, PathView } from './view';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface PathDatum extends Omit<PathView, 'via'> {
  readonly points: readonly Point[];
  /** Where the ✕ goes (clear of every box and label), and the words beside it when they fit. */
  readonly mark: Box | null;
  readonly label: { readonly box: Box; readonly text: string } | null;
  readonly via: 'nlb' | 'eni' | 'direct';
}

/** The ✕ glyph's box at fonts.refusalMark, bold. */
const MARK_W = 26;
const MARK_H = 28;

function findClient(view: ArchitectureView, client: string): HostView | undefined {
  return [...view.hosts, ...view.nodes].find((h) => h.name === client);
}

/**
 * Which front door the path goes through: the side the model's DNS answer sent it to (an
 * EKS-owned ENI for the private side, an NLB node for the public one). Without a cluster there
 * is no answer and no front door to draw; the NLB side is as good as any.
 */
function entryKind(path: PathView): 'nlb' | 'eni' {
  return path.via === 'private' ? 'eni' : 'nlb';
}

/** Where along the drawn path each kind of hop sits: near the client, at the front door, or at the API server. */
const STAGE_OF_KIND: Readonly<Record<HopKind, 0 | 1 | 2>> = { client: 0, nlb: 1, eni: 1, 'api-server': 2, node: 2 };

/** The stage of the hop that refused, by the kind the model gives it. */
function refusalStage(path: PathView): 0 | 1 | 2 {
  const refusing = path.hops.find((h) => h.hop === path.refusedAt);
  return refusing ? STAGE_OF_KIND[refusing.kind] : 1;
}

function nearest(boxes: Box[], to: Point): Box | undefined {
  let best: Box | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const box of boxes) {
    const c = centre(box);
    const distance = Math.hypot(c.x - to.x, c.y - to.y);
    if (distance < bestDistance) {
      best = box;
      bestDistance = distance;
    }
  }
  return best;
}

function pathData(view: ArchitectureView, layout: ArchitectureLayout): PathDatum[] {
  const result: PathDatum[] = [];
  const placer = new Placer(
    layout.obstacles,
    [layout.internet, layout.region],
    [layout.managedVpc, layout.customerVpc, ...layout.azColumns.values(), ...layout.subnets.values()],
  );
  for (const path of view.paths) {
    const client = findClient(view, path.client);
    const clientBox = client ? layout.hosts.get(client.id) : undefined;
    if (!clientBox) continue;
    const start = centre(clientBox);
    const via = entryKind(path);
    const entries =
      via === 'eni'
        ? view.enis.flatMap((e) => layout.hosts.get(e.id) ?? [])
        : view.nlbs.filter((n) => n.inDns !== false).flatMap((n) => layout.nlbs.get(n.id) ?? []);
    const entryBox = nearest(entries, start);
    const servers = view.apiServers.filter((a) => health(a.state) === 'ok' || health(a.state) === 'degraded');
    const target = entryBox
      ? nearest(
          servers.flatMap((a) => layout.apiServers.get(a.id) ?? []),
          centre(entryBox),
        )
      : nearest(
          servers.flatMap((a) => layout.apiServers.get(a.id) ?? []),
          start,
        );
    const points: Point[] = [start];
    if (entryBox) points.push(centre(entryBox));
    // The API servers sit above their NLB node: arrive at the box's lower edge.
    if (target) points.push({ x: centre(target).x, y: target.y + target.h });
    if (points.length === 1)
      points.push({ x: layout.managedVpc.x + layout.managedVpc.w / 2, y: layout.managedVpc.y + layout.managedVpc.h });
    let mark: Box | null = null;
    let label: PathDatum['label'] = null;
    if (!path.reachable) {
      const stage = Math.min(refusalStage(path), points.length - 1);
      // On the path, as near the refusing hop as it can be without covering anything; else
      // the nearest free spot around the hop.
      const hop = stage === 0 ? points[0]! : points[stage]!;
      mark =
        placer.take(alongPath(points, Math.max(1, stage), MARK_W, MARK_H)) ??
        placer.take(around(hop, MARK_W, MARK_H, 220)) ??
        null;
      if (mark) {
        const h = lineHeight(fonts.annotation);
        for (const text of [`${path.client} ✕ ${path.refusedAt ?? '?'}`, path.client]) {
          const w = estimateWidth(text, fonts.annotation, true) + 2;
          const box = placer.take(beside(mark, w, h));
          if (box) {
            label = { box, text };
            break;
          }
        }
      }
    }
    result.push({ ...path, points, mark, label, via: entryBox ? via : 'direct' });
  }
  return result;
}

const curve = line<Point>()
  .x((p) => p.x)
  .y((p) => p.y)
  .curve(curveCatmullRom.alpha(0.5));

function describe(d: PathDatum): string {
  if (d.reachable) return `${d.client} → API server: gets through${d.mode ? ` (${d.mode} endpoint)` : ''}`;
  const lines = [`${d.client} → API server: refused at ${d.refusedAt ?? '?'}`];
  if (d.reason) lines.push(d.reason);
  if (d.fix) lines.push(`Fix: ${d.fix}`);
  for (const hop of d.hops) lines.push(`${hop.ok ? '✓' : '✕'} ${hop.hop}: ${hop.detail}`);
  return lines.join('\n');
}

export function drawPaths(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const data = pathData(view, layout);
  const paths = group(parent, 'paths')
    .selectAll<SVGGElement, PathDatum>('g.path')
    .data(data, (d) => d.client)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'path');
      g.append('path').attr('class', 'line').attr('fill', 'none');
      g.append('circle').attr('class', 'packet').attr('r', 5);
      g.append('g').attr('class', 'refusal');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'path')
    .attr('data-id', (d) => d.client)
    .attr('data-state', (d) => (d.reachable ? 'reachable' : 'refused'))
    .attr('data-via', (d) => d.via)
    .attr('data-refused-at', (d) => d.refusedAt ?? '')
    .attr('data-reason', (d) => (d.reachable ? '' : (d.reason ?? '')))
    .attr('data-fix', (d) => d.fix ?? '');
  paths
    .select('path.line')
    .attr('d', (d) => curve(d.points as Point[]))
    .attr('stroke', (d) => (d.reachable ? colours.reachable : colours.refused))
    .attr('stroke-width', (d) => (d.reachable ? 3 : 4))
    .attr('stroke-dasharray', (d) => (d.reachable ? null : '10 7'))
    .attr('stroke-opacity', 0.85);
  // A packet travelling along a path that gets through; none on a refused one.
  paths.each(function (d) {
    const circle = this.querySelector('circle.packet') as SVGCircleElement;
    circle.setAttribute('fill', colours.reachable);
    circle.setAttribute('display', d.reachable && options.packets ? '' : 'none');
    let motion = circle.querySelector('animateMotion');
    if (!motion) {
      motion = document.createElementNS('http://www.w3.org/2000/svg', 'animateMotion');
      motion.setAttribute('dur', '2.4s');
      motion.setAttribute('repeatCount', 'indefinite');
      circle.appendChild(motion);
    }
    // Same route: leave it be, so the packet keeps moving instead of restarting every update.
    const route = curve(d.points as Point[]) ?? '';
    if (motion.getAttribute('path') !== route) motion.setAttribute('path', route);
  });
  paths.each(function (d) {
    const refusal = (this.querySelector('g.refusal') as SVGGElement | null)!;
    while (refusal.firstChild) refusal.removeChild(refusal.firstChild);
    if (!d.mark) return;
    const ns = 'http://www.w3.org/2000/svg';
    const mark = document.createElementNS(ns, 'text');
    mark.setAttribute('class', 'refusal-mark');
    mark.setAttribute('data-kind', 'refusal');
    mark.setAttribute('data-id', `${d.client}:${d.refusedAt ?? ''}`);
    mark.setAttribute('data-state', 'refused');
    mark.setAttribute('x', String(d.mark.x + d.mark.w / 2));
    mark.setAttribute('y', String(d.mark.y + d.mark.h - 6));
    mark.setAttribute('text-anchor', 'middle');
    mark.setAttribute('font-size', String(fonts.refusalMark));
    mark.textContent = '✕';
    refusal.append(mark);
    if (!d.label) return;
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('class', 'refusal-label');
    label.setAttribute('x', String(d.label.box.x + 1));
    label.setAttribute('y', String(d.label.box.y + fonts.annotation));
    label.setAttribute('font-size', String(fonts.annotation));
    bound(label, d.label.text, d.label.box.w);
    refusal.append(label);
  });
  paths.select('title').text(describe);
  drawKubeletPaths(parent, view, layout);
  drawRefusalList(parent, data, layout);
}

interface KubeletDatum {
  readonly path: PathView;
  readonly node: string;
  readonly from: Point;
  readonly to: Point;
}

/**
 * Control plane → kubelet (exec, logs, webhooks): from the EKS-owned ENI the model names to
 * the node, whatever the endpoint mode, dotted so it reads apart from requests.
 */
function drawKubeletPaths(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout) {
  const data: KubeletDatum[] = [];
  for (const path of view.kubeletPaths) {
    const nodeName = path.node;
    const node = view.nodes.find((n) => n.name === nodeName);
    const nodeBox = node ? layout.hosts.get(node.id) : undefined;
    if (!nodeBox) continue;
    const eniId = path.hops.find((h) => h.kind === 'eni' && h.resourceId !== null)?.resourceId;
    const named = view.enis.find((e) => e.id === eniId);
    const eniBox = named
      ? layout.hosts.get(named.id)
      : nearest(
          view.enis.flatMap((e) => layout.hosts.get(e.id) ?? []),
          centre(nodeBox),
        );
    if (!eniBox) continue;
    const from = centre(eniBox);
    const to = centre(nodeBox);
    data.push({
      path,
      node: nodeName,
      from: { x: from.x, y: eniBox.y + eniBox.h },
      to: { x: to.x, y: nodeBox.y + nodeBox.h },
    });
  }
  const lines = group(parent, 'kubelet-paths')
    .selectAll<SVGPathElement, KubeletDatum>('path')
    .data(data, (d) => d.node)
    .join((enter) => {
      const p = enter.append('path').attr('fill', 'none');
      p.append('title');
      return p;
    })
    .attr('data-kind', 'kubelet-path')
    .attr('data-id', (d) => d.node)
    .attr('data-state', (d) => (d.path.reachable ? 'reachable' : 'refused'))
    .attr('data-reason', (d) => (d.path.reachable ? '' : (d.path.reason ?? '')))
    // A shallow arc under the two boxes, so it does not cross the request paths above them.
    .attr(
      'd',
      (d) =>
        `M${d.from.x},${d.from.y} Q${(d.from.x + d.to.x) / 2},${Math.max(d.from.y, d.to.y) + 26} ${d.to.x},${d.to.y}`,
    )
    .attr('stroke', (d) => (d.path.reachable ? colours.leader : colours.refused))
    .attr('stroke-width', 3)
    .attr('stroke-linecap', 'round')
    .attr('stroke-dasharray', '1 6');
  lines
    .select('title')
    .text((d) =>
      d.path.reachable
        ? `control plane → kubelet on ${d.node}: gets through the EKS-owned ENI`
        : `control plane → kubelet on ${d.node}: refused at ${d.path.refusedAt}: ${d.path.reason ?? ''}`,
    );
}

/**
 * The model's reason and fix for each refused path, under the security-group list: readable
 * from the back of the room without hovering. What does not fit ends in "…"; clicking it opens
 * the details panel with every hop, the fix and its command.
 */
function drawRefusalList(parent: Layer, data: readonly PathDatum[], layout: ArchitectureLayout) {
  const refused = data.filter((d) => !d.reachable);
  const box = layout.refusalList;
  const layer = group(parent, 'refusals');
  const size = fonts.small;
  const step = lineHeight(size);
  const width = box.w - 8;
  let y = box.y + size + 2;
  const entries = refused.map((d) => {
    const lines = [
      ...wrapToWidth(`✕ ${d.client}: ${d.reason ?? `refused at ${d.refusedAt}`}`, width, size, 3, true),
      ...(d.fix ? wrapToWidth(`fix: ${d.fix}`, width, size, 2) : []),
    ];
    const entry = { d, lines, y };
    y += lines.length * step + 8;
    return entry;
  });
  const items = layer
    .selectAll<SVGTextElement, (typeof entries)[number]>('text.refusal-reason')
    .data(
      entries.filter((e) => e.y + (e.lines.length - 1) * step + 4 <= box.y + box.h),
      (e) => e.d.client,
    )
    .join('text')
    .attr('class', 'refusal-reason')
    .attr('data-kind', 'refusal-reason')
    .attr('data-id', (e) => e.d.client)
    .attr('data-state', (e) => e.d.refusedAt ?? '')
    .attr('font-size', size);
  items.each(function (e) {
    while (this.firstChild) this.removeChild(this.firstChild);
    e.lines.forEach((line, i) => {
      const tspan = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
      tspan.setAttribute('x', String(box.x + 4));
      tspan.setAttribute('y', String(e.y + i * step));
      if (line.startsWith('fix:')) tspan.setAttribute('class', 'fix');
      bound(tspan, line, width);
      this.appendChild(tspan);
    });
    const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
    title.textContent = `${describe(e.d)}\n(click for the details panel)`;
    this.appendChild(title);
  });
}
