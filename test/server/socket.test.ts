/**
 * The session WebSocket: reconnect with `since` loses and repeats nothing;
 * a client that stops reading is told it lagged while the engine runs on; a
 * client sending garbage is closed with a reason and the others are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { api, CREATURE, startHarness, type Harness } from './harness.js';

// `ws` ships no types in this tree; the client is used for pause() (a reader that stops reading).
const { WebSocket: WS } = (await import('ws' as string)) as { WebSocket: any };

interface Frame {
  type: string;
  seq?: number;
  [key: string]: unknown;
}

/** A socket client that records every frame and how it closed. */
function connect(h: Harness, id: string, since?: number) {
  const url = `${h.url.replace('http', 'ws')}/api/sessions/${id}/socket${since !== undefined ? `?since=${since}` : ''}`;
  const ws = new WS(url);
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  let closed: { code: number; reason: string } | undefined;
  ws.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString()));
    for (const w of waiters.splice(0)) w();
  });
  ws.on('close', (code: number, reason: Buffer) => {
    closed = { code, reason: reason.toString() };
    for (const w of waiters.splice(0)) w();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const next = () => new Promise<void>((resolve) => waiters.push(resolve));
  return {
    ws,
    frames,
    opened,
    get closed() {
      return closed;
    },
    events: () => frames.filter((f) => typeof f.seq === 'number' && !f.type.startsWith('socket.')),
    async waitFor(test: (f: Frame[]) => boolean, what: string) {
      while (!test(frames)) {
        if (closed) throw new Error(`socket closed (${closed.code} ${closed.reason}) before ${what}`);
        await next();
      }
    },
    async waitClosed() {
      while (!closed) await next();
      return closed;
    },
  };
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ script: [{ text: 'one two three four five six seven eight nine ten', chunkSize: 4 }], server: { socket: { highWaterMark: 64 * 1024 } } });
});
afterAll(async () => h?.close());

describe('session WebSocket', () => {
  it('replays from since after a reconnect mid-turn: nothing lost, nothing doubled', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const first = connect(h, s.id, 0);
    await first.opened;
    await first.waitFor((f) => f.some((x) => x.type === 'socket.ready'), 'ready');
    const waiting = h.llm.hold();
    first.ws.send(JSON.stringify({ type: 'input', text: 'count to ten' }));
    await waiting; // the turn is running and waits at the model
    await first.waitFor((f) => f.some((x) => x.type === 'step.start'), 'step.start');
    first.ws.terminate();
    await first.waitClosed();
    const seen = first.events();
    const lastSeen = seen.at(-1)!.seq!;

    h.llm.release(); // the rest of the turn happens while nobody is connected
    await until(() => h.server.studio.session(s.id).log.since(0).events.some((e) => e.type === 'turn.end'), 'turn.end');

    const second = connect(h, s.id, lastSeen);
    await second.opened;
    await second.waitFor((f) => f.some((x) => x.type === 'turn.end'), 'turn.end after reconnect');
    const all = [...seen, ...second.events()].map((e) => e.seq!);
    const expected = h.server.studio.session(s.id).log.since(0).events.map((e) => e.seq);
    expect(all).toEqual(expected);
    expect(new Set(all).size).toBe(all.length);
    expect(second.events().filter((e) => e.type === 'text.delta').length).toBeGreaterThan(1);
    second.ws.close();
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });

  it('closes a client sending garbage with a reason; another client keeps its stream', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const bad = connect(h, s.id);
    const good = connect(h, s.id);
    await Promise.all([bad.opened, good.opened]);
    bad.ws.send('this is not json');
    expect(await bad.waitClosed()).toEqual({ code: 1003, reason: 'bad frame: not JSON' });
    const worse = connect(h, s.id);
    await worse.opened;
    worse.ws.send(JSON.stringify({ type: 'launch-missiles' }));
    expect((await worse.waitClosed()).code).toBe(1003);
    const huge = connect(h, s.id);
    await huge.opened;
    huge.ws.send(JSON.stringify({ type: 'input', text: 'x'.repeat(3 * 1024 * 1024) }));
    expect((await huge.waitClosed()).code).toBe(1009);
    good.ws.send(JSON.stringify({ type: 'input', text: 'still there?' }));
    await good.waitFor((f) => f.some((x) => x.type === 'turn.end'), 'turn.end');
    expect(good.closed).toBeUndefined();
    good.ws.close();
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });

  it('tells a client that stopped reading that it lagged, without holding the turn back', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const slow = connect(h, s.id, 0);
    await slow.opened;
    await slow.waitFor((f) => f.some((x) => x.type === 'socket.ready'), 'ready');
    slow.ws._socket.pause(); // stops reading: the server's send buffer fills
    const turn = h.server.studio.session(s.id);
    h.llm.push({ text: big, chunkSize: 128 * 1024 });
    turn.send('a long answer please');
    // The engine finishes the turn though the client reads nothing.
    await until(() => turn.log.since(0).events.some((e) => e.type === 'turn.end'), 'turn.end with a stalled client');
    slow.ws._socket.resume();
    const closed = await slow.waitClosed();
    expect(closed.code).toBe(4008);
    const notice = slow.frames.find((f) => f.type === 'socket.lagged') as unknown as { lastSeq: number };
    expect(notice).toBeDefined();
    // Reconnecting from the last seq it got gives the rest, once.
    const got = slow.events().map((e) => e.seq!);
    expect(notice.lastSeq).toBe(got.at(-1));
    const again = connect(h, s.id, notice.lastSeq);
    await again.waitFor((f) => f.some((x) => x.type === 'socket.ready'), 'ready');
    const all = [...got, ...again.events().map((e) => e.seq!)];
    expect(all).toEqual(turn.log.since(0).events.map((e) => e.seq));
    again.ws.close();
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });

  it('answers an interaction over the socket', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const client = connect(h, s.id);
    await client.waitFor((f) => f.some((x) => x.type === 'socket.ready'), 'ready');
    const asked = h.server.studio.session(s.id).agent.interactions.request('ask', { question: 'name?' });
    await client.waitFor((f) => f.some((x) => x.type === 'interaction.request'), 'interaction.request');
    const request = client.frames.find((x) => x.type === 'interaction.request') as unknown as { id: string };
    client.ws.send(JSON.stringify({ type: 'answer', id: 'not-open', reply: 'x' }));
    await client.waitFor((f) => f.some((x) => x.type === 'socket.error'), 'socket.error');
    client.ws.send(JSON.stringify({ type: 'answer', id: request.id, reply: 'Kohaku' }));
    await expect(asked).resolves.toBe('Kohaku');
    await client.waitFor((f) => f.some((x) => x.type === 'interaction.reply'), 'interaction.reply');
    client.ws.close();
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });

  it('replays events older than the in-memory buffer from the session file', async () => {
    const small = await startHarness({ script: [{ text: 'a long enough answer to stream in many small pieces', chunkSize: 3 }], server: { studio: { replayBuffer: 5 } } });
    try {
      const { json: s } = await api(small, 'POST', '/api/sessions', { creature: CREATURE });
      await api(small, 'POST', `/api/sessions/${s.id}/input`, { text: 'go' });
      const live = small.server.studio.session(s.id);
      await until(() => live.log.since(0).events.some((e) => e.type === 'turn.end'), 'turn.end');
      expect(live.log.since(0).lagged).toBeGreaterThan(5);
      const client = connect(small, s.id, 0);
      await client.waitFor((f) => f.some((x) => x.type === 'socket.ready'), 'ready');
      const events = client.events();
      const seqs = events.map((e) => e.seq!);
      // The file merges a step's consecutive deltas into one (same text, fewer seqs): increasing, never repeated, ending at the last.
      expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
      expect(seqs[0]).toBe(1);
      expect(seqs.at(-1)).toBe(live.log.lastSeq);
      const text = events.filter((e) => e.type === 'text.delta').map((e) => e.text).join('');
      expect(text).toBe('a long enough answer to stream in many small pieces');
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['creature.start', 'turn.start', 'step.start', 'step.end', 'turn.end']));
      expect(client.frames.some((f) => f.type === 'socket.lagged')).toBe(false);
      client.ws.close();
    } finally {
      await small.close();
    }
  });

  it('404s a socket for an unknown session', async () => {
    const ws = connect(h, 'nope');
    await expect(ws.opened).rejects.toThrow(/404/);
  });
});
