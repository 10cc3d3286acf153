/**
 * The control plane's commands (load, fault, recover, partition): their fields and docs. The
 * handlers live on ControlPlaneDomain, which owns the state they change.
 */
import type { Command, CommandResult, CommandSpec } from '../engine/command-spec';
import { LOAD_PROFILES } from '../load/types';

export interface ControlPlaneCommandHandlers {
  handleLoadSet(c: Command): CommandResult;
  handleSpike(c: Command): CommandResult;
  faultApiServer(id: string): CommandResult;
  recoverApiServer(id: string): CommandResult;
  faultEtcd(id: string): CommandResult;
  recoverEtcd(id: string): CommandResult;
  faultNlb(az: unknown): CommandResult;
  recoverNlb(az: unknown): CommandResult;
  faultAz(az: unknown, impaired: boolean): CommandResult;
  recoverAz(az: unknown): CommandResult;
  partitionAz(az: unknown, cut: boolean): CommandResult;
}

export function controlPlaneCommandSpecs(azIds: readonly string[], h: ControlPlaneCommandHandlers): CommandSpec[] {
  const azField = { kind: 'string' as const, required: true, doc: `control-plane AZ id, e.g. ${azIds[0]}` };
  const idOf = (kind: string) => ({ kind: 'string' as const, required: true, doc: `${kind} id` });
  return [
    {
      type: 'load.set',
      doc: 'Set the API load: total rps (classes keep their proportions) and/or per class, and the profile.',
      fields: {
        rps: { kind: 'number', min: 0, max: 1_000_000, doc: 'total base requests/s now' },
        kubectlRps: { kind: 'number', min: 0, max: 1_000_000 },
        controllersRps: { kind: 'number', min: 0, max: 1_000_000 },
        kubeletRpsPerNode: { kind: 'number', min: 0, max: 1_000 },
        profile: { kind: 'string', oneOf: LOAD_PROFILES },
      },
      handle: (c) => h.handleLoadSet(c),
    },
    {
      type: 'load.spike',
      doc: 'Multiply the load by `factor` for `duration` (e.g. 10 for "20m").',
      fields: {
        factor: { kind: 'number', required: true, min: 1, max: 1000 },
        duration: { kind: 'string', doc: 'how long, e.g. "20m" (default 20m)' },
      },
      handle: (c) => h.handleSpike(c),
    },
    {
      type: 'fault.apiserver',
      doc: 'Fail one API server instance; the ASG replaces it after its health-check grace.',
      fields: { id: idOf('API server') },
      handle: (c) => h.faultApiServer(String(c.id)),
    },
    {
      type: 'recover.apiserver',
      doc: 'Restart a failed API server instance before the ASG replaces it.',
      fields: { id: idOf('API server') },
      handle: (c) => h.recoverApiServer(String(c.id)),
    },
    {
      type: 'fault.etcd',
      doc: 'Crash one etcd member; the others keep quorum if a majority is left.',
      fields: { id: idOf('etcd member') },
      handle: (c) => h.faultEtcd(String(c.id)),
    },
    {
      type: 'recover.etcd',
      doc: 'Restart a crashed etcd member: it rejoins and catches up.',
      fields: { id: idOf('etcd member') },
      handle: (c) => h.recoverEtcd(String(c.id)),
    },
    {
      type: 'fault.nlb',
      doc: "Fail the NLB node of one AZ: its address leaves the endpoint's DNS answer.",
      fields: { az: azField },
      handle: (c) => h.faultNlb(c.az),
    },
    {
      type: 'recover.nlb',
      doc: 'Recover the NLB node of one AZ: it returns to DNS once its health checks pass.',
      fields: { az: azField },
      handle: (c) => h.recoverNlb(c.az),
    },
    {
      type: 'fault.az',
      doc: 'Take a whole control-plane AZ down (or only `impaired`: half capacity, no new launches).',
      fields: { az: azField, impaired: { kind: 'boolean' } },
      handle: (c) => h.faultAz(c.az, c.impaired === true),
    },
    {
      type: 'recover.az',
      doc: 'Bring a control-plane AZ back up; the ASGs rebalance into it.',
      fields: { az: azField },
      handle: (c) => h.recoverAz(c.az),
    },
    {
      type: 'partition.az',
      doc: 'Cut one control-plane AZ off from the other two (its instances keep running).',
      fields: { az: azField },
      handle: (c) => h.partitionAz(c.az, true),
    },
    {
      type: 'heal.az',
      doc: 'Heal the partition of one control-plane AZ.',
      fields: { az: azField },
      handle: (c) => h.partitionAz(c.az, false),
    },
  ];
}
