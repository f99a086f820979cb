/** The trigger contract through a real Agent: fires become turns (queued behind a running one), kinds from a catalog, state kept for resume. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import type { Trigger, TriggerContext, TriggerDefinition } from '../../../source/engine/triggers/trigger.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-trig-'));

/** A trigger the test fires by hand. */
function manual(): Trigger & { ctx?: TriggerContext } {
  const t: Trigger & { ctx?: TriggerContext } = {
    kind: 'manual',
    start(ctx) {
      t.ctx = ctx;
    },
  };
  return t;
}

/** A catalog kind that fires every `every` ms of the creature's clock and saves its next due time. */
const ticker: TriggerDefinition<{ every: number; prompt: string }> = {
  kind: 'ticker',
  description: 'test ticker',
  resumable: true,
  options: z.strictObject({ every: z.number().positive(), prompt: z.string() }),
  create: (options) => {
    let next: number | undefined;
    return {
      kind: 'ticker',
      nextFireAt: () => next,
      async *start(ctx) {
        next = (ctx.saved?.next as number | undefined) ?? ctx.clock.now() + options.every;
        for (;;) {
          ctx.save({ next });
          if (!(await ctx.sleep(next - ctx.clock.now()))) return;
          next += options.every;
          yield { content: options.prompt };
        }
      },
    };
  },
};

describe('triggers', () => {
  it('a fire runs as a turn with source trigger; one during a running turn queues behind it', async () => {
    const llm = new ScriptedLLM([{ text: 'first' }, { text: 'second' }, { text: 'third' }]);
    const agent = await Agent.build({ name: 'waker' }, { llm, pwd: dir(), catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() });
    const events: AgentEvent[] = [];
    agent.on((e) => events.push(e));
    const trigger = manual();
    const id = await agent.addTrigger(trigger, { name: 'bell' });
    await agent.start();
    expect(agent.triggers).toMatchObject([{ id, kind: 'manual', name: 'bell', origin: 'code', fired: 0 }]);
    const first = trigger.ctx!.fire({ content: 'ring one' });
    const second = trigger.ctx!.fire({ content: 'ring two' });
    expect(first.accepted && second.accepted).toBe(true);
    expect((await second.done)?.text).toBe('second');
    const fired = events.filter((e) => e.type === 'trigger.fired');
    expect(fired.map((e) => [e.type === 'trigger.fired' && e.queued, e.turnId])).toEqual([
      [false, first.turnId],
      [true, second.turnId],
    ]);
    const starts = events.filter((e) => e.type === 'turn.start');
    expect(starts.map((e) => e.type === 'turn.start' && [e.source, e.origin])).toEqual([
      ['trigger', { kind: 'manual', name: 'bell', triggerId: id }],
      ['trigger', { kind: 'manual', name: 'bell', triggerId: id }],
    ]);
    // A non-stackable fire while one is in flight is dropped.
    const a = trigger.ctx!.fire({ content: 'burst', stackable: false });
    const b = trigger.ctx!.fire({ content: 'burst', stackable: false });
    expect([a.accepted, b.accepted]).toEqual([true, false]);
    await a.done;
    await agent.stop();
    expect(trigger.ctx!.signal.aborted).toBe(true);
    expect(trigger.ctx!.fire({ content: 'late' }).accepted).toBe(false);
  });

  it('a catalog kind fires on the fake clock, and a resumed session brings it back with its due time', async () => {
    const catalog = new TriggerCatalog();
    catalog.register(ticker);
    const clock = new FakeClock();
    const session = join(dir(), 'tick.kohakutr');
    const pwd = dir();
    const build = (texts: string[]) => Agent.build({ name: 'ticking' }, { llm: new ScriptedLLM(texts.map((text) => ({ text }))), pwd, catalog: new ToolCatalog(), triggerCatalog: catalog, clock, session });
    const agent = await build(['tick 1', 'tick 2']);
    await agent.start();
    const id = await agent.addTrigger({ type: 'ticker', every: 60_000, prompt: 'tick' });
    const ends: string[] = [];
    agent.on('turn.end', (e) => ends.push(e.text));
    await clock.advance(60_000);
    await until(() => ends.length === 1);
    expect(agent.triggers[0]).toMatchObject({ id, kind: 'ticker', origin: 'code', resumable: true, fired: 1, nextFireAt: clock.now() + 60_000 });
    await agent.stop();

    // 30 s later a new process resumes: the trigger is back, due where it was.
    await clock.advance(30_000);
    const again = await build(['tick 2']);
    const later: string[] = [];
    again.on('turn.end', (e) => later.push(e.text));
    await again.start();
    expect(again.triggers).toMatchObject([{ id, kind: 'ticker', origin: 'code' }]);
    await clock.advance(30_000);
    await until(() => later.length === 1);
    expect(later).toEqual(['tick 2']);
    await again.stop();
  });

  it('bad options name the kind and the key', async () => {
    const catalog = new TriggerCatalog();
    catalog.register(ticker);
    const agent = await Agent.build({ name: 'bad' }, { llm: new ScriptedLLM([]), pwd: dir(), catalog: new ToolCatalog(), triggerCatalog: catalog });
    await expect(agent.addTrigger({ type: 'ticker', every: -1, prompt: 'x' })).rejects.toThrow(/bad options for a ticker trigger: every/);
    await expect(agent.addTrigger({ type: 'tickr' })).rejects.toThrow(/unknown trigger type 'tickr'; did you mean 'ticker'/);
    await agent.stop();
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error('condition never held');
}
