import type { SimContext } from '../engine/domain';
import type { NetworkView, VantageHost } from '../network/types';
import type { IamRole, RolePolicy, Stack, StackEvent, StackResourceSummary } from '../provisioning/types';
import type { Domains } from '../simulation';

/**
 * What the shell's tools read from the other domains, in one place. Each read goes through the
 * domains' public surface (their snapshot parts and read methods), so a tool never reaches into
 * another domain's internals, and a domain that is not built yet reads as empty.
 */

export function networkView(ctx: SimContext<Domains>): NetworkView | undefined {
  const view = (ctx.domains.network.snapshot() as { network?: Partial<NetworkView> }).network;
  return view && Array.isArray(view.subnets) ? (view as NetworkView) : undefined;
}

/** The bastion answers to `bastion` and to its EC2 name (`myeks-host`). */
export function findHost(ctx: SimContext<Domains>, name: string): VantageHost | undefined {
  const network = ctx.domains.network;
  const direct = network.host(name) as VantageHost | undefined;
  if (direct) return direct;
  return (network.hosts() as VantageHost[]).find(
    (h) => h.label === name || (h.kind === 'bastion' && name === 'bastion'),
  );
}

export function hostNames(ctx: SimContext<Domains>): string[] {
  return (ctx.domains.network.hosts() as VantageHost[]).map((h) => h.name);
}

export function iamRole(ctx: SimContext<Domains>, name: string): IamRole | undefined {
  return ctx.domains.provisioning.role(name);
}

export function iamRoles(ctx: SimContext<Domains>): readonly IamRole[] {
  return ctx.domains.provisioning.roles();
}

export function iamRolePolicy(ctx: SimContext<Domains>, roleName: string, policyName: string): RolePolicy | undefined {
  return ctx.domains.provisioning.rolePolicy(roleName, policyName);
}

export function cfnStacks(ctx: SimContext<Domains>): readonly Stack[] {
  return ctx.domains.provisioning.stacks();
}

export function cfnStack(ctx: SimContext<Domains>, name: string): Stack | undefined {
  return ctx.domains.provisioning.stack(name);
}

export function cfnStackEvents(ctx: SimContext<Domains>, name: string): readonly StackEvent[] | undefined {
  return ctx.domains.provisioning.stackEvents(name);
}

export function cfnStackResources(ctx: SimContext<Domains>, name: string): readonly StackResourceSummary[] | undefined {
  return ctx.domains.provisioning.stackResources(name);
}
