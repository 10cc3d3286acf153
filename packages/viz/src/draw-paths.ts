/**
 * Request paths to the API server (seed §8.2), one per client, drawn through the hop the
 * endpoint model says they take (an NLB node for the public endpoint, an EKS-owned ENI for
 * the private one) and coloured by the model's verdict. A refused path is dashed and marked
 * ✕ at the hop that refused, with the model's reason beside it and the fix on hover
 * (seed §8.3: the bastion locked out by a private endpoint).
 */
import { curveCatmullRom, line } from 'd3';
import { type DrawOptions, group, type Layer, truncate } from './draw-common';
import { type ArchitectureLayout, type Box, centre, VIEW_WIDTH } from './layout';
import { colours, health } from './palette';
import type { ArchitectureView, HostView, PathView } from './view';

interface Point {
  readonly x: number;
  readonly y: number;
}

interface PathDatum extends PathView {
  readonly points: readonly Point[];
  readonly marker: Point | null;
  readonly via: 'nlb' | 'eni' | 'direct';
}

function findClient(view: ArchitectureView, client: string): HostView | undefined {
  const all = [...view.hosts, ...view.nodes];
  return (
    all.find((h) => h.name === client || h.id === client) ??
    all.find((h) => h.kind === client) ??
    (client === 'myeks-host' ? all.find((h) => h.kind === 'bastion') : undefined)
  );
}

/** Which front door the path goes through, as its hops say; the mode only when they are silent. */
function entryKind(path: PathView, client: HostView | undefined): 'nlb' | 'eni' {
  if (path.via === 'private') return 'eni';
  if (path.via === 'public') return 'nlb';
  const words = path.hops
    .map((h) => `${h.hop} ${h.detail}`)
    .join(' ')
    .toLowerCase();
  if (/\beni\b|private address|private ip/.test(words)) return 'eni';
  if (/\bnlb\b|public address|public ip/.test(words)) return 'nlb';
  const mode = path.mode ?? '';
  if (mode === 'private') return 'eni';
  if (mode === 'public-private' && client && client.kind !== 'laptop') return 'eni';
  return 'nlb';
}

/** Where along the path the refusing hop sits: near the client, at the front door, or at the API server. */
function hopStage(hop: string): 0 | 1 | 2 {
  const h = hop.toLowerCase();
  if (/api|server|etcd|quorum|control/.test(h)) return 2;
  if (/cidr|ingress|nlb|eni|443|target|endpoint/.test(h)) return 1;
  return 0;
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
  for (const path of view.paths) {
    const client = findClient(view, path.client);
    const clientBox = client ? layout.hosts.get(client.id) : undefined;
    if (!clientBox) continue;
    const start = centre(clientBox);
    const via = entryKind(path, client);
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
    let marker: Point | null = null;
    if (!path.reachable) {
      const stage = path.refusedAt ? hopStage(path.refusedAt) : 1;
      if (stage === 0) {
        const next = points[1]!;
        marker = { x: start.x + (next.x - start.x) * 0.3, y: start.y + (next.y - start.y) * 0.3 };
      } else {
        marker = points[Math.min(stage, points.length - 1)]!;
      }
    }
    result.push({ ...path, points, marker, via: entryBox ? via : 'direct' });
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
    if (!d.marker) return;
    const ns = 'http://www.w3.org/2000/svg';
    const mark = document.createElementNS(ns, 'text');
    mark.setAttribute('class', 'refusal-mark');
    mark.setAttribute('data-kind', 'refusal');
    mark.setAttribute('data-id', `${d.client}:${d.refusedAt ?? ''}`);
    mark.setAttribute('data-state', 'refused');
    mark.setAttribute('x', String(d.marker.x));
    mark.setAttribute('y', String(d.marker.y + 9));
    mark.setAttribute('text-anchor', 'middle');
    mark.setAttribute('fill', colours.refused);
    mark.textContent = '✕';
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('class', 'refusal-label');
    // Right of the mark, or left of it near the right edge, so the reason stays on screen.
    const leftward = d.marker.x > VIEW_WIDTH * 0.6;
    label.setAttribute('x', String(d.marker.x + (leftward ? -16 : 16)));
    label.setAttribute('text-anchor', leftward ? 'end' : 'start');
    label.setAttribute('y', String(d.marker.y - 10));
    label.setAttribute('fill', colours.refused);
    label.textContent = `${d.client} refused at ${d.refusedAt ?? '?'}`;
    refusal.append(mark, label);
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
 * the node, whatever the endpoint mode (eks-facts §4), dotted so it reads apart from requests.
 */
function drawKubeletPaths(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout) {
  const data: KubeletDatum[] = [];
  for (const path of view.kubeletPaths) {
    const nodeName = path.client.includes('→') ? path.client.slice(path.client.indexOf('→') + 1) : path.client;
    const node = view.nodes.find((n) => n.name === nodeName || n.id === nodeName);
    const nodeBox = node ? layout.hosts.get(node.id) : undefined;
    if (!nodeBox) continue;
    const eniId = path.hops.map((h) => /\beni-[0-9a-f]+\b/.exec(h.detail)?.[0]).find(Boolean);
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

/** Splits `text` into lines of at most `width` characters, at spaces where it can. */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && (current + ' ' + word).length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    lines.length = maxLines;
    lines[maxLines - 1] = truncate(`${lines[maxLines - 1]} …`, width);
  }
  return lines;
}

/**
 * The model's reason and fix for each refused path, in full, under the security-group list:
 * readable from the back of the room without hovering.
 */
function drawRefusalList(parent: Layer, data: readonly PathDatum[], layout: ArchitectureLayout) {
  const refused = data.filter((d) => !d.reachable);
  const box = layout.refusalList;
  const layer = group(parent, 'refusals');
  const lineHeight = 15;
  const width = Math.max(20, Math.floor(box.w / 7.6));
  let y = box.y + 14;
  const entries = refused.map((d) => {
    const lines = [
      ...wrap(`✕ ${d.client}: ${d.reason ?? `refused at ${d.refusedAt}`}`, width, 2),
      ...(d.fix ? wrap(`fix: ${d.fix}`, width, 2) : []),
    ];
    const entry = { d, lines, y };
    y += lines.length * lineHeight + 6;
    return entry;
  });
  const items = layer
    .selectAll<SVGTextElement, (typeof entries)[number]>('text.refusal-reason')
    .data(
      entries.filter((e) => e.y + e.lines.length * lineHeight <= box.y + box.h + 4),
      (e) => e.d.client,
    )
    .join('text')
    .attr('class', 'refusal-reason')
    .attr('data-kind', 'refusal-reason')
    .attr('data-id', (e) => e.d.client)
    .attr('data-state', (e) => e.d.refusedAt ?? '')
    .attr('fill', colours.refused);
  items.each(function (e) {
    while (this.firstChild) this.removeChild(this.firstChild);
    e.lines.forEach((line, i) => {
      const tspan = document.createElementNS('http://www.w3.org/2000/svg', 'tspan');
      tspan.setAttribute('x', String(box.x + 4));
      tspan.setAttribute('y', String(e.y + i * lineHeight));
      if (line.startsWith('fix:')) tspan.setAttribute('class', 'fix');
      tspan.textContent = line;
      this.appendChild(tspan);
    });
  });
}
