import type { Reachability } from './types';

/**
 * The simulator's one sentence on why a client cannot reach the API server: the mode, the hop
 * that refused and the smallest fix. A real client only times out; every surface (the shell's
 * tools after their timeout, the server's `/k8s` endpoint, the event log) adds this line.
 */
export function whyUnreachable(reach: Reachability): string {
  const at = reach.refusedAt ?? 'the path to the API server';
  const refused = reach.path.find((h) => !h.ok);
  const detail = refused ? `: ${refused.detail}` : '';
  const fix = reach.fix ? ` — fix: ${reach.fix}` : '';
  return `eks-sim: ${reach.client} cannot reach the API server in ${reach.mode} mode, refused at ${at}${detail}${fix}`;
}
