/**
 * What eksctl builds, shaped as the AWS APIs return it (CloudFormation `Stack`, `StackEvent`,
 * `StackResourceSummary`; IAM `Role`, `AttachedPolicy`, GetRolePolicy), so that the simulated
 * `aws cloudformation …` and `aws iam …` commands can print these objects as they are.
 * Times are ISO 8601 strings, as the AWS CLI prints them.
 */
export type StackStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'DELETE_FAILED';

export type ResourceStatus =
  | 'CREATE_IN_PROGRESS'
  | 'CREATE_COMPLETE'
  | 'CREATE_FAILED'
  | 'DELETE_IN_PROGRESS'
  | 'DELETE_COMPLETE'
  | 'UPDATE_IN_PROGRESS'
  | 'UPDATE_COMPLETE';

export interface StackTag {
  readonly Key: string;
  readonly Value: string;
}

export interface StackOutput {
  readonly OutputKey: string;
  readonly OutputValue: string;
  readonly ExportName?: string;
}

/** `aws cloudformation describe-stacks` → `Stacks[]`. */
export interface Stack {
  readonly StackId: string;
  readonly StackName: string;
  readonly Description: string;
  readonly CreationTime: string;
  readonly LastUpdatedTime?: string;
  readonly DeletionTime?: string;
  readonly StackStatus: StackStatus;
  readonly Capabilities: readonly string[];
  readonly Outputs: readonly StackOutput[];
  readonly Tags: readonly StackTag[];
  readonly DisableRollback: boolean;
  readonly EnableTerminationProtection: boolean;
}

/** `aws cloudformation describe-stack-events` → `StackEvents[]` (newest first). */
export interface StackEvent {
  readonly StackId: string;
  readonly EventId: string;
  readonly StackName: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceType: string;
  readonly Timestamp: string;
  readonly ResourceStatus: StackStatus | ResourceStatus;
  readonly ResourceStatusReason?: string;
}

/** `aws cloudformation list-stack-resources` → `StackResourceSummaries[]`. */
export interface StackResourceSummary {
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId: string;
  readonly ResourceType: string;
  readonly LastUpdatedTimestamp: string;
  readonly ResourceStatus: ResourceStatus;
}

export interface AttachedPolicy {
  readonly PolicyName: string;
  readonly PolicyArn: string;
}

/** An IAM policy document (JSON), as GetRolePolicy returns it decoded. */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly {
    readonly Effect: 'Allow' | 'Deny';
    readonly Action: string | readonly string[];
    readonly Resource: string | readonly string[];
    readonly Principal?: Record<string, string | readonly string[]>;
  }[];
}

/** `aws iam get-role` → `Role`, plus what list-attached-role-policies / list-role-policies return. */
export interface IamRole {
  readonly Path: '/';
  readonly RoleName: string;
  readonly RoleId: string;
  readonly Arn: string;
  readonly CreateDate: string;
  readonly AssumeRolePolicyDocument: PolicyDocument;
  readonly Description?: string;
  readonly MaxSessionDuration: number;
  readonly Tags: readonly StackTag[];
  /** `list-attached-role-policies` → `AttachedPolicies`, in attachment order. */
  readonly AttachedPolicies: readonly AttachedPolicy[];
  /** `list-role-policies` → `PolicyNames`: the inline policies, in creation order. */
  readonly PolicyNames: readonly string[];
}

/** `aws iam get-role-policy`. */
export interface RolePolicy {
  readonly RoleName: string;
  readonly PolicyName: string;
  readonly PolicyDocument: PolicyDocument;
}

export interface ProvisioningSnapshot {
  readonly stacks: readonly (Stack & { readonly resources: readonly StackResourceSummary[] })[];
  readonly roles: readonly IamRole[];
}
