/**
 * A token bucket: `perSecond` tokens flow in, at most `burst` are kept. Used per client
 * address for REST and per connection for WebSocket messages. The time source is passed in
 * so that tests need no real waiting.
 */
export class TokenBucket {
  private tokens: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.lastMs = nowMs;
  }

  /** Takes one token; false when the bucket is empty. */
  take(nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  refill(nowMs: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, nowMs - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = nowMs;
  }

  /** Seconds until one token is back. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((1 - this.tokens) / this.perSecond));
  }

  get full(): boolean {
    return this.tokens >= this.burst;
  }
}

export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

/** Buckets by key (a client address), forgetting full ones now and then so memory stays bounded. */
export class RateLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweepMs = 0;

  constructor(private readonly limit: RateLimit) {}

  take(key: string, nowMs: number): TokenBucket | true {
    if (nowMs - this.lastSweepMs > 60_000) {
      this.lastSweepMs = nowMs;
      for (const [k, bucket] of this.buckets) {
        bucket.refill(nowMs);
        if (bucket.full) this.buckets.delete(k);
      }
    }
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.limit.perSecond, this.limit.burst, nowMs);
      this.buckets.set(key, bucket);
    }
    return bucket.take(nowMs) ? true : bucket;
  }
}
