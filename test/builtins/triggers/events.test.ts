/** Triggers that react to the creature's world: conversation changes, channel messages, a new session. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { build, tempDir, until } from './harness.js';

describe('context trigger', () => {
  it('fires once after other turns change the conversation (debounced), never after its own', async () => {
    const clock = new FakeClock();
    const b = await build({ clock });
    const id = await b.agent.addTrigger({ type: 'context', prompt: 'reflect', debounce_ms: 100 });
    await b.agent.run('one');
    await b.agent.run('two');
    await clock.advance(99);
    expect(b.fired()).toEqual([]);
    await clock.advance(1);
    await until(() => b.ends().length === 3);
    expect(b.fired()).toEqual(['reflect']);
    expect(b.events.find((e) => e.type === 'trigger.fired')).toMatchObject({ triggerId: id, kind: 'context' });
    // Its own turn changed the conversation too; that must not wake it again.
    await clock.advance(10_000);
    expect(b.fired()).toEqual(['reflect']);
    await b.agent.stop();
  });
});

describe('channel trigger', () => {
  it('turns messages on the creature\'s direct channel into turns, with channel facts', async () => {
    const b = await build();
    const id = await b.agent.addTrigger({ type: 'channel' });
    expect(b.agent.triggers[0]).toMatchObject({ id, description: "messages on 'bot'" });
    const sent = b.agent.channels.send('bot', 'hi', { sender: 'alice' });
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(["[Channel 'bot' from alice]: hi"]);
    expect(b.events.find((e) => e.type === 'trigger.fired')).toMatchObject({ context: { channel: 'bot', sender: 'alice', messageId: sent.message.id } });
    await b.agent.stop();
  });

  it('fills a prompt template and keeps only the wanted sender; stops listening when removed', async () => {
    const b = await build();
    const id = await b.agent.addTrigger({ type: 'channel', channel: 'news', filter_sender: 'bob', prompt: '{sender} on {channel}: {content}' });
    b.agent.channels.send('news', 'ignored', { sender: 'carol' });
    b.agent.channels.send('news', 'rain', { sender: 'bob' });
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(['bob on news: rain']);
    expect(b.agent.channels.listeners('news')).toEqual(['bot']);
    await b.agent.removeTrigger(id);
    expect(b.agent.channels.listeners('news')).toEqual([]);
    await b.agent.stop();
  });
});

describe('startup trigger', () => {
  it('startup_trigger fires once for a new session and not on resume', async () => {
    const session = join(tempDir(), 's.kohakutr');
    const pwd = tempDir();
    const config = { startup_trigger: { prompt: 'say hello' } };
    const first = await build({ config, session, pwd });
    await until(() => first.ends().length === 1);
    expect(first.fired()).toEqual(['say hello']);
    expect(first.agent.triggers).toMatchObject([{ id: 'startup', kind: 'startup', origin: 'config' }]);
    await first.agent.stop();
    const second = await build({ config, session, pwd });
    await second.agent.run('next');
    expect(second.fired()).toEqual([]);
    await second.agent.stop();
  });
});
