import type { SimContext } from '../engine/domain';
import type { NodegroupRecord } from '../nodegroups/types';
import { kubeletSkew, maxKubeletSkew } from './calendar';
import type { NodeSkew } from './types';

/** Each node's kubelet against the API server, by the Kubernetes version skew policy. */
export function nodeSkews(apiServerVersion: string, groups: readonly NodegroupRecord[]): NodeSkew[] {
  const out: NodeSkew[] = [];
  for (const group of groups) {
    for (const node of group.nodes) {
      if (node.state === 'terminated') continue;
      const { minorsBehind, status } = kubeletSkew(apiServerVersion, node.kubeletVersion);
      out.push({
        nodegroup: group.name,
        node: node.name,
        kubeletVersion: node.kubeletVersion,
        minorsBehind,
        status,
        flagged: status === 'beyond-policy' || status === 'newer-than-api-server',
      });
    }
  }
  return out;
}

/** Tells the log when a node's skew status changes: a warning when it becomes worrying, a note when it clears. */
export class SkewWatch {
  /** Last skew status announced per node, so events mark changes only. */
  private readonly announced = new Map<string, string>();

  constructor(private readonly emit: SimContext['emit']) {}

  /** What it has announced, as plain JSON (node, status), for a save. */
  save(): [string, string][] {
    return [...this.announced];
  }

  restore(saved: readonly (readonly [string, string])[]): void {
    this.announced.clear();
    for (const [node, status] of saved) this.announced.set(node, status);
  }

  check(apiServerVersion: string, skews: readonly NodeSkew[]): void {
    const max = maxKubeletSkew(apiServerVersion);
    for (const skew of skews) {
      const previous = this.announced.get(skew.node) ?? 'same';
      if (previous === skew.status) continue;
      this.announced.set(skew.node, skew.status);
      const source = `node/${skew.node}`;
      if (skew.status === 'beyond-policy' || skew.status === 'newer-than-api-server') {
        this.emit(
          'versions.skew-violation',
          source,
          skew.status === 'beyond-policy'
            ? `kubelet ${skew.kubeletVersion} on ${skew.node} is ${skew.minorsBehind} minor versions behind the API server ${apiServerVersion}: beyond the skew policy (at most ${max}); upgrade its node group`
            : `kubelet ${skew.kubeletVersion} on ${skew.node} is newer than the API server ${apiServerVersion}: not allowed by the skew policy`,
          { ...skew, apiServerVersion, maxMinorsBehind: max },
        );
      } else if (skew.status === 'at-limit') {
        this.emit(
          'versions.skew-warning',
          source,
          `kubelet ${skew.kubeletVersion} on ${skew.node} is ${skew.minorsBehind} minor versions behind the API server ${apiServerVersion}: the most the skew policy allows; the next control-plane upgrade breaks it`,
          { ...skew, apiServerVersion, maxMinorsBehind: max },
        );
      } else if (previous === 'beyond-policy' || previous === 'newer-than-api-server' || previous === 'at-limit') {
        this.emit(
          'versions.skew-resolved',
          source,
          `kubelet ${skew.kubeletVersion} on ${skew.node} is within the skew policy again`,
          { ...skew, apiServerVersion },
        );
      }
    }
  }
}
