import { parseIpv4Cidr } from '../network/cidr';

/**
 * EKS's limits on endpoint settings, as data with their sources.
 * - 40 CIDR blocks at most in publicAccessCidrs: aws/containers-roadmap#2174 and #1349 (the
 *   console and API refuse more; the EKS service-quotas page lists "Public endpoint access CIDR
 *   ranges per cluster: 40").
 * - IPv6 blocks are refused on IPv4 clusters (EKS API reference, VpcConfigRequest.publicAccessCidrs).
 */
export const MAX_PUBLIC_ACCESS_CIDRS = 40;

/** EKS's messages, verbatim where a source shows them. */
export const EKS_MESSAGES = {
  // rancher/rancher#28158 quotes the InvalidParameterException EKS returns.
  bothOff: 'Both private and public endpoint access cannot be false',
  // aws/aws-cdk#33176 quotes the InvalidParameterException for bad CIDRs.
  invalidCidrs: (cidrs: readonly string[]) =>
    `The following CIDRs are invalid in publicAccessCidrs: [${cidrs.join(',')}]`,
  tooManyCidrs: (n: number) =>
    `publicAccessCidrs can contain at most ${MAX_PUBLIC_ACCESS_CIDRS} CIDR blocks (got ${n}); merge ranges or enable private access`,
  // eksctl-io/eksctl#4043 quotes the message for an update that changes nothing.
  noChange: (priv: boolean, pub: boolean, cidrs: readonly string[]) =>
    `Cluster is already at the desired configuration with endpointPrivateAccess: ${priv} , endpointPublicAccess: ${pub}, and Public Endpoint Restrictions: [${cidrs.join(',')}]`,
} as const;

/**
 * EKS's rule on endpoint settings, for a new cluster (CreateCluster) and a change
 * (UpdateClusterConfig) alike: at least one access on, and acceptable publicAccessCidrs. The
 * text EKS returns as InvalidParameterException, or undefined when EKS accepts the settings.
 */
export function endpointAccessRefusal(config: {
  readonly endpointPublicAccess: boolean;
  readonly endpointPrivateAccess: boolean;
  readonly publicAccessCidrs: readonly string[];
}): string | undefined {
  if (!config.endpointPublicAccess && !config.endpointPrivateAccess) return EKS_MESSAGES.bothOff;
  return checkPublicAccessCidrs(config.publicAccessCidrs);
}

/** The first thing EKS would refuse in a publicAccessCidrs list, or undefined if it is acceptable. */
export function checkPublicAccessCidrs(cidrs: readonly string[]): string | undefined {
  const invalid = cidrs.filter((c) => !parseIpv4Cidr(c));
  if (invalid.length > 0) return EKS_MESSAGES.invalidCidrs(invalid);
  if (cidrs.length === 0) return 'publicAccessCidrs needs at least one CIDR block (0.0.0.0/0 lets every address in)';
  if (cidrs.length > MAX_PUBLIC_ACCESS_CIDRS) return EKS_MESSAGES.tooManyCidrs(cidrs.length);
  return undefined;
}
