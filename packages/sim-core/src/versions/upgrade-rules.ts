/**
 * The rules EKS applies to UpdateClusterVersion's version, written once: the versions domain
 * refuses a live update with them, and the scenario validator refuses a timeline step with
 * them before anything runs.
 */
import { calendarRow, minorOf, nextMinor, supportPhase } from './calendar';

export interface VersionRefusal {
  readonly code: string;
  readonly message: string;
  /** What EKS would accept instead. */
  readonly accepted: string;
}

/**
 * Why EKS would refuse to move a control plane on `current` to `target` at `atMs`, or
 * undefined when the step is allowed. EKS upgrades one minor version at a time ("Update
 * existing cluster to new Kubernetes version", EKS User Guide), to a version in support.
 */
export function refuseVersionStep(current: string, target: string, atMs: number): VersionRefusal | undefined {
  if (minorOf(target) === undefined) {
    return {
      code: 'InvalidParameterException',
      message: `version must be a Kubernetes minor version such as 1.29 (got "${target}")`,
      accepted: `"${nextMinor(current)}"`,
    };
  }
  if (minorOf(target) !== (minorOf(current) ?? 0) + 1) {
    return {
      code: 'InvalidParameterException',
      message: `Unsupported Kubernetes minor version update from ${current} to ${target}`,
      accepted: `${nextMinor(current)}: EKS upgrades the control plane one minor version at a time`,
    };
  }
  const phase = calendarRow(target) ? supportPhase(target, atMs) : 'not-yet-released';
  if (phase !== 'standard' && phase !== 'extended') {
    return {
      code: 'InvalidParameterException',
      message: `unsupported Kubernetes version ${target}`,
      accepted: `a version in standard or extended support on ${new Date(atMs).toISOString().slice(0, 10)}`,
    };
  }
  return undefined;
}
