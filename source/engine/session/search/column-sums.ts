/**
 * The first stage of a two-stage search (quantised.ts) adds, for each of the
 * query's non-zero dimensions, weight × that dimension's int8 values into a
 * float32 score per vector: ~22 dimensions × 100k vectors per query at 100k
 * blocks, the larger part of a hybrid search's time in plain JS (~1.5 ns per
 * value: V8 neither vectorises the loop nor drops its bounds checks).
 *
 * A 140-byte WebAssembly function does the same two values at a time with
 * SIMD instructions (~2.5× faster, measured on the 100k bench session), and
 * computes exactly what `scores[j] += weight * values[j]` computes in JS:
 * the int8 value and the float32 score widened to float64 (exact), the
 * product (exact: 24 × 8 significant bits fit in 53), one float64 addition,
 * one rounding to float32. So the scores, the candidates and the results
 * are the same bits either way (tested against the JS loop). The function is
 * written out below as its bytes, with the instructions beside them; where
 * WebAssembly SIMD is missing, the JS loop runs.
 */

/** The few WebAssembly names used here (the global object): the library build's type libraries (ES2023, Node) lack them. */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  validate(bytes: Uint8Array<ArrayBuffer>): boolean;
  Module: new (bytes: Uint8Array<ArrayBuffer>) => object;
  Instance: new (module: object) => { exports: object };
};

/** Scores of `count` vectors, summed column by column. */
export interface ColumnSums {
  /** The scores, zero at first. Valid until the next `columnSums` call on this thread. */
  readonly scores: Float32Array;
  /** scores[at + j] += weight × values[j] for each of the int8 `values`. */
  add(at: number, values: Uint8Array, weight: number): void;
}

/**
 * Scores for `count` vectors, in columns of at most `column` values. The
 * WebAssembly memory holding them is reused by the next call (one search
 * at a time per thread), and kept: 4 bytes per vector of the largest
 * session searched.
 */
export function columnSums(count: number, column: number, options: { wasm?: boolean } = {}): ColumnSums {
  const simd = options.wasm === false ? undefined : loadSimd();
  if (!simd) return jsSums(count);
  const valuesAt = count * 4;
  const needed = valuesAt + column;
  const have = simd.memory.buffer.byteLength;
  if (have < needed) simd.memory.grow(Math.ceil((needed - have) / 65536));
  const bytes = new Uint8Array(simd.memory.buffer);
  bytes.fill(0, 0, valuesAt);
  const scores = new Float32Array(simd.memory.buffer, 0, count);
  return {
    scores,
    add(at, values, weight) {
      const pairs = values.length & ~1;
      bytes.set(values, valuesAt);
      if (pairs) simd.add(at * 4, valuesAt, pairs, weight);
      // An odd last value, in JS: the function works on pairs.
      if (pairs < values.length) scores[at + pairs]! += weight * ((values[pairs]! << 24) >> 24);
    },
  };
}

function jsSums(count: number): ColumnSums {
  const scores = new Float32Array(count);
  return {
    scores,
    add(at, values, weight) {
      const int8 = new Int8Array(values.buffer, values.byteOffset, values.length);
      // Indexing a view of the column's scores rather than scores[at + j]: V8 drops the offset and its checks (~3× faster).
      const into = scores.subarray(at, at + values.length);
      for (let j = 0; j < int8.length; j++) into[j]! += weight * int8[j]!;
    },
  };
}

/** Whether the WebAssembly function runs here (else the JS loop does). */
export function hasSimd(): boolean {
  return loadSimd() !== undefined;
}

interface Simd {
  memory: WasmMemory;
  /** (scores byte offset, values byte offset, pairs of values × 2, weight) */
  add: (into: number, values: number, n: number, weight: number) => void;
}

let simd: Simd | null | undefined;

function loadSimd(): Simd | undefined {
  if (simd === undefined) {
    const bytes = moduleBytes();
    simd = null;
    if (typeof WebAssembly === 'object' && WebAssembly.validate(bytes)) {
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes));
      simd = instance.exports as unknown as Simd;
    }
  }
  return simd ?? undefined;
}

/**
 * The module: memory 0 (exported as `memory`, one page to start) and
 * `add(into: i32, values: i32, n: i32, weight: f64)`, which for j = 0, 2, …
 * n − 2 turns the int8 values at values + j and values + j + 1 into float64,
 * multiplies them by weight, adds the float32 scores at into + 4j (widened),
 * and stores the sums back as float32. n must be even.
 */
function moduleBytes(): Uint8Array<ArrayBuffer> {
  const body = [
    0x02, 0x01, 0x7b, 0x01, 0x7f, //           locals: 4 = weight × 2 (v128), 5 = end (i32)
    0x20, 0x03, 0xfd, 0x14, 0x21, 0x04, //      weights = f64x2.splat(weight)
    0x20, 0x01, 0x20, 0x02, 0x6a, 0x21, 0x05, // end = values + n
    0x02, 0x40, //                              block
    0x20, 0x01, 0x20, 0x05, 0x4f, 0x0d, 0x00, //  if values >= end: break
    0x03, 0x40, //                                loop
    0x20, 0x00, //                                  (address to store at: into)
    0x20, 0x01, 0xfd, 0x08, 0x00, 0x00, //          v128.load16_splat values (the two int8 values)
    0xfd, 0x87, 0x01, //                            i16x8.extend_low_i8x16_s
    0xfd, 0xa7, 0x01, //                            i32x4.extend_low_i16x8_s
    0xfd, 0xfe, 0x01, //                            f64x2.convert_low_i32x4_s
    0x20, 0x04, 0xfd, 0xf2, 0x01, //                f64x2.mul weights
    0x20, 0x00, 0xfd, 0x5d, 0x00, 0x00, //          v128.load64_zero into (the two float32 scores)
    0xfd, 0x5f, //                                  f64x2.promote_low_f32x4
    0xfd, 0xf0, 0x01, //                            f64x2.add
    0xfd, 0x5e, //                                  f32x4.demote_f64x2_zero
    0xfd, 0x5b, 0x00, 0x00, 0x00, //                v128.store64_lane into, lane 0
    0x20, 0x00, 0x41, 0x08, 0x6a, 0x21, 0x00, //    into += 8
    0x20, 0x01, 0x41, 0x02, 0x6a, 0x22, 0x01, //    values += 2
    0x20, 0x05, 0x49, 0x0d, 0x00, //                if values < end: again
    0x0b, //                                      end loop
    0x0b, //                                    end block
    0x0b, //                                  end function
  ];
  const name = (text: string) => [text.length, ...Array.from(text, (c) => c.charCodeAt(0))];
  const section = (id: number, content: number[]) => [id, ...leb128(content.length), ...content];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, [0x01, 0x60, 0x04, 0x7f, 0x7f, 0x7f, 0x7c, 0x00]), // type: (i32, i32, i32, f64) → ()
    ...section(3, [0x01, 0x00]), // one function of that type
    ...section(5, [0x01, 0x00, 0x01]), // one memory, at least one page
    ...section(7, [0x02, ...name('add'), 0x00, 0x00, ...name('memory'), 0x02, 0x00]), // exports
    ...section(10, [0x01, ...leb128(body.length), ...body]), // code
  ]);
}

function leb128(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
