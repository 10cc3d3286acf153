import type { CommandError } from '../../engine/command-spec';

/**
 * EKS's error codes and the HTTP status each comes with (AWS "Amazon EKS API Reference",
 * "Common Errors" and each operation's "Errors",
 * https://docs.aws.amazon.com/eks/latest/APIReference/CommonErrors.html). The one table:
 * the server's AWS API sends the status, the shell's eksctl prints it, `/api` reuses it.
 */
export const EKS_ERROR_STATUS = {
  ResourceNotFoundException: 404,
  InvalidParameterException: 400,
  InvalidRequestException: 400,
  ResourceInUseException: 409,
  ClientException: 400,
  ServerException: 500,
  AccessDeniedException: 403,
  InvalidSignatureException: 403,
  SerializationException: 400,
  UnknownOperationException: 404,
  RequestEntityTooLargeException: 413,
  UnsupportedMediaTypeException: 415,
  ThrottlingException: 429,
  ResourceLimitExceededException: 400,
  UnsupportedAvailabilityZoneException: 400,
  ServiceUnavailableException: 503,
  // TagResource, UntagResource and ListTagsForResource name these (botocore's eks model).
  BadRequestException: 400,
  NotFoundException: 404,
} as const satisfies Record<string, number>;

export type EksErrorCode = keyof typeof EKS_ERROR_STATUS;

/** An EKS error as data: its code, its HTTP status, EKS's message, and any extra body fields. */
export interface EksError {
  readonly code: EksErrorCode;
  readonly status: number;
  readonly message: string;
  /** Fields EKS adds to the error body (`clusterName`, …). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export const isEksErrorCode = (code: string): code is EksErrorCode => Object.hasOwn(EKS_ERROR_STATUS, code);

export function eksError(code: EksErrorCode, message: string, fields?: Record<string, unknown>): EksError {
  return fields
    ? { code, status: EKS_ERROR_STATUS[code], message, fields }
    : { code, status: EKS_ERROR_STATUS[code], message };
}

/**
 * A refused command in EKS's words: EKS codes pass through; a bug in the simulator is a
 * ServerException; anything else wrong with the input (a field of the wrong kind) is what EKS
 * calls an InvalidParameterException.
 */
export function eksErrorOfCommand(result: Pick<CommandError, 'code' | 'error'>): EksError {
  if (isEksErrorCode(result.code)) return eksError(result.code, result.error);
  if (result.code === 'InternalError') return eksError('ServerException', result.error);
  return eksError('InvalidParameterException', result.error);
}

/** The HTTP status of a refused command's code: EKS's for its codes, 500 for a simulator bug, else 400. */
export function commandErrorStatus(code: string): number {
  if (isEksErrorCode(code)) return EKS_ERROR_STATUS[code];
  return code === 'InternalError' ? 500 : 400;
}

/** EKS's messages, verbatim as the AWS CLI and SDKs show them. */
export const EKS_ERROR_TEXT = {
  clusterNotFound: (name: string) => `No cluster found for name: ${name}.`,
  updateNotFound: (id: string) => `No update found for ID: ${id}`,
  // As the AWS CLI prints it (aws-samples/eks-workshop-v2#915, eksctl-io/eksctl#7747).
  nodegroupNotFound: (name: string) => `No node group found for name: ${name}.`,
  // DeleteCluster with node groups left (EKS User Guide, "Delete a cluster": delete node groups first).
  nodegroupsAttached: 'Cluster has nodegroups attached',
  nodegroupExists: (nodegroup: string, cluster: string) =>
    `NodeGroup already exists with name ${nodegroup} and cluster name ${cluster}`,
  // DescribeAddon of an add-on not installed as an EKS add-on (AWS CLI, aws-samples/eks-workshop-v2).
  addonNotFound: (addon: string, cluster: string) => `No addon: ${addon} found in cluster: ${cluster}`,
  addonExists: (addon: string) => `Addon ${addon} already exists.`,
  addonUnknown: (addon: string) => `Addon ${addon} specified is not supported`,
  addonVersionUnknown: (addon: string, version: string, kubernetes: string) =>
    `Addon version specified ${version} is not supported for ${addon} on Kubernetes ${kubernetes}`,
  clusterNotActive: (cluster: string, status: string) => `Cluster '${cluster}' is in ${status} state.`,
  nodegroupBusy: (nodegroup: string, status: string) => `Nodegroup ${nodegroup} is in ${status} state.`,
  // TagResource and friends on an ARN that names nothing (EKS answers NotFoundException).
  resourceNotFound: (arn: string) => `Resource ${arn} not found.`,
  badArn: (arn: string) => `Invalid ARN: ${arn}`,
  tagKeysRequired: 'tagKeys is required and must name at least one tag',
  unknownOperation: (method: string, path: string) =>
    `eks-sim does not model ${method} ${path}; docs/api.md lists the EKS operations it answers`,
} as const;

/**
 * How an AWS SDK for Go v2 client (eksctl) prints a service error:
 * `operation error EKS: DescribeCluster, https response error StatusCode: 404, RequestID: …, ResourceNotFoundException: …`
 * (the simulator leaves out the request id).
 */
export const goSdkErrorText = (operation: string, error: EksError): string =>
  `operation error EKS: ${operation}, https response error StatusCode: ${error.status}, ${error.code}: ${error.message}`;
