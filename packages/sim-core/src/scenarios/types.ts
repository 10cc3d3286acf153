import type { Command } from '../engine/command-spec';
import type { LoadScenario } from '../load/types';
import type { NetworkScenario } from '../network/types';

/**
 * A scenario (docs/scenarios.md): where and when the run starts, the cluster (eksctl
 * ClusterConfig words where they exist), the customer network, the initial load, a timeline of
 * commands, and the lesson a teacher walks through.
 */
export interface Scenario {
  /**
   * Short name, used on the command line (`--scenario NAME`).
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  readonly name: string;
  /** One line for the page's header (default: the name). */
  readonly title: string;
  /** A paragraph: what the class will see. */
  readonly summary: string;
  /**
   * Simulated start, ISO 8601 in UTC (`2024-03-10T09:00:00Z`).
   * @pattern ^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$
   */
  readonly start: string;
  /**
   * AWS region code, e.g. `ap-northeast-2`.
   * @pattern ^[a-z]{2}(-[a-z]+)+-\d$
   */
  readonly region: string;
  /**
   * Default seed when the caller gives none.
   * @asType integer
   * @minimum 0
   * @maximum 4294967295
   */
  readonly seed?: number;
  /**
   * How long `eks-sim run` simulates by default (`24h`, `90m`, `7d`).
   * @pattern ^(\d+(\.\d+)?(ms|s|m|h|d|w))+$
   */
  readonly duration?: string;
  readonly cluster: ScenarioCluster;
  readonly network?: NetworkScenario;
  readonly load?: LoadScenario;
  readonly timeline?: readonly TimedCommand[];
  readonly lesson?: Lesson;
}

export interface ScenarioCluster {
  /**
   * `metadata.name` in a ClusterConfig.
   * @pattern ^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$
   */
  readonly name: string;
  /**
   * Kubernetes minor version, `1.28`: one EKS offers on the start date.
   * @pattern ^1\.\d+$
   */
  readonly version: string;
  /** false: only the lab network exists at the start; the cluster is created from the shell. */
  readonly existsAtStart?: boolean;
  readonly endpointPublicAccess?: boolean;
  readonly endpointPrivateAccess?: boolean;
  readonly publicAccessCidrs?: readonly string[];
  /** `upgradePolicy.supportType`; EXTENDED is the API and eksctl default (docs/versions-and-cost.md). */
  readonly supportType?: 'STANDARD' | 'EXTENDED';
  readonly nodeGroups?: readonly ScenarioNodeGroup[];
}

export interface ScenarioNodeGroup {
  /** @pattern ^[0-9A-Za-z][A-Za-z0-9\-_]{0,62}$ */
  readonly name: string;
  /** An EC2 instance type, e.g. `t3.medium`. */
  readonly instanceType: string;
  /**
   * @asType integer
   * @minimum 0
   */
  readonly desiredCapacity: number;
  /**
   * @asType integer
   * @minimum 0
   */
  readonly minSize?: number;
  /**
   * @asType integer
   * @minimum 1
   */
  readonly maxSize?: number;
  /**
   * GiB of the root EBS volume (gp3).
   * @asType integer
   * @minimum 1
   * @maximum 16384
   */
  readonly volumeSize?: number;
  /** Which of the lab's subnets the nodes go in (the lab's are public). */
  readonly subnets?: 'public' | 'private';
  readonly sshAccess?: boolean;
  readonly externalDnsAccess?: boolean;
  /**
   * Kubelet version when it differs from the cluster's.
   * @pattern ^1\.\d+$
   */
  readonly version?: string;
}

/** A command at a time. */
export interface TimedCommand {
  /** An offset from the start (`1h30m`) or an ISO date at or after the start (`2024-03-10T10:00:00Z`). */
  readonly at: string;
  /** A command of the simulation: `type` names it, the other fields are its own (docs/scenarios.md). */
  readonly command: Command;
}

export interface Lesson {
  readonly title: string;
  readonly steps: readonly LessonStep[];
}

export interface LessonStep {
  readonly title: string;
  /** What to say to the class. */
  readonly text: string;
  /** Shell lines to run in this step (`sim.exec`). */
  readonly shell?: readonly string[];
  /** Vantage for `shell` lines (default bastion). */
  readonly from?: string;
  /** Commands to apply in this step. */
  readonly commands?: readonly Command[];
  /**
   * Simulated time to let pass after the step (`15m`).
   * @pattern ^(\d+(\.\d+)?(ms|s|m|h|d|w))+$
   */
  readonly wait?: string;
}

/**
 * A scenario as written in a file: every field of a scenario, plus `extends`, the scenario it
 * starts from (a built-in's name or a file's path). Without `extends`, name, start, region and
 * cluster (its name and version) are required; with it, each field overrides the base's.
 */
export interface ScenarioFile extends Partial<Omit<Scenario, 'cluster'>> {
  /** A built-in scenario's name (`seed-week1`) or the path of another scenario file, relative to this one. */
  readonly extends?: string;
  readonly cluster?: Partial<ScenarioCluster>;
}
