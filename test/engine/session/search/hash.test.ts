import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * (b[i] as number), 0);
const norm = (a: Float32Array) => Math.sqrt(cosine(a, a));

describe('hash embeddings', () => {
  it('are deterministic: same text, same vector, across instances and calls', async () => {
    const text = 'Fix the authentication bug in the login flow';
    const [a] = await new HashEmbedder().embed([text]);
    const [b] = await new HashEmbedder().embed([text]);
    expect(a).toEqual(b);
    expect(a).toHaveLength(256);
  });

  it('are the same on every machine and version (pinned values of hash-v1)', () => {
    const v = new HashEmbedder(16).embedOne('hello world');
    const pinned = [-0.29488391, 0, 0, 0.14744195, -0.7372098, 0, -0.14744195, 0, -0.29488391, -0.14744195, -0.14744195, 0, 0, -0.44232586, 0, 0];
    pinned.forEach((value, i) => expect(v[i]).toBeCloseTo(value, 6));
  });

  it('are unit length; text without words gets a fixed unit vector', () => {
    const e = new HashEmbedder(64);
    expect(norm(e.embedOne('some words here'))).toBeCloseTo(1, 5);
    const empty = e.embedOne('  ... !!! ');
    expect(norm(empty)).toBeCloseTo(1, 5);
    expect(empty[0]).toBe(1);
  });

  it('put similar texts closer than unrelated ones', () => {
    const e = new HashEmbedder();
    const query = e.embedOne('fix the authentication bug in login');
    const similar = e.embedOne('fixed authentication bugs in the login flow');
    const unrelated = e.embedOne('bake a chocolate cake with three eggs');
    expect(cosine(query, similar)).toBeGreaterThan(cosine(query, unrelated) + 0.3);
  });

  it('tolerate inflection and case through character trigrams', () => {
    const e = new HashEmbedder();
    const indexing = e.embedOne('Indexing sessions');
    expect(cosine(indexing, e.embedOne('indexed session'))).toBeGreaterThan(cosine(indexing, e.embedOne('grilled salmon')));
    expect(cosine(e.embedOne('SQLite'), e.embedOne('sqlite'))).toBeCloseTo(1, 5);
  });

  it('name their model and width in the id', () => {
    expect(new HashEmbedder(128).id).toBe('hash-v1:128');
    expect(() => new HashEmbedder(4)).toThrow(RangeError);
  });

  it('give ASCII text (read in one pass) the same vectors, bit for bit, as the general Unicode path', async () => {
    // A seeded mix of words, digits, capitals, punctuation, underscores and line breaks; the em dash
    // at the end is no word, but sends the same text down the general (NFKC, \p{L}) path.
    let seed = Number(process.env.KT_TEST_SEED ?? 7);
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const pieces = ['Fix', 'the', 'AUTH', 'bug', 'x', 'a1', '42', 'token_id', 'don\'t', 'e.g.', '--flag', '\n\n', '  ', '(CamelCase)', 'q'];
    const texts = ['', 'a', 'ab', '!!', ...Array.from({ length: 200 }, () => Array.from({ length: 1 + Math.floor(rand() * 30) }, () => pieces[Math.floor(rand() * pieces.length)]).join(rand() < 0.5 ? ' ' : ''))];
    const e = new HashEmbedder(64);
    const batch = await e.embed(texts);
    texts.forEach((text, i) => {
      const general = e.embedOne(`${text} \u2014`);
      expect(Array.from(batch[i] as Float32Array), `seed ${process.env.KT_TEST_SEED ?? 7}: ${JSON.stringify(text)}`).toEqual(Array.from(general));
      expect(e.embedOne(text)).toEqual(general);
    });
  });
});

