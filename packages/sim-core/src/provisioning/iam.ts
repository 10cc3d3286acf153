/**
 * The IAM roles eksctl's stacks make (docs/eksctl.md, eksctl.io (VPC Networking)), as IAM returns them: managed
 * policies attached in order, inline policies listed by name.
 */
import { ACCOUNT_ID } from '../cluster/facts';
import type { SimContext } from '../engine/domain';
import { isoTime } from '../engine/duration';
import type { Prng } from '../engine/prng';
import { assumeRolePolicy, CFN_SUFFIX_LENGTH, IAM_ROLE_NAME_MAX, policyArn } from './facts';
import type { IamRole, PolicyDocument, RolePolicy } from './types';

interface RoleRecord {
  readonly role: IamRole;
  readonly stackName: string;
  readonly inline: Map<string, PolicyDocument>;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class IamRoles {
  private readonly records = new Map<string, RoleRecord>();

  constructor(
    private readonly ctx: SimContext,
    private readonly rng: Prng,
  ) {}

  all(): IamRole[] {
    return [...this.records.values()].map((r) => r.role);
  }

  get(roleName: string): IamRole | undefined {
    return this.records.get(roleName)?.role;
  }

  ofStack(stackName: string): IamRole | undefined {
    return [...this.records.values()].find((r) => r.stackName === stackName)?.role;
  }

  rolePolicy(roleName: string, policyName: string): RolePolicy | undefined {
    const document = this.records.get(roleName)?.inline.get(policyName);
    return document ? { RoleName: roleName, PolicyName: policyName, PolicyDocument: document } : undefined;
  }

  /**
   * A role named as CloudFormation names it, `<stack>-<logicalId>-<12 chars>`, the stack part cut
   * so the whole fits IAM's 64 characters (the seed's `eksctl-myeks-nodegroup-myeks-nodeg-…`).
   */
  create(
    stackName: string,
    tags: Readonly<Record<string, string>>,
    logicalId: string,
    service: string,
    managed: readonly string[],
  ): IamRole {
    const suffix = Array.from({ length: CFN_SUFFIX_LENGTH }, () => ALNUM[this.rng.int(0, ALNUM.length - 1)]).join('');
    const room = IAM_ROLE_NAME_MAX - logicalId.length - suffix.length - 2;
    const roleName = `${stackName.slice(0, room)}-${logicalId}-${suffix}`;
    const role: IamRole = {
      Path: '/',
      RoleName: roleName,
      RoleId: `AROA${Array.from({ length: 17 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[this.rng.int(0, 31)]).join('')}`,
      Arn: `arn:aws:iam::${ACCOUNT_ID}:role/${roleName}`,
      CreateDate: isoTime(this.ctx.clock.now()),
      AssumeRolePolicyDocument: assumeRolePolicy(service),
      MaxSessionDuration: 3600,
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      AttachedPolicies: managed.map((name) => ({ PolicyName: name, PolicyArn: policyArn(name) })),
      PolicyNames: [],
    };
    this.records.set(roleName, { role, stackName, inline: new Map() });
    this.ctx.emit('iam.role-created', `role/${roleName}`, `IAM role ${roleName} created by ${stackName}`, {
      managedPolicies: [...managed],
    });
    return role;
  }

  /** PutRolePolicy (an AWS::IAM::Policy resource of the stack). */
  attachInline(roleName: string, policyName: string, document: PolicyDocument): void {
    const record = this.records.get(roleName);
    if (!record) return;
    record.inline.set(policyName, document);
    // IAM lists a role's inline policies in name order (ListRolePolicies).
    const role: IamRole = { ...record.role, PolicyNames: [...record.role.PolicyNames, policyName].sort() };
    this.records.set(roleName, { ...record, role });
  }

  save(): { role: IamRole; stackName: string; inline: [string, PolicyDocument][] }[] {
    return [...this.records.values()].map((r) => ({ role: r.role, stackName: r.stackName, inline: [...r.inline] }));
  }

  restore(saved: ReturnType<IamRoles['save']>): void {
    for (const r of saved) this.records.set(r.role.RoleName, { ...r, inline: new Map(r.inline) });
  }

  /** The stack that made them is deleted. */
  deleteOfStack(stackName: string): void {
    for (const [name, record] of this.records) if (record.stackName === stackName) this.records.delete(name);
  }
}
