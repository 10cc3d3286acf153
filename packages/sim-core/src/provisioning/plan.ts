/**
 * What `eksctl create cluster` is asked to build, after flags or a ClusterConfig file have been
 * read, defaulted and validated (see cluster-config.ts). The provisioning domain builds stacks
 * from this; the shell prints it back as ClusterConfig YAML for `--dry-run`.
 */
export interface SubnetRef {
  readonly id: string;
  readonly az?: string;
  readonly cidr?: string;
}

export interface NodeGroupPlan {
  readonly name: string;
  /** true: `managedNodeGroups` / `--managed` (default); false: `nodeGroups` / `--managed=false`. */
  readonly managed: boolean;
  readonly instanceType: string;
  readonly desiredCapacity: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly volumeSize: number;
  readonly volumeType: string;
  readonly privateNetworking: boolean;
  /** The subnets the nodes are launched in: those given to eksctl, never others. */
  readonly subnetIds: readonly string[];
  readonly ssh: { readonly allow: boolean; readonly publicKeyPath?: string };
  readonly externalDNS: boolean;
  readonly amiFamily: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Kubernetes minor version of the nodes (the cluster's unless told). */
  readonly version: string;
}

export interface ClusterPlan {
  readonly name: string;
  readonly region: string;
  readonly version: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
  readonly supportType: 'STANDARD' | 'EXTENDED';
  readonly withOIDC: boolean;
  readonly logTypes: readonly string[];
  /** `vpc.controlPlaneScalingConfig.tier`, when set (AWS EKS Best Practices (Control plane)). */
  readonly scalingTier?: string;
  readonly vpc: {
    /** `existing`: the given subnets (docs/lessons/seed-week1.md's `--vpc-public-subnets`); `new`: eksctl makes a VPC. */
    readonly mode: 'existing' | 'new';
    readonly id?: string;
    readonly cidr: string;
    readonly publicSubnets: readonly SubnetRef[];
    readonly privateSubnets: readonly SubnetRef[];
    readonly nat: 'Single' | 'HighlyAvailable' | 'Disable';
    readonly availabilityZones: readonly string[];
  };
  readonly nodeGroups: readonly NodeGroupPlan[];
}
