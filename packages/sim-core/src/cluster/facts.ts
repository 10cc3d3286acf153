/**
 * Fixed identities of the simulated account. 111122223333 is the account id the AWS
 * documentation uses in its examples.
 */
export const ACCOUNT_ID = '111122223333';

/** Creating the control plane takes most of eksctl's 10-15 minutes (docs/lessons/seed-week1.md, eksctl.io (VPC Networking)). */
export const CONTROL_PLANE_CREATE_MS = { min: 8 * 60_000, max: 11 * 60_000 };

/** Deleting a cluster takes a few minutes. */
export const CLUSTER_DELETE_MS = { min: 3 * 60_000, max: 5 * 60_000 };
