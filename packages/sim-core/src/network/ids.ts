import type { Prng } from '../engine/prng';

/** `vpc-0…`, `subnet-0…`, `sg-0…`, `eni-0…`, `i-0…`: AWS's current form, 17 hex digits after the dash. */
export function awsId(rng: Prng, prefix: string): string {
  return `${prefix}-0${hex(rng, 16)}`;
}

export function hex(rng: Prng, digits: number): string {
  let out = '';
  for (let i = 0; i < digits; i++) out += '0123456789abcdef'[rng.int(0, 15)];
  return out;
}

/** CloudFormation's suffix on physical names (`…-ControlPlaneSecurityGroup-1AB2C3D4E5F6G`). */
export function cfnSuffix(rng: Prng): string {
  let out = '';
  for (let i = 0; i < 13; i++) out += '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'[rng.int(0, 35)];
  return out;
}
