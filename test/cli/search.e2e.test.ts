/**
 * kt embedding / kt search, run as a user would: the built binary, a
 * session file in a temporary session folder, no network (hash embeddings).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { debuggingSession, SessionBuilder } from '../engine/session/search/fixtures.js';
import { assertBuilt, baseEnv, kt } from './helpers.js';

beforeAll(() => assertBuilt());

const NAME = 'swe_20260101-120000_abcd';

/** A config home whose session folder holds the debugging session (and, when asked, a second one). */
function home(options: { second?: boolean } = {}): { env: Record<string, string>; path: string } {
  const env = baseEnv();
  const dir = join(env.KT_CONFIG_DIR as string, 'sessions');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${NAME}.kohakutr`);
  // Started 3.5 hours ago, so every block is "3h ago".
  debuggingSession(path, Date.now() - 3.5 * 3600_000).close();
  if (options.second) {
    const other = new SessionBuilder(join(dir, 'writer_20260102-090000_beef.kohakutr'), 'writer');
    other.user('draft the changelog for the token expiry fix').say('Changelog: fixed token expiry unit handling.').flush();
    other.close();
  }
  return { env, path };
}

describe('kt embedding', () => {
  it('indexes a session named by prefix and prints per-creature counts and totals', async () => {
    const { env } = home();
    const run = await kt(['embedding', 'swe_2026'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}swe\s+12 blocks$/m);
    expect(run.stdout).toMatch(/^ {2}swe\/explore\s+3 blocks$/m);
    expect(run.stdout).toMatch(/^Embedding: hash-v1 \(offline, lexical\)$/m);
    expect(run.stdout).toMatch(/^FTS: 15 blocks, Vector: 15 blocks \(256-dim\)$/m);

    // Again: nothing new, same totals; a new width re-embeds everything.
    expect((await kt(['embedding', 'swe_2026'], { env })).stdout).toMatch(/^FTS: 15 blocks, Vector: 15 blocks \(256-dim\)$/m);
    expect((await kt(['embedding', 'swe_2026', '--dimensions', '64'], { env })).stdout).toMatch(/^FTS: 15 blocks, Vector: 15 blocks \(64-dim\)$/m);
  });

  it('rejects bad flags and unknown sessions', async () => {
    const { env } = home();
    const provider = await kt(['embedding', NAME, '--provider', 'magic'], { env });
    expect(provider.code).toBe(2);
    expect(provider.stderr).toMatch(/^kt: unknown --provider 'magic'; use hash or api\n$/);
    expect((await kt(['embedding', NAME, '--dimensions', '3'], { env })).code).toBe(2);
    expect((await kt(['embedding'], { env })).code).toBe(2);
    const missing = await kt(['embedding', 'nothing-like-it'], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^kt: no session matches 'nothing-like-it'/);
  });

  it('needs a key for the api provider, and says how to set it', async () => {
    const { env } = home();
    const run = await kt(['embedding', NAME, '--provider', 'api'], { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no API key for openai: set OPENAI_API_KEY or run kt login openai/);
  });
});

describe('kt search', () => {
  it('--json: hits with their round, kind, tool, creature, score and age', async () => {
    const { env, path } = home();
    const run = await kt(['search', path, 'npm test', '--json', '--mode', 'fts'], { env });
    expect(run.code).toBe(0);
    const hits = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    expect(hits[0]).toMatchObject({ kind: 'tool', tool: 'bash', creature: 'swe', round: 2, block: 2, age: '3h ago' });
    expect(hits[0]?.content).toMatch(/^\[tool:bash\] command=npm test/);
    expect(typeof hits[0]?.score).toBe('number');
    expect(hits.length).toBeLessThanOrEqual(10);
  });

  it('text: "#i  [round R]  kind[:tool]  (creature)  age", then the content cut at 200 characters', async () => {
    const { env } = home();
    const run = await kt(['search', NAME, 'token', 'expiry', '-k', '3'], { env });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n').filter(Boolean);
    expect(lines).toHaveLength(6);
    lines.forEach((line, i) => {
      if (i % 2 === 0) expect(line).toMatch(new RegExp(`^#${i / 2 + 1} {2}\\[round \\d+\\] {2}(user|text|trigger|tool:\\w+) {2}\\(swe(/explore)?\\) {2}3h ago$`));
      else expect(line).toMatch(/^ {4}\S.{0,199}…?$/);
    });
  });

  it('semantic without embeddings fails (exit 1) and says to run kt embedding; hybrid falls back to full text', async () => {
    const { env } = home();
    const semantic = await kt(['search', NAME, 'token', '--mode', 'semantic'], { env });
    expect(semantic.code).toBe(1);
    expect(semantic.stderr).toMatch(/has no embeddings.*kt embedding/);
    const hybrid = await kt(['search', NAME, 'token', '--mode', 'hybrid', '--json'], { env });
    expect(hybrid.code).toBe(0);
    expect(hybrid.stderr).toMatch(/fell back to full text/);
    expect((JSON.parse(hybrid.stdout) as unknown[]).length).toBeGreaterThan(0);
  });

  it('after kt embedding, semantic and auto (hybrid) search work', async () => {
    const { env } = home();
    expect((await kt(['embedding', NAME], { env })).code).toBe(0);
    const semantic = await kt(['search', NAME, 'expiry compared in seconds against milliseconds', '--mode', 'semantic', '-k', '1', '--json'], { env });
    expect(semantic.code).toBe(0);
    expect((JSON.parse(semantic.stdout) as Array<{ content: string }>)[0]?.content).toMatch(/seconds/);
    const auto = await kt(['search', NAME, 'regression test', '--json'], { env });
    expect(auto.stderr).toBe('');
    expect((JSON.parse(auto.stdout) as Array<{ score: number }>)[0]?.score).toBeLessThan(0.05); // an RRF score
  });

  it('--creature keeps one creature or sub-agent; FTS syntax in the query is harmless', async () => {
    const { env } = home();
    const run = await kt(['search', NAME, 'expiry', '--creature', 'explore', '--json'], { env });
    const hits = JSON.parse(run.stdout) as Array<{ creature: string }>;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.creature === 'swe/explore')).toBe(true);
    const nasty = await kt(['search', NAME, 'auth-bug "fix (NOT'], { env });
    expect(nasty.code).toBe(0);
  });

  it('--all searches every session and names the session of each hit', async () => {
    const { env } = home({ second: true });
    const run = await kt(['search', '--all', 'changelog token expiry', '--json'], { env });
    expect(run.code).toBe(0);
    const hits = JSON.parse(run.stdout) as Array<{ sessionName: string }>;
    expect(new Set(hits.map((h) => h.sessionName))).toEqual(new Set([NAME, 'writer_20260102-090000_beef']));
    const text = await kt(['search', '--all', 'changelog', '-k', '1'], { env });
    expect(text.stdout).toMatch(/^#1 {2}\[round 1\] {2}(user|text) {2}\(writer\) {2}.+ago {2}writer_20260102-090000_beef$/m);
  });

  it('reports no matches, and usage errors with exit 2', async () => {
    const { env } = home();
    const none = await kt(['search', NAME, 'zebra'], { env });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('No matches for "zebra".\n');
    const mode = await kt(['search', NAME, 'x', '--mode', 'fuzzy'], { env });
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/^kt: unknown --mode 'fuzzy'; use fts, semantic, hybrid, auto\n$/);
    expect((await kt(['search', NAME], { env })).code).toBe(2);
    expect((await kt(['search'], { env })).code).toBe(2);
    expect((await kt(['search', NAME, 'x', '-k', '0'], { env })).code).toBe(2);
  });
});
