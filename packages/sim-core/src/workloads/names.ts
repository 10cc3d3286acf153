import { hashName } from '../engine/prng';

/**
 * The random-looking parts of generated Kubernetes names (`coredns-5b9dfbf96-x7k2p`,
 * `aws-node-4hzqm`), made from a stable text so the same model always gives the same names.
 * Kubernetes draws them from this alphabet, which has no vowels and no look-alike characters
 * (k8s.io/apimachinery/pkg/util/rand, `alphanums`).
 */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function nameSuffix(seedText: string, length = 5): string {
  let out = '';
  for (let i = 0; out.length < length; i++) {
    let h = hashName(`${seedText}#${i}`);
    for (let k = 0; k < 4 && out.length < length; k++, h = Math.floor(h / ALPHANUMS.length)) {
      out += ALPHANUMS[h % ALPHANUMS.length];
    }
  }
  return out;
}

/** Stable hex digits from a text. */
export function hexDigits(seedText: string, digits: number): string {
  let out = '';
  for (let i = 0; out.length < digits; i++) out += hashName(`${seedText}#${i}`).toString(16).padStart(8, '0');
  return out.slice(0, digits);
}

/** A stable UID of the RFC 4122 version-4 shape, for `metadata.uid`. */
export function stableUid(seedText: string): string {
  const h = hexDigits(`uid:${seedText}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
