/**
 * Session files for the search tests: a real `SessionStore` on disk, filled
 * with the events a creature would log (turns, assistant steps, tool calls
 * and results, triggers, sub-agents), with a controllable clock.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentEvent, EventDraft, InputSource } from '../../../../source/engine/events.js';
import { turnIdFor } from '../../../../source/engine/events.js';
import { SessionStore } from '../../../../source/engine/session/store.js';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kt-search-'));
}

const USAGE = { input: 1, output: 1, cached: 0 };
const TIMINGS = { ttftMs: 1, modelMs: 1, toolsMs: 0, overheadMs: 0 };

/** Writes a creature's events into a new session file. */
export class SessionBuilder {
  readonly store: SessionStore;
  /** Epoch ms stamped on the next event; advances 1 s per event. */
  now: number;
  private seq = 0;
  private turn: number | null = null;
  private branch = 1;
  private calls = 0;
  private agentPath: string[];

  constructor(
    readonly path: string,
    readonly creature = 'swe',
    start = Date.now() - 3 * 3600_000,
  ) {
    this.now = start;
    this.agentPath = [creature];
    this.store = SessionStore.create(path, {
      sessionId: `session_${Math.random().toString(16).slice(2, 10)}`,
      kind: 'agent',
      configRef: '@kt-biome/creatures/swe',
      pwd: '/tmp',
      createdAt: start,
      lastActive: start,
      agents: [creature],
      turns: 0,
    });
  }

  /** A user turn (or a trigger/channel one, by `source`). */
  user(text: string, options: { source?: InputSource; branch?: number } = {}): this {
    this.turn = (options.branch && options.branch > 1 ? this.turn : (this.turn ?? 0) + 1) ?? 1;
    this.branch = options.branch ?? 1;
    return this.emit({ type: 'turn.start', turnIndex: this.turn, branch: this.branch, input: text, source: options.source ?? 'user' });
  }

  /** An assistant round that ends with `text`. */
  say(text: string): this {
    return this.emit({ type: 'step.end', step: 1, text, toolCalls: [], finishReason: 'stop', model: 'fake', usage: USAGE, timings: TIMINGS });
  }

  /** A tool call and its result. */
  tool(name: string, args: Record<string, unknown>, output: string, options: { isError?: boolean } = {}): this {
    const callId = `call_${++this.calls}`;
    this.emit({ type: 'tool.call', callId, name, args, step: 1, background: false });
    return this.emit({ type: 'tool.result', callId, name, output, isError: options.isError ?? false, status: options.isError ? 'error' : 'ok', durationMs: 5 });
  }

  trigger(kind: string, content: string): this {
    return this.emit({ type: 'trigger.fired', triggerId: `t_${kind}`, kind, name: kind, content, queued: false });
  }

  channel(channel: string, sender: string, content: string): this {
    return this.emit({ type: 'channel.message', channel, sender, content, messageId: `m_${this.seq}` });
  }

  /** Events that yield no blocks (streaming deltas, usage). */
  noise(): this {
    this.emit({ type: 'text.delta', step: 1, text: 'partial' });
    return this.emit({ type: 'usage', turn: USAGE, total: USAGE, contextTokens: 10 });
  }

  /** Run `fn` as the sub-agent `name` of this creature. */
  subagent(name: string, fn: (b: this) => void): this {
    const saved = this.agentPath;
    this.agentPath = [...saved, name];
    try {
      fn(this);
    } finally {
      this.agentPath = saved;
    }
    return this;
  }

  emit(draft: EventDraft): this {
    const event = {
      ...draft,
      seq: ++this.seq,
      ts: this.now,
      sessionId: this.store.meta.sessionId,
      creatureId: `${this.creature}_1`,
      turnId: this.turn === null ? null : turnIdFor(this.turn, this.branch),
      agentPath: this.agentPath,
    } as AgentEvent;
    this.now += 1000;
    this.store.append(event, { turn: this.turn, branch: this.turn === null ? null : this.branch });
    return this;
  }

  flush(): this {
    this.store.flush();
    return this;
  }

  close(): void {
    this.store.close();
  }
}

/**
 * A realistic small session: a bug hunt with tool calls, a long answer, a
 * trigger-started round and a sub-agent.
 */
export function debuggingSession(path: string, start?: number): SessionBuilder {
  const b = new SessionBuilder(path, 'swe', start);
  b.user('The login fails with an authentication error after the token refresh. Can you find the bug?')
    .noise()
    .tool('grep', { pattern: 'refreshToken', path: 'src/auth' }, 'src/auth/session.ts:42:  const token = refreshToken(old);\nsrc/auth/session.ts:57:  cache.set(token);')
    .tool('read', { path: 'src/auth/session.ts' }, '42  const token = refreshToken(old);\n43  // BUG: the expiry is compared in seconds against milliseconds\n44  if (token.expires < Date.now()) throw new AuthError("expired");')
    .say('Found it: the token expiry is stored in seconds but compared against Date.now() in milliseconds, so every refreshed token looks expired.')
    .user('Fix it and run the tests.')
    .tool('edit', { path: 'src/auth/session.ts', old: 'token.expires <', new: 'token.expires * 1000 <' }, 'Edited src/auth/session.ts')
    .tool('bash', { command: 'npm test' }, 'FAIL test/auth.test.ts\n  expected 200, received 401', { isError: true })
    .subagent('explore', (s) => s.user('Look for other places that compare token expiry').tool('grep', { pattern: 'expires' }, 'src/api/client.ts:88: if (expires < now)').say('One more comparison in src/api/client.ts line 88 uses the same seconds value.'))
    .say(
      [
        'The tests still fail because the API client has the same unit mix-up: it reads the expiry field from the cached token and compares it with the current time in milliseconds.',
        'I changed src/api/client.ts as well, converting the expiry from seconds to milliseconds before comparing. This keeps both code paths consistent with the token format returned by the identity provider, which documents the field as Unix seconds.',
        'After both edits the whole suite passes: 212 tests, no failures. I also added a regression test that refreshes a token with a one hour lifetime and checks that it is accepted.',
      ].join('\n\n'),
    )
    .trigger('timer', 'Daily reminder: summarise what changed today')
    .user('Daily reminder: summarise what changed today', { source: 'trigger' })
    .say('Today: fixed the token expiry unit bug in the session refresh and the API client; all tests pass.')
    .flush();
  return b;
}
