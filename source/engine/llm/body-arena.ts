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
 *
 * A tool loop's next body is the last one with a few messages more, and its
 * parts are the same cached Buffer objects in the same order up to the first
 * new message. The arena remembers the parts it holds and where each ends,
 * and writes only from the first part that differs: copying a few hundred
 * small parts one by one every round cost more than the rest of the body.
 * Parts are compared by identity, so they must never be changed once made
 * (the encoders' cached pieces never are).
 */
export interface LentBody {
  readonly bytes: Buffer;
  /** The request is finished with the bytes; the arena may write over them. */
  release(): void;
}

export class BodyArena {
  private buffer: Buffer = Buffer.alloc(0);
  private lent = false;
  /** The parts whose bytes the buffer holds, in order, and the offset where each ends. */
  private held: readonly Uint8Array[] = [];
  private ends: number[] = [];

  /** `parts` joined, in the arena when it is free. */
  fill(parts: readonly Uint8Array[]): LentBody {
    // Indexed loops: a for-of here allocated an iterator result per part, every round.
    let total = 0;
    for (let i = 0; i < parts.length; i++) total += (parts[i] as Uint8Array).length;
    if (this.lent) return { bytes: Buffer.concat(parts, total), release: () => {} };
    // The parts already in place: the same objects, in the same order, from the start.
    let same = 0;
    const limit = Math.min(parts.length, this.held.length);
    while (same < limit && parts[same] === this.held[same]) same++;
    let offset = same > 0 ? (this.ends[same - 1] as number) : 0;
    if (this.buffer.length < total) {
      // Doubling keeps the copies amortised while a conversation grows. The
      // memory is uninitialised, but only the bytes written below are lent.
      const grown = Buffer.allocUnsafeSlow(Math.max(total, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, offset);
      this.buffer = grown;
    }
    const ends = this.ends;
    ends.length = parts.length;
    for (let i = same; i < parts.length; i++) {
      const part = parts[i] as Uint8Array;
      this.buffer.set(part, offset);
      offset += part.length;
      ends[i] = offset;
    }
    this.held = parts;
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
