import type { NetworkView, VantageHost } from '../network/types';
import type { IamRole, RolePolicy, Stack, StackEvent, StackResourceSummary } from '../provisioning/types';
import type { ShellContext } from './ports';

/**
 * What the shell's tools read from the other domains, in one place, through their public read
 * methods: a tool never reaches into another domain's internals.
 */

/** The live customer network (read only). */
export function networkView(ctx: ShellContext): NetworkView {
  return ctx.domains.network.view();
}

/** A vantage by `--from` name: `bastion` or its EC2 name (`myeks-host`), `laptop`, a node. */
export function findHost(ctx: ShellContext, name: string): VantageHost | undefined {
  return ctx.domains.network.host(name);
}

export function hostNames(ctx: ShellContext): string[] {
  return ctx.domains.network.hosts().map((h) => h.name);
}

export function iamRole(ctx: ShellContext, name: string): IamRole | undefined {
  return ctx.domains.provisioning.role(name);
}

export function iamRoles(ctx: ShellContext): readonly IamRole[] {
  return ctx.domains.provisioning.roles();
}

export function iamRolePolicy(ctx: ShellContext, roleName: string, policyName: string): RolePolicy | undefined {
  return ctx.domains.provisioning.rolePolicy(roleName, policyName);
}

export function cfnStacks(ctx: ShellContext): readonly Stack[] {
  return ctx.domains.provisioning.stacks();
}

export function cfnStack(ctx: ShellContext, name: string): Stack | undefined {
  return ctx.domains.provisioning.stack(name);
}

export function cfnStackEvents(ctx: ShellContext, name: string): readonly StackEvent[] | undefined {
  return ctx.domains.provisioning.stackEvents(name);
}

export function cfnStackResources(ctx: ShellContext, name: string): readonly StackResourceSummary[] | undefined {
  return ctx.domains.provisioning.stackResources(name);
}
