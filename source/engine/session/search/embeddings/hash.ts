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

export class HashEmbedder implements Embedder {
  readonly id: string;

  constructor(readonly dimensions: number = DEFAULT_HASH_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 8) throw new RangeError(`hash embedding dimensions must be an integer of at least 8, not ${dimensions}`);
    this.id = `${HASH_MODEL}:${dimensions}`;
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    return texts.map((text) => this.embedOne(text));
  }

  /** The vector of one text (synchronous; `embed` is async only to fit the interface). */
  embedOne(text: string): Float32Array {
    const sums = new Float64Array(this.dimensions);
    const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
    let previous: string | undefined;
    for (const word of words) {
      this.add(sums, hash(word, SEED_WORD), UNIGRAM);
      if (previous !== undefined) this.add(sums, hash(word, hash(previous, SEED_PAIR)), BIGRAM);
      previous = word;
      const marked = `\u0002${word}\u0003`;
      for (let i = 0; i + 3 <= marked.length; i++) this.add(sums, hashRange(marked, i, i + 3, SEED_GRAM), TRIGRAM);
    }
    return normalise(sums);
  }

  private add(sums: Float64Array, h: number, weight: number): void {
    // Low bit for the sign, the rest for the slot: a well-mixed hash keeps them independent.
    sums[(h >>> 1) % this.dimensions]! += h & 1 ? weight : -weight;
  }
}

/** L2-normalised float32 copy; a text without words gets a fixed unit vector (cosine is undefined for zero). */
function normalise(sums: Float64Array): Float32Array {
  let norm = 0;
  for (const v of sums) norm += v * v;
  const out = new Float32Array(sums.length);
  if (norm === 0) {
    out[0] = 1;
    return out;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < sums.length; i++) out[i] = sums[i]! * scale;
  return out;
}

function hash(text: string, seed: number): number {
  return hashRange(text, 0, text.length, seed);
}

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so every output bit depends on every input bit. */
function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
