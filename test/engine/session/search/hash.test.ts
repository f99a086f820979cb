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
});
