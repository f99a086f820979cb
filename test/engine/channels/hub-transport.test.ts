/**
 * The hub's transport seam, with two hubs joined by an in-memory transport
 * (what the Laboratory does over NATS): the hub keeps its semantics across
 * the seam — broadcast to every other listener, a queue to exactly one.
 */
import { describe, expect, it } from 'vitest';
import { ChannelHub, type ChannelMessage, type ChannelTransport } from '../../../source/engine/channels/hub.js';

function join(a: ChannelHub, b: ChannelHub): void {
  const transport = (other: ChannelHub): ChannelTransport => ({
    changed: () => undefined,
    remoteChannel: (name) => other.directory().find((c) => c.name === name)?.type,
    remoteListeners: (channel) => (other.directory().find((c) => c.name === channel)?.listeners ?? []).map((who) => ({ who, deliver: (m: ChannelMessage) => void other.receive(m, who) })),
    broadcast: (message) => other.receive(message),
  });
  a.useTransport(transport(b));
  b.useTransport(transport(a));
}

describe('ChannelHub with a transport', () => {
  it('a broadcast reaches every other listener on both hubs, never the sender', () => {
    const a = new ChannelHub();
    const b = new ChannelHub();
    join(a, b);
    const heard: string[] = [];
    for (const [hub, who] of [[a, 'x'], [a, 'y'], [b, 'z'], [b, 'x']] as const) hub.listen('news', who, (m) => heard.push(`${who}:${m.content}`));
    const sent = a.send('news', 'hi', { sender: 'x' });
    expect(heard.sort()).toEqual(['y:hi', 'z:hi']);
    expect(sent.deliveredTo.sort()).toEqual(['y', 'z']);
  });

  it('a queue hands each message to exactly one other listener, in turn across hubs', () => {
    const a = new ChannelHub();
    const b = new ChannelHub();
    join(a, b);
    a.define('jobs', { type: 'queue' });
    b.define('jobs', { type: 'queue' });
    const got: string[] = [];
    a.listen('jobs', 'boss', () => got.push('boss'));
    a.listen('jobs', 'w1', () => got.push('w1'));
    b.listen('jobs', 'w2', () => got.push('w2'));
    for (let i = 0; i < 6; i++) a.send('jobs', `job ${i}`, { sender: 'boss' });
    expect(got).toEqual(['w1', 'w2', 'w1', 'w2', 'w1', 'w2']);
  });

  it('sending on a channel only the other hub has defines it here', () => {
    const a = new ChannelHub();
    const b = new ChannelHub();
    join(a, b);
    const heard: string[] = [];
    b.listen('bob', 'bob', (m) => heard.push(m.content));
    a.send('bob', 'direct', { sender: 'alice' });
    expect(heard).toEqual(['direct']);
    expect(() => a.send('nobody', 'x', { sender: 'alice' })).toThrow(/no channel 'nobody'/);
  });
});
