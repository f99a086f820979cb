/**
 * The trigger setup tools through a real Agent and ScriptedLLM tool calls:
 * what they answer, that their triggers come back on resume, and clear
 * errors for bad input or a context without triggers.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addTimerTool } from '../../../source/builtins/tools/trigger-setup.js';
import { localTime } from '../../../source/builtins/tools/trigger-control.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { build, tempDir, until } from '../triggers/harness.js';
import { call, makeContext } from './context.js';

const TOOLS = ['add_timer', 'add_schedule', 'watch_channel', 'list_triggers', 'delete_trigger'];
const results = (events: AgentEvent[]) => events.flatMap((e) => (e.type === 'tool.result' ? [{ name: e.name, output: e.output, isError: e.isError }] : []));

describe('trigger setup tools', () => {
  it('add_timer through a model call is resumable: the next process fires it; a long gap reports missed runs, no burst', async () => {
    const clock = new FakeClock();
    const session = join(tempDir(), 's.kohakutr');
    const pwd = tempDir();
    const config = { tools: [{ name: 'add_timer', type: 'trigger' }, 'list_triggers'] };
    const first = await build({
      config,
      clock,
      session,
      pwd,
      script: [{ toolCalls: [{ name: 'add_timer', args: { interval: '10m', prompt: 'water the plants', name: 'plants' } }] }, { text: 'scheduled' }],
    });
    await first.agent.run('remind me every 10 minutes');
    const [added] = results(first.events);
    expect(added).toMatchObject({ name: 'add_timer', isError: false });
    expect(added!.output).toBe(`Added trigger timer_1 (timer: every 10m); next fire ${localTime(clock.now() + 600_000)} (in 10m). Remove it with delete_trigger id=timer_1.`);
    await first.agent.stop();

    // The next process, 5 minutes later: the timer is back and fires at its time.
    await clock.advance(300_000);
    const second = await build({ config, clock, session, pwd });
    expect(second.agent.triggers).toMatchObject([{ id: 'timer_1', name: 'plants', origin: 'tool', resumable: true }]);
    await clock.advance(300_000);
    await until(() => second.ends().length === 1);
    expect(second.fired()).toEqual(['water the plants']);
    await second.agent.stop();

    // Down for 35 minutes after the next due time: 4 runs missed (at +0, +10, +20, +30), reported once.
    const due = clock.now() + 600_000;
    await clock.advanceTo(due + 35 * 60_000);
    const third = await build({ config, clock, session, pwd, script: [{ toolCalls: [{ name: 'list_triggers' }] }, { text: 'listed' }] });
    await until(() => third.events.some((e) => e.type === 'trigger.missed'));
    expect(third.events.filter((e) => e.type === 'trigger.missed')).toMatchObject([{ triggerId: 'timer_1', count: 4, since: due }]);
    await clock.advance(0);
    expect(third.fired()).toEqual([]);
    await third.agent.run('what is scheduled?');
    const table = results(third.events)[0]!.output.split('\n');
    expect(table[0]).toMatch(/^id\s+kind\s+name\s+waits for\s+next fire\s+fired$/);
    expect(table[1]).toContain(`timer_1  timer  plants  every 10m  ${localTime(clock.now() + 600_000)} (in 10m)  0`);
    await third.agent.stop();
  });

  it('add_schedule, watch_channel, list_triggers and delete_trigger work together; bad input is a tool error', async () => {
    const clock = new FakeClock();
    const b = await build({
      config: { tools: TOOLS },
      clock,
      script: [
        {
          toolCalls: [
            { name: 'add_schedule', args: { cron: '0 9 * * 1-5', prompt: 'standup', timezone: 'UTC' } },
            { name: 'add_schedule', args: { cron: '99 * * * *', prompt: 'never' } },
            { name: 'watch_channel', args: { channel: 'alerts', filter_sender: 'monitor' } },
          ],
        },
        { toolCalls: [{ name: 'delete_trigger', args: { id: 'scheduler_1' } }, { name: 'delete_trigger', args: { id: 'nope' } }] },
        { toolCalls: [{ name: 'list_triggers' }] },
        { text: 'done' },
      ],
    });
    await b.agent.run('set things up');
    const [schedule, badCron, watch, deleted, missing, list] = results(b.events);
    expect(schedule).toMatchObject({ isError: false, output: expect.stringContaining('Added trigger scheduler_1 (scheduler: 0 9 * * 1-5 UTC); next fire') });
    expect(badCron!.isError).toBe(true);
    expect(badCron!.output).toMatch(/add_schedule: bad options for a scheduler trigger: cron: bad cron expression '99 \* \* \* \*'/);
    expect(watch!.output).toContain("Added trigger channel_2 (channel: messages on 'alerts' from monitor)");
    expect(deleted!.output).toBe('Removed trigger scheduler_1.');
    expect(missing).toMatchObject({ isError: true, output: expect.stringContaining("there is no trigger 'nope'; triggers: channel_2") });
    expect(list!.output).toMatch(/channel_2\s+channel\s+watch alerts\s+messages on 'alerts' from monitor\s+-\s+0/);
    b.agent.channels.send('alerts', 'cpu hot', { sender: 'monitor' });
    await until(() => b.ends().length === 2);
    expect(b.fired()).toEqual(["[Channel 'alerts' from monitor]: cpu hot"]);
    await b.agent.stop();
  });

  it('without triggers in the context the tools say so', async () => {
    await expect(call(addTimerTool, { interval: 60, prompt: 'x' }, makeContext())).rejects.toThrow(/add_timer: this creature cannot schedule its own work here/);
  });

  it('need no approval: they change only the creature\'s own schedule', () => {
    expect(addTimerTool.create({}).effect).toBeUndefined();
  });
});
