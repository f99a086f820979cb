/** Login attempts per client address in a fixed window: enough to stop guessing, cheap to keep. */
export class LoginLimiter {
  private readonly hits = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Records an attempt; false when the client is over the limit (it may retry after `retryAfterMs`). */
  attempt(client: string, now = Date.now()): { allowed: boolean; retryAfterMs: number } {
    if (this.hits.size > 10_000) for (const [key, v] of this.hits) if (v.resetAt <= now) this.hits.delete(key);
    let entry = this.hits.get(client);
    if (!entry || entry.resetAt <= now) {
      entry = { count: 0, resetAt: now + this.windowMs };
      this.hits.set(client, entry);
    }
    entry.count++;
    return { allowed: entry.count <= this.max, retryAfterMs: entry.resetAt - now };
  }

  /** A successful sign-in clears the client's count. */
  reset(client: string): void {
    this.hits.delete(client);
  }
}
