import { ACCOUNT_ID } from '../../cluster/facts';
import { type KubeStatus, kubeStatus, unauthorized } from './status';

/**
 * Who is asking, as EKS's authenticator sees it, and what each may do. EKS authenticates a
 * bearer token `k8s-aws-v1.<base64url of a presigned STS GetCallerIdentity URL>` by asking STS
 * who signed it (kubernetes-sigs/aws-iam-authenticator, pkg/token/token.go; AWS EKS User
 * Guide, "Grant IAM users and roles access to Kubernetes APIs"); the server checks such a token
 * (packages/server/src/eks-token.ts: that needs crypto) and hands the identity here.
 *
 * - no token: `system:anonymous`, who may read only `/version` and the health checks;
 * - a token that fails any check: rejected, 401 before anything else;
 * - the cluster's creator (the lab's IAM user, `AWS_ACCESS_KEY_ID=<session id>` signed with
 *   the session's control token): cluster-admin, as EKS grants the creator through an access
 *   entry with AmazonEKSClusterAdminPolicy (AWS EKS User Guide, "Access entries");
 * - any other IAM principal: a viewer (AmazonEKSViewPolicy, the `view` ClusterRole): get, list
 *   and watch, no Secrets, no writes.
 */
export type KubeIdentity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'rejected'; readonly reason: string }
  | {
      readonly kind: 'user';
      /** What `kubectl auth whoami` shows: the IAM ARN EKS maps the principal to. */
      readonly username: string;
      readonly groups: readonly string[];
      readonly access: KubeAccess;
      /** The AWS access key id that signed the token. */
      readonly accessKeyId: string;
      /** The IAM unique id of the principal (`AIDA…` for a user), `UserId` of `aws sts get-caller-identity`. */
      readonly principalId: string;
    };

/** The access policy EKS associates with a principal. */
export type KubeAccess = 'cluster-admin' | 'view';

export const ANONYMOUS: KubeIdentity = { kind: 'anonymous' };

export const rejectedIdentity = (reason: string): KubeIdentity => ({ kind: 'rejected', reason });

/** The IAM user who created the cluster (`aws sts get-caller-identity` in the shell names the same user). */
export const CREATOR_ARN = `arn:aws:iam::${ACCOUNT_ID}:user/admin`;
/** That user's IAM unique id (IAM User Guide, "IAM identifiers": user ids begin with AIDA). */
export const CREATOR_USER_ID = 'AIDAEXAMPLEUSERID0001';
/** The access key the lab's user configured in the simulated shell (the AWS docs' example key id). */
export const SHELL_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

export function creatorIdentity(accessKeyId: string): KubeIdentity {
  return {
    kind: 'user',
    username: CREATOR_ARN,
    groups: ['system:authenticated'],
    access: 'cluster-admin',
    accessKeyId,
    principalId: CREATOR_USER_ID,
  };
}

/** Another principal of the account: the simulator knows no IAM user behind the key, so it names one after it. */
export function viewerIdentity(accessKeyId: string): KubeIdentity {
  return {
    kind: 'user',
    username: `arn:aws:iam::${ACCOUNT_ID}:user/${accessKeyId}`,
    groups: ['system:authenticated'],
    access: 'view',
    accessKeyId,
    // A unique id of IAM's form, made from the key so the same key always names the same user.
    principalId: `AIDA${accessKeyId
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, '')
      .padEnd(17, '0')
      .slice(0, 17)}`,
  };
}

/**
 * What `kubectl auth whoami` shows: the `userInfo` of a SelfSubjectReview (authentication.k8s.io/v1)
 * as EKS fills it for an IAM principal. aws-iam-authenticator names the user by its ARN (access
 * entries), its uid `aws-iam-authenticator:<account>:<unique id>`, and adds the signing key, the
 * ARN, its canonical form, the unique id and the role session name (empty for a user) as extras
 * (kubernetes-sigs/aws-iam-authenticator, pkg/server/server.go; EKS audit log entries show the
 * same). Undefined for a request that carries no identity.
 */
export function userInfoOf(identity: KubeIdentity) {
  if (identity.kind !== 'user') return undefined;
  return {
    username: identity.username,
    uid: `aws-iam-authenticator:${ACCOUNT_ID}:${identity.principalId}`,
    groups: [...identity.groups],
    extra: {
      accessKeyId: [identity.accessKeyId],
      arn: [identity.username],
      canonicalArn: [identity.username],
      principalId: [identity.principalId],
      sessionName: [''],
    },
  };
}

const TOKEN_SHAPE = /^Bearer\s+(k8s-aws-v1\.[A-Za-z0-9_-]+)\s*$/;

/**
 * The identity an `Authorization` header carries inside the simulated world (the shell's
 * `kubectl` and `curl`), where tokens come from the simulated `aws eks get-token` of the lab's
 * user and no signature can be checked: a token of EKS's form is the creator's, anything else
 * is rejected. Real clients' tokens are checked by the server instead.
 */
export function identityOf(authorization: string | undefined): KubeIdentity {
  if (authorization === undefined || authorization === '') return ANONYMOUS;
  return TOKEN_SHAPE.test(authorization) ? creatorIdentity(SHELL_ACCESS_KEY_ID) : rejectedIdentity('not an EKS token');
}

/** Paths `system:public-info-viewer` lets anyone read (Kubernetes docs, "Using RBAC Authorization", default roles). */
export const PUBLIC_INFO_PATHS: ReadonlySet<string> = new Set([
  '/version',
  '/version/',
  '/healthz',
  '/livez',
  '/readyz',
]);

/** A Kubernetes API verb (Kubernetes docs, "Authorization": request verbs). */
/**
 * A request's verb: an API verb on a resource path; on any other path (a non-resource URL) the
 * HTTP method in lower case, `post`, `put`, `head` among them (Kubernetes docs, "Authorization":
 * "Determine the request verb").
 */
export type KubeVerb =
  | 'get'
  | 'list'
  | 'watch'
  | 'create'
  | 'update'
  | 'patch'
  | 'delete'
  | 'deletecollection'
  | 'post'
  | 'put'
  | 'head'
  | 'options';

const READ_VERBS: ReadonlySet<KubeVerb> = new Set(['get', 'list', 'watch', 'head']);
const NON_RESOURCE_VERBS: ReadonlySet<string> = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);

/** What a resource path names: `/api/v1/namespaces/kube-system/pods/x` → pods "x" in kube-system. */
interface ResourceAttributes {
  readonly group: string;
  readonly namespace: string | undefined;
  readonly resource: string;
  readonly name: string | undefined;
}

function resourceOf(path: string): ResourceAttributes | undefined {
  const core = /^\/api\/v1\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?(?:\/[a-z]+)?\/?$/.exec(path);
  if (core) return { group: '', namespace: core[1], resource: core[2] as string, name: core[3] };
  const grouped = /^\/apis\/([^/]+)\/[^/]+\/(?:namespaces\/([^/]+)\/)?([a-z0-9-]+)(?:\/([^/]+))?(?:\/[a-z]+)?\/?$/.exec(
    path,
  );
  if (grouped) {
    return { group: grouped[1] as string, namespace: grouped[2], resource: grouped[3] as string, name: grouped[4] };
  }
  return undefined;
}

/**
 * The verb of an HTTP request on `path` (with its query): GET of a collection is `list`, of a
 * named object `get`, with `watch=true` (or 1) `watch`; POST `create`, PUT `update`, PATCH
 * `patch`, DELETE `delete` (of a collection `deletecollection`). On a non-resource URL
 * (`/version`, `/foo`) it is the method in lower case: `get`, `post`, `put`, `delete`.
 */
export function requestVerb(method: string, rawPath: string): KubeVerb {
  const [pathPart = '', query = ''] = rawPath.split('?', 2);
  const attributes = resourceOf(pathPart.replace(/\/{2,}/g, '/'));
  // A path that names no resource (`/version`, `/api`) is a non-resource URL: its verb is the method's.
  if (attributes === undefined) {
    const lower = method.toLowerCase();
    return (NON_RESOURCE_VERBS.has(lower) ? lower : 'get') as KubeVerb;
  }
  const named = attributes.name !== undefined;
  switch (method.toUpperCase()) {
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      if (/(^|&)watch=(true|1)(&|$)/.test(query)) return 'watch';
      return named ? 'get' : 'list';
  }
}

/**
 * The refusal kube-apiserver's RBAC authorizer writes: a resource path names the verb,
 * resource, group and scope (`nodes is forbidden: User "system:anonymous" cannot list resource
 * "nodes" in API group "" at the cluster scope`); any other path names the path (`forbidden:
 * User "system:anonymous" cannot get path "/"`) (kubernetes/kubernetes, staging/src/k8s.io/
 * apiserver/pkg/endpoints/handlers/responsewriters/errors.go, `forbiddenMessage`).
 */
export function forbidden(user: string, path: string, verb?: KubeVerb): KubeStatus {
  const attributes = resourceOf(path);
  const who = `User "${user}"`;
  if (!attributes) return kubeStatus(403, `forbidden: ${who} cannot ${verb ?? 'get'} path "${path}"`, {});
  const { group, namespace, resource, name } = attributes;
  const action = verb ?? (name === undefined ? 'list' : 'get');
  const scope = namespace === undefined ? 'at the cluster scope' : `in the namespace "${namespace}"`;
  const qualified = group ? `${resource}.${group}` : resource;
  const subject = name === undefined ? qualified : `${qualified} "${name}"`;
  return kubeStatus(
    403,
    `${subject} is forbidden: ${who} cannot ${action} resource "${resource}" in API group "${group}" ${scope}`,
    { ...(name === undefined ? {} : { name }), ...(group ? { group } : {}), kind: resource },
  );
}

/** What kube-apiserver tells `system:anonymous` when it asks for `path`. */
export const anonymousForbidden = (path: string): KubeStatus => forbidden('system:anonymous', path);

/**
 * Whether `identity` may do `verb` on `path` (a request path without its query): null when it
 * may, else the Status the API server answers (401 for a rejected token, 403 otherwise). The
 * one question the Kubernetes answers ask before reading or changing anything.
 */
export function authorize(identity: KubeIdentity, verb: KubeVerb, path: string): KubeStatus | null {
  if (identity.kind === 'rejected') return unauthorized();
  if (PUBLIC_INFO_PATHS.has(path) && verb === 'get') return null;
  if (identity.kind === 'anonymous') return forbidden('system:anonymous', path, verb);
  if (identity.access === 'cluster-admin') return null;
  const attributes = resourceOf(path);
  // `system:basic-user` lets every authenticated user ask who it is (Kubernetes docs, "Using RBAC Authorization", default roles).
  if (
    verb === 'create' &&
    attributes?.group === 'authentication.k8s.io' &&
    attributes.resource === 'selfsubjectreviews'
  )
    return null;
  // The `view` ClusterRole reads everything but Secrets; writes need more (Kubernetes docs, "Using RBAC Authorization", user-facing roles).
  if (READ_VERBS.has(verb) && attributes?.resource !== 'secrets') return null;
  return forbidden(identity.username, path, verb);
}
