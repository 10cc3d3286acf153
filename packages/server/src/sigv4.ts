import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * AWS Signature Version 4, the server's half: parse the `Authorization` header, and check a
 * signature against a secret. The EKS-compatible API uses the access key id to pick a
 * session and, for calls that change it, the session's control token as the secret key.
 * (AWS General Reference, "Signature Version 4 signing process".)
 */
export interface SigV4Credential {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH =
  /^AWS4-HMAC-SHA256\s+Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})\s*$/;

export function parseSigV4(header: string | undefined): SigV4Credential | undefined {
  if (typeof header !== 'string') return undefined;
  const m = AUTH.exec(header);
  if (!m) return undefined;
  return {
    accessKeyId: m[1] as string,
    date: m[2] as string,
    region: m[3] as string,
    service: m[4] as string,
    signedHeaders: (m[5] as string).split(';'),
    signature: m[6] as string,
  };
}

/** How far `X-Amz-Date` may be from the server's clock, either way, as AWS allows. */
export const SIGNATURE_SKEW_MS = 15 * 60_000;

const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');

/**
 * The refusal AWS gives a request signed at a time too far from its own clock, in AWS's
 * words ("Signature expired: 20000101T000000Z is now earlier than 20261129T041500Z
 * (20261129T043000Z - 15 min.)"), or undefined when the date is fresh.
 */
export function signatureExpiry(header: string | string[] | undefined, nowMs: number): string | undefined {
  const text = typeof header === 'string' ? header : undefined;
  const m = text ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text) : null;
  if (!text) return "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";
  if (!m) return `Date must be in ISO-8601 'basic format'. Got '${text.slice(0, 64)}'. For example: ${amzDate(nowMs)}`;
  const signedMs = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  if (signedMs < nowMs - SIGNATURE_SKEW_MS) {
    return `Signature expired: ${text} is now earlier than ${amzDate(nowMs - SIGNATURE_SKEW_MS)} (${amzDate(nowMs)} - 15 min.)`;
  }
  if (signedMs > nowMs + SIGNATURE_SKEW_MS) {
    return `Signature not yet current: ${text} is still later than ${amzDate(nowMs + SIGNATURE_SKEW_MS)} (${amzDate(nowMs)} + 15 min.)`;
  }
  return undefined;
}

/** RFC 3986 encoding as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

export interface SignedRequest {
  readonly method: string;
  /** The raw request target, `/clusters/x/updates?foo=1`, as received. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** Whether `request` was signed with `secret` (the payload's sha256 included). */
export function verifySigV4(request: SignedRequest, credential: SigV4Credential, secret: string): boolean {
  const [rawPath = '/', rawQuery = ''] = request.url.split('?', 2);
  // The path as sent is encoded once; the signer encodes it again, after dropping empty and dot segments.
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  const canonicalPath = `/${segments.map(escapeUri).join('/')}${trailing}`;
  const canonicalQuery = rawQuery
    .split('&')
    .filter((pair) => pair !== '')
    .map((pair) => {
      const [k = '', v = ''] = pair.split('=', 2);
      return [escapeUri(safeDecode(k)), escapeUri(safeDecode(v))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalHeaders = credential.signedHeaders
    .map((name) => {
      const value = request.headers[name];
      const text = Array.isArray(value) ? value.join(',') : (value ?? '');
      return `${name}:${text.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const declaredHash = request.headers['x-amz-content-sha256'];
  const payloadHash = typeof declaredHash === 'string' ? declaredHash : sha256(request.body);
  if (
    typeof declaredHash === 'string' &&
    declaredHash !== 'UNSIGNED-PAYLOAD' &&
    declaredHash !== sha256(request.body)
  ) {
    return false;
  }
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath,
    canonicalQuery,
    canonicalHeaders,
    credential.signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const amzDate = request.headers['x-amz-date'];
  if (typeof amzDate !== 'string') return false;
  const scope = `${credential.date}/${credential.region}/${credential.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secret}`, credential.date);
  key = hmac(key, credential.region);
  key = hmac(key, credential.service);
  key = hmac(key, 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', key).update(stringToSign).digest('hex'));
  const given = Buffer.from(credential.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
