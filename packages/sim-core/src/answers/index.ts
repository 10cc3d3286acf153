/**
 * The one answer layer: every EKS API answer and every Kubernetes API answer the project
 * gives, produced from the model. The server's AWS API and `/k8s` endpoint and the shell's
 * `aws`, `eksctl`, `kubectl` and `curl` only format these.
 */
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
export type {
  CreateClusterRequest,
  EksAnswer,
  EksApi,
  EksApiDeps,
  UpdateClusterConfigRequest,
  VpcConfigRequest,
} from './eks/operations';
export { eksApi } from './eks/operations';
export type { ClusterShape, UpdateShape } from './eks/shapes';
export { clusterShape, serviceIpv4Cidr, updateShape } from './eks/shapes';
export type { KubeAnswer, KubeIdentity } from './kubernetes/api';
export { identityOf, kubernetesGet, PUBLIC_INFO_PATHS, requestPath } from './kubernetes/api';
export type { NodeView } from './kubernetes/nodes';
export { nodeViews } from './kubernetes/nodes';
export type { KubeStatus } from './kubernetes/status';
export { anonymousForbidden, kubeReason, kubeStatus, unauthorized } from './kubernetes/status';
export { whyUnreachable } from './kubernetes/unreachable';
export { versionDocument } from './kubernetes/version';
export type { AnswerModel } from './model';
