/**
 * One reusable buffer for a provider's request bodies.
 *
 * Each round's body (tens of KB: the tool schemas alone are ~30 KB for a
 * coding creature) was a fresh Buffer; fetch copies it anyway, and the
 * original lived just long enough to be promoted, so a long loop piled up
 * megabytes of dead bodies until the next full GC. The body is now written
 * into one buffer per provider, lent out for the request and taken back when
 * its stream ends. A second request while the first is still out (parallel
 * sub-agents sharing a provider) gets a buffer of its own, as before.
 */
export interface LentBody {
  readonly bytes: Buffer;
  /** The request is finished with the bytes; the arena may write over them. */
  release(): void;
}

export class BodyArena {
  private buffer: Buffer = Buffer.alloc(0);
  private lent = false;

  /** `parts` joined, in the arena when it is free. */
  fill(parts: readonly Uint8Array[]): LentBody {
    let total = 0;
    for (const part of parts) total += part.length;
    if (this.lent) return { bytes: Buffer.concat(parts, total), release: () => {} };
    // Doubling keeps the copies amortised while a conversation grows. The
    // memory is uninitialised, but only the bytes written below are lent.
    if (this.buffer.length < total) this.buffer = Buffer.allocUnsafeSlow(Math.max(total, this.buffer.length * 2));
    let offset = 0;
    for (const part of parts) {
      this.buffer.set(part, offset);
      offset += part.length;
    }
    this.lent = true;
    let released = false;
    return {
      bytes: this.buffer.subarray(0, total),
      release: () => {
        if (released) return;
        released = true;
        this.lent = false;
      },
    };
  }
}
