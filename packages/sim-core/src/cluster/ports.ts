import type { VpcConfig } from './types';

/**
 * What the cluster asks of the VPC it is created in. Declared here, below the network, and
 * implemented by the network domain (simulation.ts wires it), so the cluster needs no import of it.
 */
export interface ClusterNetworkPort {
  subnet(id: string): { readonly id: string; readonly az: string } | undefined;
  /** EKS's part of CreateCluster in the VPC: the cluster security group and the EKS-owned ENIs. */
  provisionClusterNetworking(
    clusterName: string,
    requestedSubnetIds?: readonly string[],
  ): Pick<VpcConfig, 'vpcId' | 'subnetIds' | 'securityGroupIds' | 'clusterSecurityGroupId'>;
}

/** Whether EKS offers a Kubernetes version for a new cluster that day. Implemented by the versions domain. */
export interface ClusterVersionsPort {
  /** EKS's refusal text, or undefined when it would accept. */
  createVersionRefusal(version: string, atMs: number): string | undefined;
  /** The platform version EKS gives a new cluster of `version` on that day (`eks.7`). */
  platformVersionOn(version: string, atMs: number): string;
}

/**
 * EKS's rule on endpoint settings (at least one access on, acceptable publicAccessCidrs), the
 * same for CreateCluster and UpdateClusterConfig. Implemented by the endpoint domain.
 */
export interface ClusterEndpointRulesPort {
  endpointAccessRefusal(settings: {
    readonly endpointPublicAccess: boolean;
    readonly endpointPrivateAccess: boolean;
    readonly publicAccessCidrs: readonly string[];
  }): string | undefined;
}

export interface ClusterPorts {
  readonly network: ClusterNetworkPort;
  readonly versions: ClusterVersionsPort;
  readonly endpoint: ClusterEndpointRulesPort;
}
