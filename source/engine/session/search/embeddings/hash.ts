/**
 * The offline embedder: feature hashing, no model, no network, always
 * available and fully deterministic (same text, same vector, on every
 * machine and every version that keeps the `hash-v1` id).
 *
 * It is LEXICAL, NOT SEMANTIC. Two texts are close when they share words,
 * word pairs and word fragments; "car" and "automobile" are unrelated to it.
 * The character trigrams make it forgiving of inflection and small typos
 * ("indexing" ~ "indexed" ~ "idnexing"), which the porter-stemmed FTS only
 * partly covers, and hybrid search gets a second ranking that differs from
 * BM25. For meaning, use the `api` embedder.
 *
 * Features, each hashed to one of D dimensions with a hashed sign (so
 * collisions cancel out on average instead of piling up):
 *   - word unigrams (weight 1), lower-cased, NFKC-normalised;
 *   - adjacent word bigrams (weight 0.5), for phrases;
 *   - character trigrams of each word with boundary marks (weight 0.25).
 * The sum is L2-normalised, so cosine distance compares direction only.
 */
import type { Embedder } from './provider.js';

export const HASH_MODEL = 'hash-v1';
export const DEFAULT_HASH_DIMENSIONS = 256;

const UNIGRAM = 1;
const BIGRAM = 0.5;
const TRIGRAM = 0.25;
// Different seeds keep the three feature families from colliding systematically.
const SEED_WORD = 0x9e3779b1;
const SEED_PAIR = 0x85ebca6b;
const SEED_GRAM = 0xc2b2ae35;

const WORD = /[\p{L}\p{N}]+/gu;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export class HashEmbedder implements Embedder {
  readonly id: string;
  /** Scratch sums, reused by every call: embedding is synchronous, so one is enough. */
  private readonly sums: Float64Array;

  constructor(readonly dimensions: number = DEFAULT_HASH_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 8) throw new RangeError(`hash embedding dimensions must be an integer of at least 8, not ${dimensions}`);
    this.id = `${HASH_MODEL}:${dimensions}`;
    this.sums = new Float64Array(dimensions);
  }

  /**
   * Local and cheap: large batches mean fewer transactions when a session is embedded. 4096 is a whole
   * chunk of the int8 copy and four of vec0's, so a run's batches never read back and rewrite a part-filled
   * chunk (measured: 10 % fewer instructions per block than 2048; the write lock is held ~40 ms per batch).
   */
  readonly batchSize = 4096;

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    // One buffer for the whole batch: the vectors are views into it, not an allocation each.
    const d = this.dimensions;
    const out = new Float32Array(texts.length * d);
    return texts.map((text, i) => {
      this.sum(text);
      return normalise(this.sums, out.subarray(i * d, (i + 1) * d));
    });
  }

  /** The vector of one text (synchronous; `embed` is async only to fit the interface). */
  embedOne(text: string): Float32Array {
    this.sum(text);
    return normalise(this.sums, new Float32Array(this.dimensions));
  }

  /** The features of `text`, summed into `this.sums` (which starts from zero). */
  private sum(text: string): void {
    this.sums.fill(0);
    // The ASCII pass gives up (false) at the first character outside ASCII; the general path then starts over.
    if (!sumAscii(text, this.sums, this.dimensions)) {
      this.sums.fill(0);
      this.sumWords(text);
    }
  }

  /** The general path: NFKC, lower case, Unicode letters and digits. */
  private sumWords(text: string): void {
    const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
    let pairSeed = -1;
    for (const word of words) {
      this.add(hashRange(word, 0, word.length, SEED_WORD), UNIGRAM);
      if (pairSeed >= 0) this.add(hashRange(word, 0, word.length, pairSeed), BIGRAM);
      pairSeed = hashRange(word, 0, word.length, SEED_PAIR);
      // Trigrams of the word between boundary marks \u0002 … \u0003, without building that string.
      for (let i = 0; i + 3 <= word.length + 2; i++) this.add(markedTrigram(word, i), TRIGRAM);
    }
  }

  private add(h: number, weight: number): void {
    // Low bit for the sign, the rest for the slot: a well-mixed hash keeps them independent.
    this.sums[(h >>> 1) % this.dimensions]! += ((h & 1) * 2 - 1) * weight;
  }
}

/** Per ASCII code unit: the lower-cased letter or digit, 0 for any other character. */
const WORD_CHAR = (() => {
  const table = new Uint8Array(128);
  for (let c = 48; c <= 57; c++) table[c] = c;
  for (let c = 97; c <= 122; c++) table[c] = table[c - 32] = c;
  return table;
})();

/** FNV-1a's first step of a trigram hash (SEED_GRAM), per ASCII code unit: one multiplication fewer per character. */
const GRAM_FIRST = (() => {
  const table = new Int32Array(128);
  for (let c = 0; c < 128; c++) table[c] = Math.imul((FNV_OFFSET ^ SEED_GRAM) ^ c, FNV_PRIME);
  return table;
})();

/**
 * The features of an ASCII text summed into `sums`, in one pass over its
 * characters, without the normalised copy, the lower-cased copy or a string
 * per word (NFKC leaves ASCII as it is; its letters and digits are [a-z0-9]
 * once lower-cased). The unigram, the word's pair seed and the bigram with
 * the previous word are hashed as the word's characters go by, each trigram
 * when its third character arrives (the FNV state after its first two
 * characters is carried along). The order features are added in differs
 * from sumWords, which changes nothing: every weight is 1, 0.5 or 0.25, so
 * every partial sum is exact in float64. Returns false, with `sums` partly
 * filled, at the first character outside ASCII.
 *
 * A function of locals rather than a method: this loop is most of the
 * embedder's time, and V8 keeps locals in registers. The sign is computed,
 * not branched on: a hashed bit is a coin toss the CPU mispredicts half the
 * time (measured: a third of the loop's time).
 */
function sumAscii(text: string, sums: Float64Array, dimensions: number): boolean {
  // A width that is a power of two takes the slot with a mask, which equals the remainder for these non-negative values.
  const mask = (dimensions & (dimensions - 1)) === 0 ? dimensions - 1 : -1;
  const n = text.length;
  let inWord = false;
  let hasPair = false;
  let pairSeed = 0;
  let hWord = 0;
  let hPair = 0;
  let hBigram = 0;
  // FNV state of the marked word (\u0002 word \u0003) after the two characters before the current one, and after the last one.
  let gram2 = 0;
  let gram1 = 0;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? text.charCodeAt(i) : 0;
    if (code > 127) return false;
    const c = WORD_CHAR[code]!;
    if (c !== 0) {
      if (!inWord) {
        inWord = true;
        hWord = FNV_OFFSET ^ SEED_WORD;
        hPair = FNV_OFFSET ^ SEED_PAIR;
        hBigram = FNV_OFFSET ^ pairSeed;
        // The boundary mark \u0002 is the word's first trigram character.
        gram2 = 0;
        gram1 = GRAM_FIRST[2]!;
      } else {
        // A trigram ends at c: the two characters before it, then c.
        const h = mix(Math.imul(gram2 ^ c, FNV_PRIME));
        sums[mask >= 0 ? (h >>> 1) & mask : (h >>> 1) % dimensions]! += ((h & 1) * 2 - 1) * TRIGRAM;
      }
      hWord = Math.imul(hWord ^ c, FNV_PRIME);
      hPair = Math.imul(hPair ^ c, FNV_PRIME);
      hBigram = Math.imul(hBigram ^ c, FNV_PRIME);
      gram2 = Math.imul(gram1 ^ c, FNV_PRIME);
      gram1 = GRAM_FIRST[c]!;
    } else if (inWord) {
      inWord = false;
      // The last trigram ends with the boundary mark \u0003.
      let h = mix(Math.imul(gram2 ^ 3, FNV_PRIME));
      sums[mask >= 0 ? (h >>> 1) & mask : (h >>> 1) % dimensions]! += ((h & 1) * 2 - 1) * TRIGRAM;
      h = mix(hWord);
      sums[mask >= 0 ? (h >>> 1) & mask : (h >>> 1) % dimensions]! += ((h & 1) * 2 - 1) * UNIGRAM;
      if (hasPair) {
        h = mix(hBigram);
        sums[mask >= 0 ? (h >>> 1) & mask : (h >>> 1) % dimensions]! += ((h & 1) * 2 - 1) * BIGRAM;
      }
      pairSeed = mix(hPair);
      hasPair = true;
    }
  }
  return true;
}

/** finish() as an int32 (the same bits): the loop's values then stay small integers, never doubles. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** `sums` L2-normalised into `out` (float32, zeroed); a text without words gets a fixed unit vector (cosine is undefined for zero). */
function normalise(sums: Float64Array, out: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < sums.length; i++) norm += sums[i]! * sums[i]!;
  if (norm === 0) {
    out[0] = 1;
    return out;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < sums.length; i++) out[i] = sums[i]! * scale;
  return out;
}

/** hashRange over `\u0002${word}\u0003` from `start`, three code units, SEED_GRAM. */
function markedTrigram(word: string, start: number): number {
  const last = word.length + 1;
  let h = (0x811c9dc5 ^ SEED_GRAM) >>> 0;
  for (let i = start; i < start + 3; i++) {
    h ^= i === 0 ? 2 : i === last ? 3 : word.charCodeAt(i - 1);
    h = Math.imul(h, 0x01000193);
  }
  return finish(h);
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so every output bit depends on every input bit. */
function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return finish(h);
}

/** murmur3's finaliser. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
