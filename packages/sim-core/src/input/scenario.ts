import type { Command } from './command';

/*
 * The shape of a scenario file: the model's input, below every domain so each can read its own
 * section (docs/scenarios.md). docs/scenario.schema.json is generated from `ScenarioFile`.
 */

/** How the base rps of the scenario's `load:` section varies over the day. */
export type LoadProfile = 'flat' | 'diurnal' | 'classroom' | 'spike';

export const LOAD_PROFILES: readonly LoadProfile[] = ['flat', 'diurnal', 'classroom', 'spike'];

export interface LoadScenario {
  /** How the base rps varies over the day (default `flat`). */
  readonly profile?: LoadProfile;
  /** kubectl users: requests per second in total (default 0.5). */
  readonly kubectlRps?: number;
  /** Controllers (kube-controller-manager, add-ons, operators): rps in total (default 20). */
  readonly controllersRps?: number;
  /** Per worker node: kubelet status, leases, watches (default 1.5). */
  readonly kubeletRpsPerNode?: number;
  /** Diurnal: UTC hour of the daily peak (default 6, i.e. 15:00 in Seoul) and the trough as a fraction of the peak. */
  readonly diurnal?: { readonly peakHourUtc?: number; readonly troughFactor?: number };
  /** Classroom: idle, then a class starts: busy by `factor` for `duration` after `startsAt` (offsets like `1h`). */
  readonly classroom?: {
    readonly startsAt?: string;
    readonly rampUp?: string;
    readonly duration?: string;
    readonly factor?: number;
  };
  /** Spike profile: `factor`× the base load for `duration`, starting `at` (offset from the start). */
  readonly spike?: { readonly at?: string; readonly factor?: number; readonly duration?: string };
  /** Simulated ms between two load ticks while anything changes (default 15000). */
  readonly tickMs?: number;
  /** Simulated ms between two load ticks while all is calm (flat load, nothing pending; default 6h). */
  readonly calmTickMs?: number;
}

/**
 * Scenario input for the customer network. Every field is optional: the default is the seed's
 * lab (docs/lessons/seed-week1.md): VPC 192.168.0.0/16 with DNS hostnames and support on, 2 AZs, 2 public and
 * 2 private subnets, an internet gateway, no NAT gateway, the bastion `<cluster>-host` in
 * PublicSubnet1.
 */
export interface NetworkScenario {
  /**
   * A /16 block, like the lab's `192.168.0.0/16`; subnets are its .1-.4 /24s.
   * @pattern ^\d{1,3}\.\d{1,3}\.0\.0/16$
   */
  readonly vpcCidr?: string;
  /** `public-and-private` (the lab) or `private-only` (no public subnet, no internet gateway). */
  readonly subnets?: 'public-and-private' | 'private-only';
  /** NAT gateway for the private subnets: none (the lab), one in PublicSubnet1, or one per AZ. */
  readonly natGateway?: 'none' | 'single' | 'per-az';
  /** Which subnets the cluster is given (and so where EKS puts its ENIs); default: where the first node group goes. */
  readonly clusterSubnets?: 'public' | 'private' | 'both';
  readonly enableDnsHostnames?: boolean;
  readonly enableDnsSupport?: boolean;
  /**
   * The laptop's public address (default 203.0.113.7, a documentation address).
   * @pattern ^\d{1,3}(\.\d{1,3}){3}$
   */
  readonly laptopPublicIp?: string;
  /**
   * Networks joined to the VPC (peering, VPN, Direct Connect, Transit Gateway; docs/endpoint-modes.md):
   * each gets a route in every route table and a vantage host (its name) at the block's .10.
   */
  readonly connectedNetworks?: readonly ConnectedNetworkInput[];
}

export type ConnectionKind = 'vpn' | 'peering' | 'direct-connect' | 'transit-gateway';

export interface ConnectedNetworkInput {
  /**
   * The vantage host's name too, e.g. `office`.
   * @pattern ^[a-z][a-z0-9-]*$
   */
  readonly name: string;
  /**
   * An IPv4 block from /8 to /28 outside the VPC, e.g. `10.20.0.0/16`.
   * @pattern ^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$
   */
  readonly cidr: string;
  readonly via: ConnectionKind;
}

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
