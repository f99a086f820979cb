/** The scheduler (and its `cron` alias) on a FakeClock: clock-aligned runs, time zones, missed runs on resume, bad expressions. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { build, tempDir, until } from './harness.js';

// The FakeClock starts at 2026-01-05 09:00:00 UTC (a Monday).
const AT = (h: number, m = 0) => Date.UTC(2026, 0, 5, h, m, 0);

describe('scheduler trigger', () => {
  it('fires at the times the cron expression names, aligned to the clock', async () => {
    const clock = new FakeClock(AT(9, 2));
    const b = await build({ clock });
    const id = await b.agent.addTrigger({ type: 'scheduler', cron: '*/15 * * * *', prompt: 'check in' });
    expect(b.agent.triggers[0]).toMatchObject({ id, description: '*/15 * * * *', nextFireAt: AT(9, 15) });
    await clock.advanceTo(AT(9, 15) - 1);
    expect(b.fired()).toEqual([]);
    await clock.advanceTo(AT(9, 15));
    await until(() => b.ends().length === 1);
    expect(b.agent.triggers[0]?.nextFireAt).toBe(AT(9, 30));
    await clock.advanceTo(AT(9, 30));
    await until(() => b.ends().length === 2);
    expect(b.fired()).toEqual(['check in', 'check in']);
    await b.agent.stop();
  });

  it('reads the expression in its time zone; `cron` is the same kind by its biome name', async () => {
    const clock = new FakeClock(AT(9, 0));
    const b = await build({ clock });
    // 11:00 in Helsinki (UTC+2 in January) is 09:00 UTC: the next one is tomorrow.
    await b.agent.addTrigger({ type: 'cron', cron: '0 11 * * *', timezone: 'Europe/Helsinki', prompt: 'daily' });
    expect(b.agent.triggers[0]).toMatchObject({ kind: 'cron', nextFireAt: Date.UTC(2026, 0, 6, 9, 0, 0), description: '0 11 * * * Europe/Helsinki' });
    await b.agent.stop();
  });

  it('on resume reports the runs missed while down, and with run_once_if_missed fires one of them', async () => {
    const clock = new FakeClock(AT(9, 0));
    const session = join(tempDir(), 's.kohakutr');
    const pwd = tempDir();
    const first = await build({ clock, session, pwd });
    const quiet = await first.agent.addTrigger({ type: 'scheduler', cron: '0 * * * *', prompt: 'hourly' });
    const eager = await first.agent.addTrigger({ type: 'scheduler', cron: '30 * * * *', prompt: 'half past', run_once_if_missed: true });
    await first.agent.stop();

    await clock.advanceTo(AT(12, 45)); // 10:00, 11:00, 12:00 and 9:30, 10:30, 11:30, 12:30 passed
    const second = await build({ clock, session, pwd });
    // Generator triggers begin on the next ticks after start(): wait for both reports.
    await until(() => second.events.filter((e) => e.type === 'trigger.missed').length === 2);
    const missed = second.events.filter((e) => e.type === 'trigger.missed');
    expect(missed).toMatchObject([
      { triggerId: quiet, count: 3, since: AT(10) },
      { triggerId: eager, count: 4, since: AT(9, 30) },
    ]);
    await clock.advance(0);
    await until(() => second.ends().length === 1);
    expect(second.fired()).toEqual(['half past']);
    expect(second.agent.triggers.map((t) => t.nextFireAt)).toEqual([AT(13), AT(13, 30)]);
    await second.agent.stop();
  });

  it('a bad expression or time zone names the key and croner\'s reason', async () => {
    const b = await build();
    await expect(b.agent.addTrigger({ type: 'scheduler', cron: '61 * * * *' })).rejects.toThrow(/bad options for a scheduler trigger: cron: bad cron expression '61 \* \* \* \*': .*minute/);
    await expect(b.agent.addTrigger({ type: 'scheduler', cron: '* * * * *', timezone: 'Mars/Base' })).rejects.toThrow(/timezone: unknown time zone 'Mars\/Base'/);
    await b.agent.stop();
  });
});
