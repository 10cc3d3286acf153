import type { Command } from '../engine/command-spec';
import type { LoadScenario } from '../load/types';
import type { NetworkScenario } from '../network/types';

/**
 * A scenario (DESIGN §5): where and when the run starts, the cluster (eksctl ClusterConfig
 * words where they exist), the customer network, the initial load, a timeline of commands,
 * and the lesson a teacher walks through. YAML or JSON; `extends` starts from a built-in.
 */
export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  /** Simulated start, ISO 8601 (`2024-03-10T09:00:00Z`). */
  readonly start: string;
  /** AWS region code, e.g. `ap-northeast-2`. */
  readonly region: string;
  /** Default seed when the caller gives none. */
  readonly seed?: number;
  /** How long `eks-sim run` simulates by default (`24h`, `90m`, …). */
  readonly duration?: string;
  readonly cluster: ScenarioCluster;
  readonly network?: NetworkScenario;
  readonly load?: LoadScenario;
  readonly timeline?: readonly TimedCommand[];
  readonly lesson?: Lesson;
}

export interface ScenarioCluster {
  /** `metadata.name` in a ClusterConfig. */
  readonly name: string;
  /** Kubernetes minor version, `1.28`. */
  readonly version: string;
  /** false: only the lab network exists at the start; the cluster is created from the shell. */
  readonly existsAtStart?: boolean;
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
  /** `upgradePolicy.supportType`; EXTENDED is the API and eksctl default (eks-facts §1). */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  readonly nodeGroups?: readonly ScenarioNodeGroup[];
}

export interface ScenarioNodeGroup {
  readonly name: string;
  readonly instanceType: string;
  readonly desiredCapacity: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  /** GiB of the root EBS volume (gp3). */
  readonly volumeSize?: number;
  /** Which of the lab's subnets the nodes go in (seed §4.2: public). */
  readonly subnets?: 'public' | 'private';
  readonly sshAccess?: boolean;
  readonly externalDnsAccess?: boolean;
  /** Kubelet version when it differs from the cluster's. */
  readonly version?: string;
}

/** A command at a time: `at` is an offset from the start (`1h30m`) or an ISO date. */
export interface TimedCommand {
  readonly at: string;
  readonly command: Command;
}

export interface Lesson {
  readonly title: string;
  readonly steps: readonly LessonStep[];
}

export interface LessonStep {
  readonly title: string;
  /** What to say to the class; may cite `seed §N.M`. */
  readonly text: string;
  /** Shell lines to run in this step (`sim.exec`). */
  readonly shell?: readonly string[];
  /** Vantage for `shell` lines (default bastion). */
  readonly from?: string;
  /** Commands to apply in this step. */
  readonly commands?: readonly Command[];
  /** Simulated time to let pass after the step (`15m`). */
  readonly wait?: string;
}
