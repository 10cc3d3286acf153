/**
 * etcd members (at least three, spread over the AZs): role and Raft term as the model reports
 * them, the leader crowned. Writes need a majority (https://etcd.io/docs/v3.5/faq/), so a
 * line counts the members up against the quorum.
 */
import { animated, boundedText, type DrawOptions, group, type Layer } from './draw-common';
import { type ArchitectureLayout, type Box, fonts } from './layout';
import { colours, health, healthColour } from './palette';
import type { ArchitectureView, EtcdView } from './view';

interface EtcdDatum extends EtcdView {
  readonly box: Box;
}

export function drawEtcd(parent: Layer, view: ArchitectureView, layout: ArchitectureLayout, options: DrawOptions) {
  const data: EtcdDatum[] = view.etcd.flatMap((member) => {
    const box = layout.etcd.get(member.id);
    return box ? [{ ...member, box }] : [];
  });
  const members = group(parent, 'etcd-members')
    .selectAll<SVGGElement, EtcdDatum>('g.etcd')
    .data(data, (d) => d.id)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'etcd');
      g.append('path').attr('class', 'body');
      g.append('path').attr('class', 'hatch').attr('fill', 'url(#hatch-failed)');
      g.append('text').attr('class', 'name').attr('text-anchor', 'middle');
      g.append('text').attr('class', 'role').attr('text-anchor', 'middle');
      g.append('title');
      return g;
    })
    .attr('data-kind', 'etcd')
    .attr('data-id', (d) => d.id)
    .attr('data-az', (d) => d.az)
    .attr('data-state', (d) => d.state)
    .attr('data-role', (d) => d.role ?? '')
    .attr('data-term', (d) => (d.term === null ? '' : String(d.term)))
    .attr('data-leader', (d) => String(d.isLeader));
  // A database cylinder: a rectangle with an elliptic top and bottom.
  const cylinder = (d: EtcdDatum) => {
    const { x, y, w, h } = d.box;
    const ry = 7;
    return `M${x},${y + ry} a${w / 2},${ry} 0 0,0 ${w},0 a${w / 2},${ry} 0 0,0 ${-w},0 v${h - 2 * ry} a${w / 2},${ry} 0 0,0 ${w},0 v${-(h - 2 * ry)}`;
  };
  const failed = (d: EtcdDatum) => health(d.state) === 'failed';
  animated(members.select('path.body'), options)
    .attr('d', cylinder)
    .attr('fill', (d) => (failed(d) ? '#d0d0d0' : d.isLeader ? '#f7e3ef' : '#ffffff'))
    .attr('stroke', (d) => (d.isLeader ? colours.leader : healthColour(d.state)))
    .attr('stroke-width', (d) => (d.isLeader ? 4 : 3));
  members
    .select('path.hatch')
    .attr('d', cylinder)
    .attr('display', (d) => (failed(d) ? null : 'none'));
  const cx = (d: EtcdDatum) => d.box.x + d.box.w / 2;
  // The crown goes inside the cylinder, on the name line: beside it, it would collide with a neighbour.
  boundedText(
    members
      .select<SVGTextElement>('text.name')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + 27),
    fonts.boxTitle,
    (d) => (d.isLeader ? '♛ etcd' : 'etcd'),
    (d) => d.box.w - 12,
  );
  boundedText(
    members
      .select<SVGTextElement>('text.role')
      .attr('x', cx)
      .attr('y', (d) => d.box.y + 43),
    fonts.boxText,
    (d) =>
      [d.role && d.role !== d.state ? d.role : d.state, d.term === null ? '' : `term ${d.term}`]
        .filter(Boolean)
        .join(' · '),
    (d) => d.box.w - 12,
  );
  members
    .select('title')
    .text(
      (d) =>
        `${d.id} in ${d.az}: ${d.state}${d.role ? ` (${d.role})` : ''}${d.term === null ? '' : `, term ${d.term}`}`,
    );
}

/** "2 of 3 up, quorum 2": the one line a class needs to know whether writes commit. */
export function quorumLine(view: ArchitectureView): string {
  const total = view.etcd.length;
  if (!total) return '';
  const up = view.etcd.filter((m) => health(m.state) !== 'failed').length;
  const quorum = Math.floor(total / 2) + 1;
  const leader = view.etcd.find((m) => m.isLeader);
  return `etcd ${up}/${total} up · quorum ${quorum} · ${leader ? `leader ${leader.id}${leader.term === null ? '' : ` (term ${leader.term})`}` : 'no leader'}`;
}
