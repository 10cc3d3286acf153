import type { Prng } from '../engine/prng';
import { addressAt, blockSize } from './cidr';
import { EC2_PUBLIC_PREFIXES } from './facts';
import type { Subnet } from './types';

/** Which private and public addresses are taken in the VPC, and free ones as EC2 hands them out. */
export class Addresses {
  private readonly usedPrivate = new Set<string>();
  private readonly usedPublic = new Set<string>();

  constructor(private readonly rng: Prng) {}

  save(): { usedPrivate: string[]; usedPublic: string[] } {
    return { usedPrivate: [...this.usedPrivate], usedPublic: [...this.usedPublic] };
  }

  restore(saved: { usedPrivate: readonly string[]; usedPublic: readonly string[] }): void {
    this.usedPrivate.clear();
    this.usedPublic.clear();
    for (const ip of saved.usedPrivate) this.usedPrivate.add(ip);
    for (const ip of saved.usedPublic) this.usedPublic.add(ip);
  }

  /** Marks an address a fixed host holds (the bastion's). */
  reserve(ip: string): void {
    this.usedPrivate.add(ip);
  }

  /** A free private address in the subnet (AWS reserves the first four and the last). */
  privateIn(subnet: Subnet): string {
    const size = blockSize(subnet.cidr);
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const ip = addressAt(subnet.cidr, this.rng.int(4, size - 2));
      if (!this.usedPrivate.has(ip)) {
        this.usedPrivate.add(ip);
        return ip;
      }
    }
    throw new RangeError(`subnet ${subnet.name} has no free address`);
  }

  release(ip: string): void {
    this.usedPrivate.delete(ip);
  }

  /** A public IPv4 address EC2 would assign in a public subnet. */
  publicIp(): string {
    for (;;) {
      const ip = `${this.rng.pick(EC2_PUBLIC_PREFIXES)}.${this.rng.int(0, 255)}.${this.rng.int(1, 254)}`;
      if (!this.usedPublic.has(ip)) {
        this.usedPublic.add(ip);
        return ip;
      }
    }
  }
}
