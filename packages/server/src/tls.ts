import { createPrivateKey, randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata polyfill loaded first.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/**
 * The simulated API server's TLS: a CA (`CN=kubernetes`, as an EKS cluster's CA is named) and a
 * server certificate it signs for the names and addresses clients use (localhost, 127.0.0.1,
 * the host names the server is told to accept). Made at the first start with @peculiar/x509
 * (ECDSA P-256 keys from Node's WebCrypto), kept in `<dataDir>/tls/` and reused, so a kubeconfig
 * written by `aws eks update-kubeconfig` keeps working across restarts. The CA's PEM is every
 * cluster's `certificateAuthority.data` (base64 of the PEM, as EKS gives it).
 *
 * Damaged or mismatched files are moved aside (`*.damaged`) and made again, with a warning:
 * a server that cannot start over a bad certificate would help nobody. The server certificate
 * alone is made again (with the same CA) when it expires or does not cover a needed name.
 */
export interface TlsMaterial {
  /** PEM of the CA certificate: what clients trust. */
  readonly caPem: string;
  /** PEM of the server certificate and its key, for `https.createServer`. */
  readonly certPem: string;
  readonly keyPem: string;
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
/** A CA outlives any class; the server certificate is made again well before it runs out. */
const CA_LIFETIME_MS = 10 * 365 * DAY_MS;
const SERVER_LIFETIME_MS = 365 * DAY_MS;
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** Tolerates a client clock a little behind the server's. */
const BACKDATE_MS = 60 * 60_000;

const FILES = {
  caCert: 'ca.crt',
  caKey: 'ca.key',
  serverCert: 'server.crt',
  serverKey: 'server.key',
} as const;

const pemOf = (label: string, der: ArrayBuffer): string => {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END ${label}-----\n`;
};

const serialNumber = (): string => {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f; // a positive serial
  return bytes.toString('hex');
};

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  return pemOf('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', key));
}

async function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}

async function makeCa(nowMs: number): Promise<{ certPem: string; keyPem: string; key: webcrypto.CryptoKey }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=kubernetes',
    notBefore: new Date(nowMs - BACKDATE_MS),
    notAfter: new Date(nowMs + CA_LIFETIME_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey), key: keys.privateKey };
}

async function makeServerCert(
  ca: { certPem: string; key: webcrypto.CryptoKey },
  names: readonly string[],
  nowMs: number,
): Promise<{ certPem: string; keyPem: string }> {
  const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=kube-apiserver',
    issuer: caCert.subject,
    notBefore: new Date(nowMs - BACKDATE_MS),
    notAfter: new Date(nowMs + SERVER_LIFETIME_MS),
    signingAlgorithm: ALGORITHM,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        names.map((name) =>
          isIP(name) ? { type: 'ip' as const, value: name } : { type: 'dns' as const, value: name },
        ),
      ),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

/** Why a certificate and key pair cannot be used (for a warning), or null when it can. */
function problemOf(certPem: string, keyPem: string, nowMs: number, issuer?: X509Certificate): string | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
    if (!cert.checkPrivateKey(createPrivateKey(keyPem))) return 'the key does not belong to the certificate';
  } catch (error) {
    return `it cannot be read (${(error as Error).message})`;
  }
  if (issuer && !cert.verify(issuer.publicKey)) return 'it was not signed by the CA';
  if (Date.parse(cert.validTo) - RENEW_BEFORE_MS < nowMs) return `it expires on ${cert.validTo}`;
  if (Date.parse(cert.validFrom) > nowMs + BACKDATE_MS) return `it is not valid before ${cert.validFrom}`;
  return null;
}

/** The names `cert` does not cover. */
function uncovered(certPem: string, names: readonly string[]): string[] {
  const cert = new X509Certificate(certPem);
  return names.filter((name) => (isIP(name) ? cert.checkIP(name) === undefined : cert.checkHost(name) === undefined));
}

/** The names a server certificate covers: the loopback names and addresses, then `extra`. */
export function certificateNames(extra: readonly string[]): string[] {
  const names = ['localhost', '127.0.0.1', '::1'];
  for (const name of extra) {
    const plain = name.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    if (plain !== '' && plain !== '0.0.0.0' && plain !== '::' && !names.includes(plain)) names.push(plain);
  }
  return names;
}

/**
 * The server's TLS material: read from `dir` (made and written there the first time), or made
 * in memory when `dir` is null. `names` are the host names and addresses to cover.
 */
export async function loadTls(
  dir: string | null,
  names: readonly string[],
  warn: (message: string) => void,
  nowMs = Date.now(),
): Promise<TlsMaterial> {
  if (dir === null) {
    const ca = await makeCa(nowMs);
    const server = await makeServerCert(ca, names, nowMs);
    return { caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = (file: string) => join(dir, file);
  const read = (file: string): string | null => (existsSync(path(file)) ? readFileSync(path(file), 'utf8') : null);
  const write = (file: string, text: string, secret: boolean) =>
    writeFileSync(path(file), text, { mode: secret ? 0o600 : 0o644 });
  const setAside = (files: readonly string[], why: string) => {
    for (const file of files) if (existsSync(path(file))) renameSync(path(file), path(`${file}.damaged`));
    warn(why);
  };

  let caCertPem = read(FILES.caCert);
  let caKeyPem = read(FILES.caKey);
  let caKey: webcrypto.CryptoKey | null = null;
  if (caCertPem !== null || caKeyPem !== null) {
    const problem =
      caCertPem === null || caKeyPem === null
        ? `${caCertPem === null ? FILES.caCert : FILES.caKey} is missing`
        : problemOf(caCertPem, caKeyPem, nowMs);
    if (problem === null) {
      caKey = await importKey(caKeyPem as string);
    } else {
      setAside(
        [FILES.caCert, FILES.caKey, FILES.serverCert, FILES.serverKey],
        `the simulated API server's CA in ${dir} cannot be used (${problem}); made a new one (old files renamed *.damaged): run aws eks update-kubeconfig again`,
      );
      caCertPem = null;
    }
  }
  if (caCertPem === null || caKey === null) {
    const ca = await makeCa(nowMs);
    write(FILES.caKey, ca.keyPem, true);
    write(FILES.caCert, ca.certPem, false);
    caCertPem = ca.certPem;
    caKeyPem = ca.keyPem;
    caKey = ca.key;
  }

  let certPem = read(FILES.serverCert);
  let keyPem = read(FILES.serverKey);
  if (certPem !== null && keyPem !== null) {
    const problem = problemOf(certPem, keyPem, nowMs, new X509Certificate(caCertPem));
    const missing = problem === null ? uncovered(certPem, names) : [];
    if (problem !== null) {
      setAside(
        [FILES.serverCert, FILES.serverKey],
        `the simulated API server's certificate in ${dir} cannot be used (${problem}); made a new one`,
      );
      certPem = null;
    } else if (missing.length > 0) {
      certPem = null; // a new name to cover, not damage: made again quietly
    }
  } else {
    certPem = null;
  }
  if (certPem === null || keyPem === null) {
    const server = await makeServerCert({ certPem: caCertPem, key: caKey }, names, nowMs);
    write(FILES.serverKey, server.keyPem, true);
    write(FILES.serverCert, server.certPem, false);
    certPem = server.certPem;
    keyPem = server.keyPem;
  }
  return { caPem: caCertPem, certPem, keyPem };
}
