/**
 * Where each drawn thing goes, in the architecture SVG's own units (a fixed viewBox that the
 * browser scales to the screen, so 1280×720 and 1920×1080 show the same picture). Pure:
 * view in, boxes out; the draw functions only read it.
 *
 * A grid, not a free-for-all: every box gets its own cell, every container reserves a row for
 * its label, and the annotations (the refused paths' reasons) have a strip of their own, so
 * nothing can be drawn over anything else whatever the counts (2-9 API servers per AZ, 3-5
 * etcd members, nodes in every subnet). What does not fit is shortened by rule
 * (text-fit.ts), never overlapped.
 */
import type { ArchitectureView, HostView } from './view';

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

// About 2:1, the shape the picture's panel has at both 1280×720 and 1920×1080.
export const VIEW_WIDTH = 1400;
export const VIEW_HEIGHT = 700;

/** Type sizes in viewBox units: the one place the picture's text sizes are set. */
export const fonts = {
  frameTitle: 18,
  frameSubtitle: 14,
  azLabel: 16,
  boxTitle: 14,
  boxText: 13,
  subnetLabel: 13,
  small: 12.5,
  legend: 13,
  refusalMark: 24,
  annotation: 14,
} as const;

/** Height of a row that holds one line of `size` text with its padding. */
export const lineHeight = (size: number) => Math.ceil(size * 1.35);

export interface ArchitectureLayout {
  readonly internet: Box;
  readonly region: Box;
  readonly managedVpc: Box;
  readonly customerVpc: Box;
  readonly azColumns: ReadonlyMap<string, Box>;
  readonly nlbs: ReadonlyMap<string, Box>;
  readonly apiServers: ReadonlyMap<string, Box>;
  /** API servers drawn with two lines (name, CPU) instead of four, when an AZ needs more than one row of them. */
  readonly compactApiServers: boolean;
  readonly etcd: ReadonlyMap<string, Box>;
  readonly customerColumns: ReadonlyMap<string, Box>;
  readonly subnets: ReadonlyMap<string, Box>;
  /** Bastion, laptop, nodes and EKS-owned ENIs, by id. */
  readonly hosts: ReadonlyMap<string, Box>;
  readonly securityGroupList: Box;
  /** Where the refused paths' reasons and fixes are written out. */
  readonly refusalList: Box;
  readonly legend: Box;
  /** The etcd quorum line, in a row of its own at the foot of the managed VPC. */
  readonly quorumLine: Box;
  /**
   * Rectangles that hold text or a component: a refusal mark or its label placed anywhere in
   * the picture must stay clear of all of them.
   */
  readonly obstacles: readonly Box[];
}

const FRAME_HEADER = 30;
const AZ_HEADER = 26;
const GAP = 8;
/** Security-group rings are drawn up to this far outside a host's box. */
const RING = 6;

const API_FULL_H = 74;
const API_COMPACT_H = 44;
const API_MIN_W = 112;
const API_MAX_W = 150;
const ETCD_H = 50;
const ETCD_MIN_W = 118;
const ETCD_MAX_W = 150;
const NLB_H = 44;
const HOST_W = 124;
const HOST_MIN_W = 104;
const HOST_H = 48;
const HOST_MIN_H = 34;
const HOST_GAP = 2 * RING + 4;
const SUBNET_HEADER = 22;
const SIDE_WIDTH = 330;

function columns(area: Box, keys: readonly string[], gap: number): Map<string, Box> {
  const result = new Map<string, Box>();
  const n = Math.max(1, keys.length);
  const w = (area.w - gap * (n + 1)) / n;
  keys.forEach((key, i) => {
    result.set(key, { x: area.x + gap + i * (w + gap), y: area.y, w, h: area.h });
  });
  return result;
}

/** How many boxes of at least `minW` fit side by side in `width`. */
function perRow(width: number, minW: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (minW + gap)));
}

/** `count` boxes of `h`, at most `maxW` wide, `across` to a row, rows centred in `area`'s width from its top. */
function grid(area: Box, count: number, across: number, maxW: number, h: number, gap: number): Box[] {
  const boxes: Box[] = [];
  const rows = Math.ceil(count / across);
  for (let r = 0; r < rows; r++) {
    const inRow = Math.min(across, count - r * across);
    const w = Math.min(maxW, (area.w - gap * (across - 1)) / across);
    const total = inRow * w + (inRow - 1) * gap;
    const x0 = area.x + (area.w - total) / 2;
    for (let i = 0; i < inRow; i++) boxes.push({ x: x0 + i * (w + gap), y: area.y + r * (h + gap), w, h });
  }
  return boxes;
}

export function layoutArchitecture(view: ArchitectureView): ArchitectureLayout {
  const internet: Box = { x: 8, y: 8, w: 172, h: VIEW_HEIGHT - 16 };
  const region: Box = { x: internet.x + internet.w + 10, y: 8, w: VIEW_WIDTH - internet.w - 26, h: VIEW_HEIGHT - 16 };
  const inset = 12;
  const innerX = region.x + inset;
  const innerW = region.w - 2 * inset;

  // The control plane: one column per AZ, rows sized for the AZ that holds the most.
  const azIds = view.azs.map((a) => a.id);
  const columnWidth = (innerW - GAP * (Math.max(1, azIds.length) + 1)) / Math.max(1, azIds.length);
  const columnInner = columnWidth - 16;
  const most = (list: readonly { az: string }[]) =>
    Math.max(0, ...azIds.map((az) => list.filter((m) => m.az === az).length));
  const apiAcross = perRow(columnInner, API_MIN_W, GAP);
  const apiRows = Math.max(1, Math.ceil(most(view.apiServers) / apiAcross));
  const compactApiServers = apiRows > 1;
  const apiH = compactApiServers ? API_COMPACT_H : API_FULL_H;
  const etcdAcross = perRow(columnInner, ETCD_MIN_W, GAP);
  const etcdRows = Math.max(1, Math.ceil(most(view.etcd) / etcdAcross));
  const columnHeight = AZ_HEADER + etcdRows * (ETCD_H + GAP) + apiRows * (apiH + GAP) + (NLB_H + GAP) + GAP;
  const quorumRow = lineHeight(fonts.boxTitle) + 4;
  const managedVpc: Box = {
    x: innerX,
    y: region.y + FRAME_HEADER + 2,
    w: innerW,
    h: FRAME_HEADER + columnHeight + quorumRow,
  };
  const azColumns = columns(
    { x: managedVpc.x, y: managedVpc.y + FRAME_HEADER, w: managedVpc.w, h: columnHeight },
    azIds,
    GAP,
  );
  const quorumLine: Box = {
    x: managedVpc.x + GAP,
    y: managedVpc.y + managedVpc.h - quorumRow,
    w: managedVpc.w - 2 * GAP,
    h: quorumRow,
  };

  const nlbs = new Map<string, Box>();
  const apiServers = new Map<string, Box>();
  const etcd = new Map<string, Box>();
  for (const [az, column] of azColumns) {
    // Top to bottom: etcd behind the API servers, the NLB node in front of them, facing the
    // clients below (the customer VPC) and to the left (the internet).
    const inner = { x: column.x + 8, w: column.w - 16 };
    let y = column.y + AZ_HEADER;
    const etcdHere = view.etcd.filter((e) => e.az === az);
    grid({ ...inner, y, h: 0 }, etcdHere.length, etcdAcross, ETCD_MAX_W, ETCD_H, GAP).forEach((box, i) => {
      etcd.set(etcdHere[i]!.id, box);
    });
    y += etcdRows * (ETCD_H + GAP);
    const apiHere = view.apiServers.filter((a) => a.az === az);
    grid({ ...inner, y, h: 0 }, apiHere.length, apiAcross, API_MAX_W, apiH, GAP).forEach((box, i) => {
      apiServers.set(apiHere[i]!.id, box);
    });
    y += apiRows * (apiH + GAP);
    const nlbHere = view.nlbs.filter((n) => n.az === az);
    grid({ ...inner, y, h: 0 }, nlbHere.length, Math.max(1, nlbHere.length), 230, NLB_H, GAP).forEach((box, i) => {
      nlbs.set(nlbHere[i]!.id, box);
    });
  }

  const customerTop = managedVpc.y + managedVpc.h + 10;
  const customerVpc: Box = {
    x: innerX,
    y: customerTop,
    w: innerW,
    h: region.y + region.h - inset + 6 - customerTop,
  };
  const sideX = customerVpc.x + customerVpc.w - SIDE_WIDTH;
  const body: Box = {
    x: customerVpc.x,
    y: customerVpc.y + FRAME_HEADER,
    w: sideX - customerVpc.x,
    h: customerVpc.h - FRAME_HEADER - GAP,
  };
  const sgRow = lineHeight(fonts.small) + 2;
  const sgListHeight = view.securityGroups.length
    ? lineHeight(fonts.small) + 6 + view.securityGroups.length * sgRow
    : 0;
  const securityGroupList: Box = {
    x: sideX,
    y: body.y,
    w: SIDE_WIDTH - GAP,
    h: Math.min(sgListHeight, body.h / 2),
  };
  const refusalList: Box = {
    x: sideX,
    y: securityGroupList.y + securityGroupList.h + GAP,
    w: SIDE_WIDTH - GAP,
    h: body.y + body.h - (securityGroupList.y + securityGroupList.h + GAP),
  };

  const customerAzs = view.customerAzs.length ? view.customerAzs : ['?'];
  const customerColumns = columns(body, customerAzs, GAP);
  const subnets = new Map<string, Box>();
  const hosts = new Map<string, Box>();
  const placed = new Set<string>();
  // The bastion next to the EKS-owned ENIs, so its path to them does not pass under a node.
  const members = [...view.hosts.filter((h) => h.kind !== 'laptop'), ...view.enis, ...view.nodes];
  const membersOf = (subnetId: string) => members.filter((m) => m.subnetId === subnetId);

  const placeHosts = (area: Box, list: readonly HostView[]) => {
    const inner = { x: area.x + RING + 4, w: area.w - 2 * (RING + 4), y: area.y, h: 0 };
    // Narrower boxes (their words abbreviated) rather than rows that spill out of the subnet.
    let across = perRow(inner.w, HOST_MIN_W, HOST_GAP);
    while (across < list.length && Math.ceil(list.length / across) * (HOST_MIN_H + HOST_GAP) - HOST_GAP > area.h)
      across++;
    const rows = Math.max(1, Math.ceil(list.length / across));
    // Shorter boxes rather than spilling out of the subnet when many nodes share it.
    const h = Math.max(HOST_MIN_H, Math.min(HOST_H, (area.h - (rows - 1) * HOST_GAP) / rows));
    grid(inner, list.length, across, HOST_W, h, HOST_GAP).forEach((box, i) => {
      hosts.set(list[i]!.id, box);
      placed.add(list[i]!.id);
    });
  };

  for (const [az, column] of customerColumns) {
    const here = view.subnets.filter((s) => s.az === az || (az === '?' && !customerAzs.includes(s.az)));
    const ordered = [...here.filter((s) => s.kind === 'public'), ...here.filter((s) => s.kind === 'private')];
    const across = perRow(column.w - 12 - 2 * (RING + 4), HOST_MIN_W, HOST_GAP);
    // An empty subnet is a line with its name; the others share the height by how many rows they hold.
    const rowsOf = (id: string) => Math.ceil(membersOf(id).length / across);
    const totalRows = ordered.reduce((sum, s) => sum + rowsOf(s.id), 0);
    const least = (id: string) => (rowsOf(id) ? SUBNET_HEADER + 2 * RING + 2 + HOST_MIN_H : SUBNET_HEADER);
    const fixed = ordered.reduce((sum, s) => sum + least(s.id), 0) + (ordered.length - 1) * 4;
    const spare = Math.max(0, column.h - fixed);
    let y = column.y;
    for (const s of ordered) {
      const rows = rowsOf(s.id);
      const grow = totalRows ? (spare * rows) / totalRows : 0;
      const h = least(s.id) + grow;
      const box = { x: column.x + 6, y, w: column.w - 12, h };
      subnets.set(s.id, box);
      if (rows)
        placeHosts({ ...box, y: box.y + SUBNET_HEADER + RING, h: h - SUBNET_HEADER - 2 * RING - 2 }, membersOf(s.id));
      y += h + 4;
    }
  }
  // Members whose subnet is not drawn (the network model not loaded yet): a row per AZ column.
  const unplaced = members.filter((m) => !placed.has(m.id));
  if (unplaced.length) {
    const byColumn = new Map<string, HostView[]>();
    for (const m of unplaced) {
      const key = m.az && customerColumns.has(m.az) ? m.az : [...customerColumns.keys()][0]!;
      byColumn.set(key, [...(byColumn.get(key) ?? []), m]);
    }
    for (const [key, list] of byColumn) {
      const column = customerColumns.get(key)!;
      placeHosts({ x: column.x + 6, y: column.y + column.h - 90, w: column.w - 12, h: 84 }, list);
    }
  }

  const legendRows = 9;
  const legend: Box = {
    x: internet.x + 8,
    y: internet.y + internet.h - legendRows * 24 - 8,
    w: internet.w - 16,
    h: legendRows * 24,
  };
  const laptop = view.hosts.find((h) => h.kind === 'laptop');
  if (laptop) hosts.set(laptop.id, { x: internet.x + 16, y: internet.y + 150, w: internet.w - 32, h: HOST_H + 4 });

  const labelRow = (frame: Box, height: number): Box => ({ x: frame.x, y: frame.y, w: frame.w, h: height });
  const expand = (box: Box, by: number): Box => ({
    x: box.x - by,
    y: box.y - by,
    w: box.w + 2 * by,
    h: box.h + 2 * by,
  });
  const obstacles: Box[] = [
    labelRow(internet, FRAME_HEADER),
    labelRow(region, FRAME_HEADER),
    labelRow(managedVpc, FRAME_HEADER),
    labelRow(customerVpc, FRAME_HEADER),
    ...[...azColumns.values()].map((c) => labelRow(c, AZ_HEADER)),
    ...[...subnets.values()].map((s) => labelRow(s, SUBNET_HEADER)),
    ...[...etcd.values(), ...apiServers.values(), ...nlbs.values()].map((b) => expand(b, 2)),
    ...[...hosts.values()].map((b) => expand(b, RING + 2)),
    quorumLine,
    securityGroupList,
    refusalList,
    legend,
  ];

  return {
    internet,
    region,
    managedVpc,
    customerVpc,
    azColumns,
    nlbs,
    apiServers,
    compactApiServers,
    etcd,
    customerColumns,
    subnets,
    hosts,
    securityGroupList,
    refusalList,
    legend,
    quorumLine,
    obstacles,
  };
}

export function centre(box: Box): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}

export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

export function inside(inner: Box, outer: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.w <= outer.x + outer.w &&
    inner.y + inner.h <= outer.y + outer.h
  );
}
