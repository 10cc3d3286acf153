/**
 * The one answer layer: every EKS API answer and every Kubernetes API answer the project
 * gives, produced from the model. The server's AWS API and `/k8s` endpoint and the shell's
 * `aws`, `eksctl`, `kubectl` and `curl` only format these.
 */

export type { CreateAddonRequest } from './eks/addon-operations';
export type { EksError, EksErrorCode } from './eks/errors';
export {
  commandErrorStatus,
  EKS_ERROR_STATUS,
  EKS_ERROR_TEXT,
  eksError,
  eksErrorOfCommand,
  goSdkErrorText,
  isEksErrorCode,
} from './eks/errors';
export type { CreateNodegroupRequest } from './eks/nodegroup-operations';
export type {
  CreateClusterRequest,
  EksAnswer,
  EksApi,
  EksApiDeps,
  UpdateClusterConfigRequest,
  UpdateScope,
  VpcConfigRequest,
} from './eks/operations';
export { eksApi } from './eks/operations';
export type { AddonShape, ClusterShape, NodegroupShape, UpdateShape } from './eks/shapes';
export { clusterShape, serviceIpv4Cidr, updateShape } from './eks/shapes';
export { aggregatedDiscoveryType } from './kubernetes/discovery';
export type { KubeAccess, KubeIdentity, KubeVerb } from './kubernetes/identity';
export {
  ANONYMOUS,
  anonymousForbidden,
  authorize,
  CREATOR_ARN,
  CREATOR_USER_ID,
  creatorIdentity,
  forbidden,
  identityOf,
  PUBLIC_INFO_PATHS,
  rejectedIdentity,
  requestVerb,
  SHELL_ACCESS_KEY_ID,
  userInfoOf,
  viewerIdentity,
} from './kubernetes/identity';
export type { KubeModel } from './kubernetes/model';
export type { NodeView } from './kubernetes/nodes';
export { nodeViews } from './kubernetes/nodes';
export type { KubeObject } from './kubernetes/objects';
export { kubeTime, NAMESPACES } from './kubernetes/objects';
export type {
  ApplyCommand,
  KubeAnswer,
  KubeReadAnswer,
  KubeRequest,
  WatchEvent,
  WatchPlan,
} from './kubernetes/request';
export {
  kubernetesGet,
  kubernetesRequest,
  queryOf,
  requestPath,
  watchEvents,
  watchFrame,
} from './kubernetes/request';
export type { ColumnDefinition, ResourceType } from './kubernetes/resources';
export { humanDuration, RESOURCES, resourceByName } from './kubernetes/resources';
export type { KubeStatus } from './kubernetes/status';
export { kubeReason, kubeStatus, unauthorized } from './kubernetes/status';
export { whyUnreachable } from './kubernetes/unreachable';
export { versionDocument } from './kubernetes/version';
export type { AnswerModel } from './model';
