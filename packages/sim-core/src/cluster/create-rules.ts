import { type Command, type CommandError, fail } from '../engine/command-spec';
import type { ClusterEndpointRulesPort } from './ports';

/** A new cluster's endpoint defaults when CreateCluster leaves them out (EKS API reference, VpcConfigRequest). */
export const ENDPOINT_DEFAULTS = {
  endpointPublicAccess: true,
  endpointPrivateAccess: false,
  publicAccessCidrs: ['0.0.0.0/0'],
} as const;

/**
 * EKS's refusal of CreateCluster's endpoint settings, from the request alone (a scenario's
 * checker runs it before anything starts): the settings after defaults must pass the same rule
 * an UpdateClusterConfig must.
 */
export function createEndpointRefusal(
  command: Readonly<Record<string, unknown>>,
  rules: ClusterEndpointRulesPort,
): string | undefined {
  return rules.endpointAccessRefusal({
    endpointPublicAccess:
      (command.endpointPublicAccess as boolean | undefined) ?? ENDPOINT_DEFAULTS.endpointPublicAccess,
    endpointPrivateAccess:
      (command.endpointPrivateAccess as boolean | undefined) ?? ENDPOINT_DEFAULTS.endpointPrivateAccess,
    publicAccessCidrs: (command.publicAccessCidrs as string[] | undefined) ?? ENDPOINT_DEFAULTS.publicAccessCidrs,
  });
}

/** What the subnet rule needs of the network: a subnet's AZ, if the subnet exists. */
export interface SubnetLookup {
  subnet(id: string): { readonly az: string } | undefined;
}

/**
 * `cluster.create`'s rules, checked by the dispatcher before the cluster domain acts, so the
 * AWS API, the shell's `aws`, REST commands and scenario timelines refuse alike:
 * - the endpoint settings (above);
 * - each subnet must exist: EKS passes them to EC2 and returns its refusal as
 *   InvalidParameterException;
 * - the subnets must span at least two AZs: "Subnets specified must be in at least two
 *   different AZs" (EKS User Guide, "View Amazon EKS networking requirements for VPC and
 *   subnets": the control plane places its ENIs in two AZs at least).
 */
export function checkClusterCreate(
  command: Command,
  network: SubnetLookup,
  rules: ClusterEndpointRulesPort,
): CommandError | undefined {
  const endpoint = createEndpointRefusal(command, rules);
  if (endpoint) return fail('InvalidParameterException', endpoint);
  const subnetIds = command.subnetIds as readonly string[] | undefined;
  if (subnetIds === undefined) return undefined;
  const unknown = subnetIds.find((id) => !network.subnet(id));
  if (unknown !== undefined) {
    return fail(
      'InvalidParameterException',
      `The subnet ID '${unknown}' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)`,
    );
  }
  const azs = new Set(subnetIds.map((id) => network.subnet(id)?.az));
  if (azs.size < 2) return fail('InvalidParameterException', 'Subnets specified must be in at least two different AZs');
  return undefined;
}
