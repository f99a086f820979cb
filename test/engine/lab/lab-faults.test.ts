/**
 * Faults in a lab on a real nats-server: a worker that goes silent is failed
 * within a heartbeat interval and its creature continues on another worker
 * from the host's copy of its log; a host that restarts loses no event and
 * stores none twice (JetStream keeps them while it is away).
 */
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { labRig, spec } from './rig.js';

installBuiltins();

/** The host's clock: heartbeats are judged by it, and only when the test calls `checkWorkers`. */
const clock = { t: 1_000_000 };
const rig = labRig({ heartbeatMs: 1000, hostOptions: { checkEveryMs: 0, now: () => clock.t } });
const { tmp, worker, host, joined, next, failSilent, turnEnds } = rig;

describe('lab faults', () => {
  it('a worker that goes silent is failed, and its creature continues elsewhere with its conversation', async () => {
    const h = await host('fail');
    const wx = await worker('fail', 'wx');
    const wy = await worker('fail', 'wy');
    await joined(h, ['wx', 'wy']);
    expect(await h.spawn(spec('keeper', 'graph_fail'), { node: 'wx' })).toBe('wx');
    await h.chat('keeper', 'remember the word kumquat');
    await h.events.until(() => turnEnds(h, 'graph_fail', 'keeper') === 1);
    const failed = next(h, 'failed');
    const restarted = next(h, 'restarted');
    // Gone without a goodbye: its connection drops, its heartbeats stop; a heartbeat's worth of time later, wy still beats.
    await wx.nc.close();
    await failSilent(h, clock, wy);
    expect(await failed).toBe('wx');
    expect(h.status().workers.find((w) => w.node === 'wx')?.status).toBe('failed');
    expect(await restarted).toBe('keeper@wy');
    const reply = await h.chat('keeper', 'what was the word?');
    expect(reply.text).toBe('noted');
    // The model saw the conversation from before the move.
    const last = rig.openai.requests.at(-1)!.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(last.messages)).toContain('kumquat');
    await h.events.until(() => turnEnds(h, 'graph_fail', 'keeper') === 2);
  });

  it('a host restart loses no event and stores none twice', async () => {
    const dir = tmp('host');
    const h1 = await host('restart', { sessionDir: dir });
    const w = await worker('restart', 'solo');
    await joined(h1, ['solo']);
    await h1.spawn(spec('steady', 'graph_restart'));
    await h1.chat('steady', 'one');
    await h1.events.until(() => turnEnds(h1, 'graph_restart', 'steady') === 1);
    await h1.close();
    // While no host runs, the creature works on; its events wait in the stream.
    const member = w.team.require('steady');
    await member.run('two');
    await member.run('three');
    await w.tee.settled();
    const h2 = await host('restart', { sessionDir: dir });
    await h2.events.until(() => turnEnds(h2, 'graph_restart', 'steady') === 3);
    const reader = new SessionReader(h2.events.pathOf('graph_restart'));
    const events = [...reader.events()];
    reader.close();
    const keys = events.map((e) => `${e.creatureId}|${e.agentPath.join('/')}|${e.seq}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(events.filter((e) => e.type === 'turn.start').length).toBe(3);
  });
});
