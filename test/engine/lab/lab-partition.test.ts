/**
 * Faults mid-call on a real nats-server: a worker killed while a tool call
 * runs, and a worker cut off by a partition (a TCP proxy) that comes back.
 * The host judges heartbeats by an injected clock and is told when to look
 * (`checkWorkers`), so nothing here waits on wall time. Whatever happens,
 * a tool call runs at most once: the moved creature reads it as interrupted,
 * and the worker that comes back is fenced before its next call.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import type { LeaseNews } from '../../../source/engine/lab/lease.js';
import type { LabWorker } from '../../../source/engine/lab/worker.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { tool } from '../../../source/engine/tools/define.js';
import type { FakeResponder } from '../../fakes/openai-server.js';
import { labRig, spec } from './rig.js';
import { startProxy, type TcpProxy } from './tcp-proxy.js';

installBuiltins();

let calls = 0;

type Wire = { role: string; content?: unknown; tool_calls?: unknown[] };

/** The model writes to the ledger when asked to write, and a second time when asked to write twice. */
const responder: FakeResponder = (request) => {
  const messages = (request.body as { messages: Wire[] }).messages;
  const last = messages.at(-1)!;
  const user = String([...messages].reverse().find((m) => m.role === 'user')?.content ?? '');
  const results = messages.filter((m) => m.role === 'tool').length;
  if (last.role === 'user' && user.includes('write')) return { toolCalls: [{ id: `call_${++calls}`, name: 'ledger_write', arguments: { entry: user } }] };
  // "write twice": after the first result, a second call.
  if (last.role === 'tool' && user.includes('twice') && results < 2) return { toolCalls: [{ id: `call_${++calls}`, name: 'ledger_write', arguments: { entry: 'again' } }] };
  return { text: 'noted' };
};

const rig = labRig({ responder, heartbeatMs: 1000, hostOptions: { checkEveryMs: 0, heartbeatMs: 0 } });
const { closers, host, next, heardFrom, failSilent } = rig;

/** A tool with side effects the test counts; the first call of each ledger waits for `release`. */
function ledger() {
  const ran: string[] = [];
  let entered!: () => void;
  const started = new Promise<void>((r) => (entered = r));
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const t = tool({
    name: 'ledger_write',
    description: 'Write an entry into the ledger.',
    input: z.object({ entry: z.string() }),
    execute: async ({ entry }) => {
      ran.push(entry);
      entered();
      await gate;
      return 'written';
    },
  });
  return { tool: t, ran, started, release };
}

/** A worker whose creatures have the ledger tool; `url` may lead through a proxy. */
function worker(lab: string, node: string, book: ReturnType<typeof ledger>, url = rig.nats.url): Promise<LabWorker> {
  return rig.worker(lab, node, { url, grantTimeoutMs: 500, team: { build: { tools: [book.tool] } } });
}

function hostClock() {
  const clock = { t: 1_000_000 };
  return { clock, now: () => clock.t };
}

function news(w: LabWorker, kind: LeaseNews['kind'], creature: string): Promise<LeaseNews> {
  return new Promise((resolve) => {
    const off = w.leases.on((n) => {
      if (n.kind !== kind || n.creature !== creature) return;
      off();
      resolve(n);
    });
  });
}

function logOf(path: string) {
  const reader = new SessionReader(path);
  try {
    return [...reader.events()];
  } finally {
    reader.close();
  }
}

describe('lab faults mid-call', () => {
  it('a worker killed during a tool call: failed at once, the call reported interrupted and never re-run, the creature goes on elsewhere', async () => {
    const { clock, now } = hostClock();
    const h = await host('kill', { now });
    const book = ledger();
    const wx = await worker('kill', 'wx', book);
    const wy = await worker('kill', 'wy', book);
    await Promise.all([heardFrom(h, wx), heardFrom(h, wy)]);
    expect(await h.spawn(spec('scribe', 'graph_kill'), { node: 'wx' })).toBe('wx');
    const turn = h.chat('scribe', 'write the kumquat entry');
    await book.started;
    // Killed mid-turn: the connection drops, the heartbeats stop; the call is still running.
    await wx.nc.close();
    const restarted = next(h, 'restarted');
    await failSilent(h, clock, wy);
    expect(h.status().workers.find((w) => w.node === 'wx')?.status).toBe('failed');
    expect((await turn).status).toBe('interrupted');
    expect(await restarted).toBe('scribe@wy');
    const reply = await h.chat('scribe', 'what happened?');
    expect(reply.text).toBe('noted');
    const last = JSON.stringify(rig.openai.requests.at(-1)!.body);
    expect(last).toContain('kumquat');
    expect(last).toContain('Interrupted: the worker running this call (wx) failed');
    book.release();
    expect(book.ran).toEqual(['write the kumquat entry']);
    await h.events.until(() => logOf(h.events.pathOf('graph_kill')).filter((e) => e.type === 'turn.end').length === 2);
    const log = logOf(h.events.pathOf('graph_kill'));
    const results = log.filter((e) => e.type === 'tool.result');
    expect(results.map((e) => (e as { status: string }).status)).toEqual(['interrupted']);
    expect(log.filter((e) => e.type === 'turn.end').length).toBe(2);
  });

  it('a partition: the cut-off worker pauses at its next tool call, is fenced when it comes back, and no call runs twice', async () => {
    const { clock, now } = hostClock();
    const h = await host('part', { now });
    const proxy: TcpProxy = await startProxy(rig.nats.port);
    closers.push(() => proxy.close());
    const book = ledger();
    const wp = await worker('part', 'wp', book, proxy.url);
    const wq = await worker('part', 'wq', book);
    await Promise.all([heardFrom(h, wp), heardFrom(h, wq)]);
    await h.spawn(spec('mover', 'graph_part'), { node: 'wp' });
    const epoch = h.status().creatures[0]!.epoch;
    const turn = h.chat('mover', 'write twice please');
    await book.started;
    proxy.cut();
    const restarted = next(h, 'restarted');
    await failSilent(h, clock, wq);
    expect((await turn).status).toBe('interrupted');
    expect(await restarted).toBe('mover@wq');
    expect(h.status().creatures[0]!.epoch).toBeGreaterThan(epoch);
    // The first call finishes on the cut-off worker; its second waits at the tool boundary.
    const paused = news(wp, 'paused', 'mover');
    book.release();
    await paused;
    expect(book.ran).toEqual(['write twice please']);
    // Heal: the worker is told it no longer owns the creature and stops it; the waiting call never runs.
    const fenced = news(wp, 'fenced', 'mover');
    proxy.heal();
    await fenced;
    expect(book.ran).toEqual(['write twice please']);
    expect(wp.team.listCreatures().map((m) => m.name)).not.toContain('mover');
    // Its events from after the move reach the stream and are refused as stale.
    await wp.tee.drain();
    await h.events.until(() => h.events.stale > 0);
    const results = logOf(h.events.pathOf('graph_part')).filter((e) => e.type === 'tool.result');
    expect(results.map((e) => (e as { status: string }).status)).toEqual(['interrupted']);
    // The creature goes on where it was moved.
    expect((await h.chat('mover', 'and now?')).text).toBe('noted');
  });
});
