/**
 * Where each drawn thing goes, in the architecture SVG's own units (a fixed viewBox that the
 * browser scales to the screen, so 1280×720 and 1920×1080 show the same picture). Pure:
 * view in, boxes out; the draw functions only read it.
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

export interface ArchitectureLayout {
  readonly internet: Box;
  readonly region: Box;
  readonly managedVpc: Box;
  readonly customerVpc: Box;
  readonly azColumns: ReadonlyMap<string, Box>;
  readonly nlbs: ReadonlyMap<string, Box>;
  readonly apiServers: ReadonlyMap<string, Box>;
  readonly etcd: ReadonlyMap<string, Box>;
  readonly customerColumns: ReadonlyMap<string, Box>;
  readonly subnets: ReadonlyMap<string, Box>;
  /** Bastion, laptop, nodes and EKS-owned ENIs, by id. */
  readonly hosts: ReadonlyMap<string, Box>;
  readonly securityGroupList: Box;
  /** Where the refused paths' reasons and fixes are written out. */
  readonly refusalList: Box;
}

function columns(area: Box, keys: readonly string[], gap: number): Map<string, Box> {
  const result = new Map<string, Box>();
  const n = Math.max(1, keys.length);
  const w = (area.w - gap * (n + 1)) / n;
  keys.forEach((key, i) => {
    result.set(key, { x: area.x + gap + i * (w + gap), y: area.y, w, h: area.h });
  });
  return result;
}

/**
 * Lays `count` boxes of at most `maxW` wide in rows centred in `area`, wrapping onto more rows
 * (and shrinking the boxes' height) rather than squeezing them below `minW`.
 */
function row(area: Box, count: number, maxW: number, h: number, gap = 8, minW = 0): Box[] {
  if (count === 0) return [];
  const perRow = minW > 0 ? Math.max(1, Math.min(count, Math.floor((area.w - gap) / (minW + gap)))) : count;
  const rows = Math.ceil(count / perRow);
  const boxH = rows === 1 ? h : Math.min(h, (area.h - gap * (rows - 1)) / rows);
  const boxes: Box[] = [];
  for (let r = 0; r < rows; r++) {
    const inRow = Math.min(perRow, count - r * perRow);
    const w = Math.min(maxW, (area.w - gap * (inRow + 1)) / inRow);
    const total = inRow * w + (inRow - 1) * gap;
    const x0 = area.x + (area.w - total) / 2;
    const y = area.y + (area.h - (rows * boxH + (rows - 1) * gap)) / 2 + r * (boxH + gap);
    for (let i = 0; i < inRow; i++) boxes.push({ x: x0 + i * (w + gap), y, w, h: boxH });
  }
  return boxes;
}

export function layoutArchitecture(view: ArchitectureView): ArchitectureLayout {
  const internet: Box = { x: 8, y: 8, w: 150, h: VIEW_HEIGHT - 16 };
  const region: Box = { x: 170, y: 8, w: VIEW_WIDTH - 178, h: VIEW_HEIGHT - 16 };
  const managedVpc: Box = { x: region.x + 14, y: 40, w: region.w - 28, h: 296 };
  const customerVpc: Box = { x: region.x + 14, y: 350, w: region.w - 28, h: VIEW_HEIGHT - 8 - 350 - 6 };

  const azColumns = columns(
    { ...managedVpc, y: managedVpc.y + 30, h: managedVpc.h - 40 },
    view.azs.map((a) => a.id),
    12,
  );
  const nlbs = new Map<string, Box>();
  const apiServers = new Map<string, Box>();
  const etcd = new Map<string, Box>();
  for (const [az, column] of azColumns) {
    // Top to bottom: etcd behind the API servers, the NLB node in front of them, facing the
    // clients below (the customer VPC) and to the left (the internet).
    const inner = { x: column.x + 8, w: column.w - 16 };
    const etcdHere = view.etcd.filter((e) => e.az === az);
    row({ ...inner, y: column.y + 40, h: 62 }, etcdHere.length, 140, 58).forEach((box, i) => {
      etcd.set(etcdHere[i]!.id, box);
    });
    const apiHere = view.apiServers.filter((a) => a.az === az);
    row({ ...inner, y: column.y + 106, h: 84 }, apiHere.length, 120, 78).forEach((box, i) => {
      apiServers.set(apiHere[i]!.id, box);
    });
    const nlbHere = view.nlbs.filter((n) => n.az === az);
    row({ ...inner, y: column.y + 196, h: 50 }, nlbHere.length, 220, 44).forEach((box, i) => {
      nlbs.set(nlbHere[i]!.id, box);
    });
  }

  // The right-hand strip of the customer VPC lists the security groups and the refusals.
  const customerInner: Box = {
    x: customerVpc.x,
    y: customerVpc.y + 30,
    w: customerVpc.w - 300,
    h: customerVpc.h - 38,
  };
  const sideWidth = 300;
  const sgListHeight = view.securityGroups.length ? Math.min(140, 24 + view.securityGroups.length * 21) : 0;
  const securityGroupList: Box = {
    x: customerVpc.x + customerVpc.w - sideWidth,
    y: customerVpc.y + 30,
    w: sideWidth - 10,
    h: sgListHeight,
  };
  const refusalList: Box = {
    x: securityGroupList.x,
    y: securityGroupList.y + sgListHeight + 6,
    w: sideWidth - 10,
    h: customerVpc.h - 44 - sgListHeight,
  };
  const customerAzs = view.customerAzs.length ? view.customerAzs : ['?'];
  const customerColumns = columns(customerInner, customerAzs, 12);
  const subnets = new Map<string, Box>();
  const hosts = new Map<string, Box>();
  const placed = new Set<string>();
  const members = [...view.hosts.filter((h) => h.kind !== 'laptop'), ...view.nodes, ...view.enis];

  const place = (area: Box, list: HostView[]) => {
    row({ x: area.x + 4, w: area.w - 8, y: area.y + 24, h: area.h - 28 }, list.length, 120, 54, 12, 96).forEach(
      (box, i) => {
        hosts.set(list[i]!.id, box);
        placed.add(list[i]!.id);
      },
    );
  };

  for (const [az, column] of customerColumns) {
    const here = view.subnets.filter((s) => s.az === az || (az === '?' && !customerAzs.includes(s.az)));
    const publicOnes = here.filter((s) => s.kind === 'public');
    const privateOnes = here.filter((s) => s.kind === 'private');
    const half = (column.h - 8) / 2;
    const stack = (list: typeof here, y: number) => {
      const h = list.length ? (half - 4 * (list.length - 1)) / list.length : 0;
      list.forEach((s, i) => {
        const box = { x: column.x + 6, y: y + i * (h + 4), w: column.w - 12, h };
        subnets.set(s.id, box);
        place(
          box,
          members.filter((m) => m.subnetId === s.id),
        );
      });
    };
    stack(publicOnes, column.y);
    stack(privateOnes, column.y + half + 8);
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
      place({ x: column.x + 6, y: column.y + column.h - 90, w: column.w - 12, h: 86 }, list);
    }
  }
  const laptop = view.hosts.find((h) => h.kind === 'laptop');
  if (laptop) hosts.set(laptop.id, { x: internet.x + 15, y: 200, w: internet.w - 30, h: 60 });

  return {
    internet,
    region,
    managedVpc,
    customerVpc,
    azColumns,
    nlbs,
    apiServers,
    etcd,
    customerColumns,
    subnets,
    hosts,
    securityGroupList,
    refusalList,
  };
}

export function centre(box: Box): { x: number; y: number } {
  return { x: box.x + box.w / 2, y: box.y + box.h / 2 };
}
