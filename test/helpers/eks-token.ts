import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

/** SHA-256 for the AWS SDK's signer, from node:crypto (the SDK's `Checksum` shape). */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash =
      secret === undefined
        ? createHash('sha256')
        : createHmac('sha256', typeof secret === 'string' ? secret : Buffer.from(secret as ArrayBuffer));
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

export interface TokenOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly clusterName: string;
  readonly region?: string;
  /** When it was signed (default now). */
  readonly signedAt?: Date;
  readonly host?: string;
}

/**
 * An EKS bearer token made as `aws eks get-token` makes it, by the AWS SDK's own SigV4 signer
 * (not the server's): `k8s-aws-v1.` + base64url of a presigned STS GetCallerIdentity URL
 * signing `x-k8s-aws-id: <cluster>`. For tokens the CLI cannot make (signed in the past).
 */
export async function eksToken(options: TokenOptions): Promise<string> {
  const region = options.region ?? 'ap-northeast-2';
  const host = options.host ?? `sts.${region}.amazonaws.com`;
  const signer = new SignatureV4({
    service: 'sts',
    region,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    sha256: NodeSha256,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname: host,
      path: '/',
      query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
      headers: { host, 'x-k8s-aws-id': options.clusterName },
    },
    { expiresIn: 60, signingDate: options.signedAt ?? new Date() },
  );
  const query = Object.entries(signed.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `k8s-aws-v1.${Buffer.from(`https://${host}/?${query}`).toString('base64url')}`;
}
