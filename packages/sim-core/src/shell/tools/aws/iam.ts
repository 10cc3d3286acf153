import { iamRole, iamRolePolicy, iamRoles } from '../../world';
import { failure, type Service, success } from './operation';

/**
 * `aws iam …` over the roles eksctl made (docs/eksctl.md: the node role's 4 managed and, with
 * `--external-dns-access`, 2 inline policies), read from the provisioning domain.
 */
const noRole = (name: string) => failure('NoSuchEntity', `The role with name ${name} cannot be found.`);

export const iamService: Service = {
  'list-roles': {
    api: 'ListRoles',
    params: { 'path-prefix': { kind: 'string' } },
    run: (_input, inv) =>
      success({
        Roles: iamRoles(inv.ctx).map(({ AttachedPolicies: _a, PolicyNames: _p, Tags: _t, ...role }) => role),
      }),
  },
  'get-role': {
    api: 'GetRole',
    params: { 'role-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['role-name'] as string;
      const role = iamRole(inv.ctx, name);
      if (!role) return noRole(name);
      const { AttachedPolicies: _a, PolicyNames: _p, ...shape } = role;
      return success({ Role: shape });
    },
  },
  'list-attached-role-policies': {
    api: 'ListAttachedRolePolicies',
    params: { 'role-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['role-name'] as string;
      const role = iamRole(inv.ctx, name);
      return role ? success({ AttachedPolicies: role.AttachedPolicies.map((p) => ({ ...p })) }) : noRole(name);
    },
  },
  'list-role-policies': {
    api: 'ListRolePolicies',
    params: { 'role-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['role-name'] as string;
      const role = iamRole(inv.ctx, name);
      return role ? success({ PolicyNames: [...role.PolicyNames] }) : noRole(name);
    },
  },
  'get-role-policy': {
    api: 'GetRolePolicy',
    params: { 'role-name': { kind: 'string', required: true }, 'policy-name': { kind: 'string', required: true } },
    run: (input, inv) => {
      const name = input.strings['role-name'] as string;
      const policyName = input.strings['policy-name'] as string;
      if (!iamRole(inv.ctx, name)) return noRole(name);
      const policy = iamRolePolicy(inv.ctx, name, policyName);
      if (!policy) return failure('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
      return success({
        RoleName: policy.RoleName,
        PolicyName: policy.PolicyName,
        PolicyDocument: policy.PolicyDocument,
      });
    },
  },
};
