/**
 * The `search_memory` builtin tool over a real session file (kept here with
 * the search tests it exercises).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SESSION_PATH_KEY, searchMemoryTool } from '../../../../source/builtins/tools/search-memory.js';
import { saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { embedBlocks, vectorInfo } from '../../../../source/engine/session/search/vectors.js';
import type { ToolContext } from '../../../../source/engine/tools/tool.js';
import { debuggingSession, tempDir } from './fixtures.js';

function context(state: Record<string, unknown> = {}): ToolContext {
  return {
    signal: new AbortController().signal,
    cwd: tempDir(),
    callId: 'call_1',
    creature: 'swe',
    session: { id: 'session_x', state: new Map(Object.entries(state)) },
    env: { KT_CONFIG_DIR: tempDir() },
    allowedPaths: [],
    runtime: {},
    emit: () => {},
  };
}

async function run(args: unknown, ctx: ToolContext): Promise<string> {
  const tool = searchMemoryTool.create({});
  const parsed = tool.parse(args);
  if (!parsed.ok) throw new Error(parsed.error);
  return (await tool.execute(parsed.value, ctx)) as string;
}

describe('search_memory', () => {
  it('has the schema of the original: query required, mode, k default 5', () => {
    const tool = searchMemoryTool.create({});
    expect(tool.name).toBe('search_memory');
    expect(tool.parameters).toMatchObject({ required: ['query'], properties: { mode: { default: 'auto' }, k: { default: 5 } } });
    expect(tool.parse({})).toMatchObject({ ok: false });
  });

  it('indexes the session lazily and lists hits as #i [round R] kind[:tool] (creature) age', async () => {
    const path = join(tempDir(), 's.kohakutr');
    const b = debuggingSession(path);
    try {
      const out = await run({ query: 'npm test', mode: 'fts' }, context({ [SESSION_PATH_KEY]: path }));
      expect(out.split('\n')[0]).toMatch(/^#1 \[round 2\] tool:bash \(swe\) (\d+[smhd]|just now)( ago)?/);
      expect(out).toContain('[tool:bash] command=npm test');
      expect(out.match(/^#\d+ /gm)?.length).toBeLessThanOrEqual(5);
      // What the creature logs next is found by the next call.
      b.user('remember the cache TTL is 90 seconds').flush();
      expect(await run({ query: 'cache TTL', k: 1 }, context({ [SESSION_PATH_KEY]: path }))).toMatch(/^#1 \[round 4\] user \(swe\)/);
    } finally {
      b.close();
    }
  });

  it('cuts long content at 500 characters', async () => {
    const path = join(tempDir(), 's.kohakutr');
    const b = debuggingSession(path);
    try {
      b.user('dump').tool('read', { path: 'big.txt' }, `needle ${'z '.repeat(800)}`).flush();
      const out = await run({ query: 'needle', k: 1 }, context({ [SESSION_PATH_KEY]: path }));
      const content = out.split('\n').slice(1).join('\n');
      expect(content.length).toBe(501);
      expect(content.endsWith('…')).toBe(true);
    } finally {
      b.close();
    }
  });

  it('keeps embeddings up to date when the session has them, and searches semantically', async () => {
    const path = join(tempDir(), 's.kohakutr');
    const b = debuggingSession(path);
    try {
      indexBlocks(b.store);
      saveEmbeddingConfig(b.store, { provider: 'hash', model: 'hash-v1', dimensions: 256 });
      await embedBlocks(b.store, new HashEmbedder());
      b.user('the staging database password rotates monthly').flush();
      const out = await run({ query: 'staging database password', mode: 'semantic', k: 1 }, context({ [SESSION_PATH_KEY]: path }));
      expect(out).toContain('rotates monthly');
      expect(vectorInfo(b.store)?.count).toBe(16);
    } finally {
      b.close();
    }
  });

  it('says clearly when there is no session, or no embeddings for semantic search', async () => {
    await expect(run({ query: 'x' }, context())).rejects.toThrow(/no saved session/);
    const path = join(tempDir(), 's.kohakutr');
    debuggingSession(path).close();
    await expect(run({ query: 'x', mode: 'semantic' }, context({ [SESSION_PATH_KEY]: path }))).rejects.toThrow(/kt embedding/);
    expect(await run({ query: 'zebra' }, context({ [SESSION_PATH_KEY]: path }))).toBe('No matches for "zebra" in this session\'s history.');
  });
});
