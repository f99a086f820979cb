import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toFtsQuery } from '../../../../source/engine/session/search/fts-query.js';
import { searchSession } from '../../../../source/engine/session/search/search.js';
import { debuggingSession, SessionBuilder, tempDir } from './fixtures.js';

const builders: SessionBuilder[] = [];
afterEach(() => {
  for (const b of builders.splice(0)) b.close();
});

function session(fill: (b: SessionBuilder) => void): SessionBuilder {
  const b = new SessionBuilder(join(tempDir(), 's.kohakutr'));
  builders.push(b);
  fill(b);
  b.flush();
  return b;
}

describe('full-text search', () => {
  it('ranks blocks matching more (and rarer) query terms first, with BM25 scores decreasing', async () => {
    const b = session((s) =>
      s
        .user('what is the weather like')
        .say('The busy bee flies over the garden.')
        .say('SQLite returns SQLITE_BUSY when the busy timeout expires before the lock is released.')
        .say('SQLite stores the whole database in one file.')
        .say('Nothing relevant here at all.'),
    );
    const hits = await searchSession(b.store, 'sqlite busy timeout', { mode: 'fts' });
    expect(hits[0]?.content).toContain('busy timeout');
    expect(hits.map((h) => h.content)).not.toContain('Nothing relevant here at all.');
    expect(hits).toHaveLength(3);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]!.score).toBeGreaterThanOrEqual(hits[i]!.score);
    expect(hits[0]!.score).toBeGreaterThan(0);
  });

  it('stems with porter: "failing" finds "fails", "refreshed" finds "refresh"', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    const failing = await searchSession(b.store, 'failing', { mode: 'fts' });
    expect(failing.some((h) => h.content.includes('The login fails'))).toBe(true);
    const refreshed = await searchSession(b.store, 'refreshed', { mode: 'fts', k: 20 });
    expect(refreshed.some((h) => h.content.includes('token refresh.'))).toBe(true);
  });

  it('returns hits with their place in the history and an age', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    const [hit] = await searchSession(b.store, '"npm test"', { mode: 'fts', k: 1, now: b.now + 3 * 3600_000 });
    expect(hit).toMatchObject({ kind: 'tool', tool: 'bash', creature: 'swe', round: 2, block: 2, turn: 2, branch: 1, age: '3h ago' });
    expect(hit?.eventId).toBeGreaterThan(0);
  });

  it('filters by creature: a name keeps its sub-agents; a sub-agent name keeps only that one', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    const all = await searchSession(b.store, 'expiry expires', { mode: 'fts', k: 50 });
    expect(new Set(all.map((h) => h.creature))).toEqual(new Set(['swe', 'swe/explore']));
    for (const filter of ['explore', 'swe/explore']) {
      const only = await searchSession(b.store, 'expiry expires', { mode: 'fts', k: 50, creature: filter });
      expect(only.length).toBeGreaterThan(0);
      expect(only.every((h) => h.creature === 'swe/explore')).toBe(true);
    }
    expect(await searchSession(b.store, 'expiry expires', { mode: 'fts', k: 50, creature: 'swe' })).toHaveLength(all.length);
    expect(await searchSession(b.store, 'expiry', { mode: 'fts', creature: 'nobody' })).toEqual([]);
  });

  it('limits the hits to k', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    expect(await searchSession(b.store, 'token', { mode: 'fts', k: 2 })).toHaveLength(2);
    await expect(searchSession(b.store, 'token', { mode: 'fts', k: 0 })).rejects.toThrow(/k must be/);
  });

  it('takes any user text without an FTS syntax error', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    builders.push(b);
    const nasty = ['auth-bug "fix', 'foo(bar)', 'C++', 'NOT', 'a AND', 'OR OR', 'NEAR(a b)', '"', '*', 'key:value', '^start', 'col:"x"', '-', "it's", '""', '{a b}', 'token*', 'a + b', '🙂'];
    for (const query of nasty) await expect(searchSession(b.store, query, { mode: 'fts' })).resolves.toBeInstanceOf(Array);
    expect((await searchSession(b.store, 'auth-bug "fix', { mode: 'fts' })).some((h) => /fix/i.test(h.content))).toBe(true);
  });
});

describe('toFtsQuery', () => {
  it('quotes every word, keeps phrases and prefixes, joins with OR', () => {
    expect(toFtsQuery('token expiry')).toBe('"token" OR "expiry"');
    expect(toFtsQuery('"npm test" fails')).toBe('"npm test" OR "fails"');
    expect(toFtsQuery('auth-bug "fix')).toBe('"auth-bug" OR "fix"');
    expect(toFtsQuery('index*')).toBe('"index"*');
    expect(toFtsQuery('NOT AND')).toBe('"NOT" OR "AND"');
  });

  it('drops common words unless nothing else is left or they are in a phrase', () => {
    expect(toFtsQuery('how did we fix the auth bug')).toBe('"fix" OR "auth" OR "bug"');
    expect(toFtsQuery('the')).toBe('"the"');
    expect(toFtsQuery('"the end" of it')).toBe('"the end"');
  });

  it('drops parts without letters or digits', () => {
    expect(toFtsQuery('* " - ()')).toBeUndefined();
    expect(toFtsQuery('')).toBeUndefined();
    expect(toFtsQuery('C++ ()')).toBe('"C++"');
  });
});
