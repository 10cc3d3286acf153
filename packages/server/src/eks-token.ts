import { creatorIdentity, type KubeIdentity, rejectedIdentity, viewerIdentity } from '@eks-sim/sim-core';
import { verifySigV4 } from './sigv4';

/**
 * EKS's bearer tokens, checked as EKS's authenticator checks them (kubernetes-sigs/
 * aws-iam-authenticator, pkg/token/token.go, `Verify`): `k8s-aws-v1.` + the base64url of a
 * presigned STS GetCallerIdentity URL that signs the `x-k8s-aws-id` header with the cluster's
 * name. `aws eks get-token` (AWS CLI v1 and v2) makes it from local credentials, without a call
 * to any server; EKS would then send the URL to STS, which checks the signature and names the
 * principal. The simulator is that STS: it checks the signature where it knows the secret (the
 * session's control token) and maps the access key to an identity (sim-core's
 * answers/kubernetes/identity.ts).
 */
export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';

/** The authenticator refuses longer tokens before decoding them. */
const MAX_TOKEN_BYTES = 4096;

/**
 * A presigned STS URL is valid for 15 minutes after its `X-Amz-Date`, whatever its
 * `X-Amz-Expires` says (60 from every client: STS ignores it; the authenticator only checks it
 * is 0 to 900).
 */
export const TOKEN_LIFETIME_MS = 15 * 60_000;

/** The only query parameters the authenticator lets through. */
const ALLOWED_PARAMETERS = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/** STS's global and regional endpoints (AWS General Reference, "AWS STS endpoints"). */
const STS_HOST = /^sts(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/;

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/**
 * The access key id an `Authorization: Bearer k8s-aws-v1.…` header was signed with, unchecked
 * (to pick the session, as the AWS API's access key does); undefined for anything else.
 */
export function accessKeyOfToken(authorization: string | undefined): string | undefined {
  const token = /^Bearer\s+k8s-aws-v1\.([A-Za-z0-9_-]{1,4096})\s*$/i.exec(authorization ?? '')?.[1];
  if (token === undefined) return undefined;
  try {
    const credential = new URL(Buffer.from(token, 'base64url').toString('utf8')).searchParams.get('X-Amz-Credential');
    return credential?.split('/')[0] || undefined;
  } catch {
    return undefined;
  }
}

export interface TokenContext {
  /** The cluster the request is for: the signed `x-k8s-aws-id` must name it. */
  readonly clusterName: string;
  /** The access key id of the session's control key (the session id) and its secret (the control token). */
  readonly controlKeyId: string;
  readonly controlSecret: string;
  /**
   * Secrets the server knows for other access keys (other sessions' control tokens): a token
   * signed with one of them is checked too. A key not here cannot be checked, as the simulator
   * has no IAM: it is taken at its word, as a viewer.
   */
  readonly secretOf: (accessKeyId: string) => string | undefined;
  /**
   * The wall clock, ms. Tokens are checked against it, not the session's simulated clock: the
   * CLI signs with the machine's real time, and a session's clock may be years away or paused.
   */
  readonly nowMs: number;
}

/**
 * The identity an `Authorization` header carries: anonymous without one, rejected (with why)
 * for any token that is not a valid, unexpired EKS token for this cluster, else the creator
 * (the session's control key) or a viewer (any other key).
 */
export function identityOfToken(authorization: string | undefined, context: TokenContext): KubeIdentity {
  if (authorization === undefined || authorization.trim() === '') return { kind: 'anonymous' };
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!bearer) return rejectedIdentity('the Authorization header is not "Bearer <token>"');
  const token = bearer[1] as string;
  if (token.length > MAX_TOKEN_BYTES) return rejectedIdentity('token is too large');
  if (!token.startsWith(EKS_TOKEN_PREFIX)) {
    return rejectedIdentity(`token is missing expected "${EKS_TOKEN_PREFIX}" prefix`);
  }
  const encoded = token.slice(EKS_TOKEN_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(encoded)) return rejectedIdentity('token is not base64url');
  let url: URL;
  try {
    url = new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    return rejectedIdentity('token does not hold a URL');
  }
  if (url.protocol !== 'https:') return rejectedIdentity(`unexpected scheme "${url.protocol}" in pre-signed URL`);
  if (!STS_HOST.test(url.host)) return rejectedIdentity(`unexpected hostname "${url.host}" in pre-signed URL`);
  if (url.pathname !== '/') return rejectedIdentity('unexpected path in pre-signed URL');
  const params = new Map<string, string>();
  for (const [key, value] of url.searchParams) {
    const lower = key.toLowerCase();
    if (!ALLOWED_PARAMETERS.has(lower)) return rejectedIdentity(`non-whitelisted query parameter "${key}"`);
    if (params.has(lower)) return rejectedIdentity('query parameter with multiple values not supported');
    params.set(lower, value);
  }
  if (params.get('action') !== 'GetCallerIdentity') {
    return rejectedIdentity('unexpected action parameter in pre-signed URL');
  }
  const signedHeaders = (params.get('x-amz-signedheaders') ?? '').toLowerCase().split(';');
  if (!signedHeaders.includes('x-k8s-aws-id')) {
    return rejectedIdentity('client did not sign the x-k8s-aws-id header in the pre-signed URL');
  }
  const expires = Number(params.get('x-amz-expires'));
  if (!/^\d+$/.test(params.get('x-amz-expires') ?? '') || expires > 900) {
    return rejectedIdentity('invalid X-Amz-Expires parameter in pre-signed URL');
  }
  const date = params.get('x-amz-date') ?? '';
  const m = AMZ_DATE.exec(date);
  if (!m) return rejectedIdentity('X-Amz-Date parameter must be present and look like 20060102T150405Z');
  const signedMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (context.nowMs > signedMs + TOKEN_LIFETIME_MS) {
    return rejectedIdentity(`X-Amz-Date parameter is expired (15 minute expiration) ${date}`);
  }
  const credential = /^([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request$/.exec(params.get('x-amz-credential') ?? '');
  const signature = params.get('x-amz-signature') ?? '';
  if (!credential || !/^[0-9a-f]{64}$/.test(signature)) {
    return rejectedIdentity('the pre-signed URL has no valid X-Amz-Credential and X-Amz-Signature');
  }
  const accessKeyId = credential[1] as string;
  const secret = accessKeyId === context.controlKeyId ? context.controlSecret : context.secretOf(accessKeyId);
  if (secret !== undefined) {
    // What STS would do with the URL: check the signature over the headers the client signed,
    // with x-k8s-aws-id set to this cluster's name as the authenticator sets it.
    const unsignedQuery = url.search
      .slice(1)
      .split('&')
      .filter((pair) => !pair.toLowerCase().startsWith('x-amz-signature='))
      .join('&');
    const signed = verifySigV4(
      {
        method: 'GET',
        url: `/?${unsignedQuery}`,
        headers: { host: url.host, 'x-k8s-aws-id': context.clusterName, 'x-amz-date': date },
        body: '',
      },
      {
        accessKeyId,
        date: credential[2] as string,
        region: credential[3] as string,
        service: credential[4] as string,
        signedHeaders,
        signature,
      },
      secret,
    );
    if (!signed) {
      return rejectedIdentity(
        `the signature does not match: the token was not signed with this key's secret for cluster "${context.clusterName}"`,
      );
    }
  }
  return accessKeyId === context.controlKeyId ? creatorIdentity(accessKeyId) : viewerIdentity(accessKeyId);
}
