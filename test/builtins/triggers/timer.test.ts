/** The timer through a real Agent on a FakeClock: interval, count, immediate, jitter, resume with missed runs. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { seededRandom } from '../../helpers/seeded.js';
import { build, tempDir, triggerCatalogWith, until } from './harness.js';

describe('timer trigger', () => {
  it('fires every interval ("10m" text), with a default prompt naming it', async () => {
    const clock = new FakeClock();
    const b = await build({ clock });
    const id = await b.agent.addTrigger({ type: 'timer', interval: '10m' }, { name: 'tick' });
    expect(b.agent.triggers[0]).toMatchObject({ id, kind: 'timer', description: 'every 10m', nextFireAt: clock.now() + 600_000 });
    await clock.advance(599_999);
    expect(b.fired()).toEqual([]);
    await clock.advance(1);
    await until(() => b.ends().length === 1);
    await clock.advance(600_000);
    await until(() => b.ends().length === 2);
    expect(b.fired()).toEqual([`Timer '${id}' fired.`, `Timer '${id}' fired.`]);
    await b.agent.stop();
  });

  it('stops after count fires and is removed as finished; immediate fires at once', async () => {
    const clock = new FakeClock();
    const b = await build({ clock });
    const id = await b.agent.addTrigger({ type: 'timer', interval: 60, prompt: 'go', immediate: true, count: 2 });
    await clock.advance(0); // due now: the fake clock runs it once asked to move
    await until(() => b.ends().length === 1);
    await clock.advance(60_000);
    await until(() => b.events.some((e) => e.type === 'trigger.removed'));
    expect(b.fired()).toEqual(['go', 'go']);
    expect(b.events.find((e) => e.type === 'trigger.removed')).toMatchObject({ triggerId: id, reason: 'finished' });
    expect(b.agent.triggers).toEqual([]);
    await clock.advance(600_000);
    expect(b.fired()).toHaveLength(2);
    await b.agent.stop();
  });

  it('a tick while the previous turn still runs is dropped', async () => {
    const clock = new FakeClock();
    // The first turn hangs until interrupted: it stands for a slow one.
    const b = await build({ clock, script: [{ hang: true }] });
    await b.agent.addTrigger({ type: 'timer', interval: 60, prompt: 'tick' });
    await clock.advance(60_000);
    await until(() => b.fired().length === 1);
    await clock.advance(180_000);
    expect(b.fired()).toHaveLength(1);
    b.agent.interrupt();
    await until(() => b.ends().length === 1);
    await clock.advance(60_000);
    await until(() => b.ends().length === 2);
    await b.agent.stop();
  });

  it('jitter adds a seeded random part to each wait', async () => {
    const random = seededRandom('timer jitter');
    const expected = seededRandom('timer jitter (replay)', random.seed);
    const clock = new FakeClock();
    const start = clock.now();
    const b = await build({ clock, triggerCatalog: triggerCatalogWith(() => random.next()) });
    await b.agent.addTrigger({ type: 'timer', interval: 60, jitter: '30s', prompt: 'j' });
    const due = start + 60_000 + Math.floor(expected.next() * 30_000);
    expect(b.agent.triggers[0]?.nextFireAt).toBe(due);
    await clock.advanceTo(due - 1);
    expect(b.fired()).toEqual([]);
    await clock.advanceTo(due);
    await until(() => b.fired().length === 1);
    expect(b.agent.triggers[0]?.nextFireAt).toBe(due + 60_000 + Math.floor(expected.next() * 30_000));
    await b.agent.stop();
  });

  it('resumes with its due time; after a long gap it reports the missed runs once and goes on from now', async () => {
    const clock = new FakeClock();
    const session = join(tempDir(), 's.kohakutr');
    const pwd = tempDir();
    const first = await build({ clock, session, pwd });
    const id = await first.agent.addTrigger({ type: 'timer', interval: 60, prompt: 'tick' });
    const due = clock.now() + 60_000;
    await first.agent.stop();

    // Down for 5.5 intervals: due times at +60, +120, ..., +300 s passed unseen.
    await clock.advance(330_000);
    const second = await build({ clock, session, pwd });
    await until(() => second.events.some((e) => e.type === 'trigger.missed'));
    expect(second.agent.triggers).toMatchObject([{ id, kind: 'timer', origin: 'code', resumable: true, nextFireAt: clock.now() + 60_000 }]);
    const missed = second.events.filter((e) => e.type === 'trigger.missed');
    expect(missed).toMatchObject([{ triggerId: id, count: 5, since: due }]);
    expect(second.fired()).toEqual([]);
    await clock.advance(60_000);
    await until(() => second.ends().length === 1);
    expect(second.fired()).toEqual(['tick']);
    await second.agent.stop();

    // Resumed before it is due: no missed runs, fires at the saved time.
    const third = await build({ clock, session, pwd });
    expect(third.events.filter((e) => e.type === 'trigger.missed')).toEqual([]);
    await clock.advance(60_000);
    await until(() => third.fired().length === 1);
    await third.agent.stop();
  });

  it('bad intervals name the key', async () => {
    const b = await build();
    await expect(b.agent.addTrigger({ type: 'timer', interval: 0 })).rejects.toThrow(/bad options for a timer trigger: interval: interval must be a positive/);
    await expect(b.agent.addTrigger({ type: 'timer', interval: 'soon' })).rejects.toThrow(/interval: .*"soon"/);
    await expect(b.agent.addTrigger({ type: 'timer', interval: 5, every: 3 })).rejects.toThrow(/bad options for a timer trigger/);
    await b.agent.stop();
  });
});
