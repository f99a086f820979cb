/**
 * Cancellation reaches every running step through every combinator: a
 * creature's turn ends `cancelled` (or `timeout`), a function sees its
 * signal abort, and nothing recovers a cancelled run. Synchronised on the
 * creature's own events (its LLM round started) and on explicit gates.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fallback, par, retry, route, runnable, seq, timeout } from '../../../source/engine/compose/combinators.js';
import { CompositionError } from '../../../source/engine/compose/errors.js';
import type { StepContext } from '../../../source/engine/compose/types.js';
import { TimeoutError } from '../../../source/engine/errors.js';
import type { Agent } from '../../../source/engine/creature/agent.js';
import { factory } from '../../../source/engine/compose/agents.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { creature, next, turnEnds } from './helpers.js';

const stops: Agent[] = [];
afterEach(async () => {
  for (const a of stops.splice(0)) await a.stop();
});

async function hanging(name = 'slow') {
  const made = await creature(name, [{ hang: true }]);
  stops.push(made.agent);
  return made;
}

async function idle(name: string) {
  const made = await creature(name, [{ text: 'should not run' }]);
  stops.push(made.agent);
  return made;
}

/** Abort `controller` once the creature's LLM round is under way. */
function abortWhenStarted(agent: Agent, controller: AbortController): void {
  void next(agent, 'step.start').then(() => controller.abort());
}

async function rejection(promise: Promise<unknown>): Promise<CompositionError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CompositionError);
  return error as CompositionError;
}

/** A function step that records whether its signal aborted and waits for it. */
function watcher() {
  const state = { aborted: false };
  const fn = (_: unknown, { signal }: StepContext) =>
    new Promise<string>((_resolve, reject) =>
      signal.addEventListener('abort', () => {
        state.aborted = true;
        reject(signal.reason);
      }),
    );
  return { state, fn };
}

describe('cancelling a composed run', () => {
  it('seq: the running creature turn ends cancelled, later steps never start', async () => {
    const slow = await hanging();
    const after = await idle('after');
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const error = await rejection(seq((t: string) => t, slow.agent, after.agent).run('go', { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(error.code).toBe('COMPOSE_CANCELLED');
    expect(error.path).toEqual(['1', 'slow']);
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
    expect(after.llm.calls).toHaveLength(0);
  });

  it('par: the signal reaches the creature and the function running side by side', async () => {
    const slow = await hanging();
    const watch = watcher();
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const error = await rejection(par(slow.agent, watch.fn).run('go', { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
    expect(watch.state.aborted).toBe(true);
  });

  it('par: one failure cancels the siblings, and the run fails with that failure after they stopped', async () => {
    const slow = await hanging();
    const watch = watcher();
    const fails = async () => {
      await next(slow.agent, 'step.start');
      throw new Error('analyst gave up');
    };
    const error = await rejection(par(slow.agent, watch.fn, fails).run('go'));
    expect(error.status).toBe('failed');
    expect((error.cause as Error).message).toBe('analyst gave up');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
    expect(watch.state.aborted).toBe(true);
  });

  it('par settle: a failure cancels nobody', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const fails = () => {
      // Released after par has seen the failure: every microtask runs before setImmediate.
      setImmediate(release);
      throw new Error('no');
    };
    const waits = async (_: unknown, { signal }: StepContext) => {
      await gate;
      return signal.aborted ? 'aborted' : 'finished';
    };
    const result = await par([fails, waits], { settle: true }).run(null);
    expect(result.output[1]).toEqual({ ok: true, value: 'finished' });
  });

  it('fallback: a cancelled primary is not rescued; the backup never runs', async () => {
    const slow = await hanging();
    const backup = await idle('backup');
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const error = await rejection(fallback(slow.agent, backup.agent).run('go', { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
    expect(backup.llm.calls).toHaveLength(0);
  });

  it('retry: a cancelled attempt is not retried', async () => {
    const slow = await hanging();
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const error = await rejection(retry(slow.agent, 3).run('go', { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
    expect(slow.llm.calls).toHaveLength(1);
  });

  it('route: the chosen branch is cancelled', async () => {
    const slow = await hanging();
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const error = await rejection(route(() => 'slow', { slow: slow.agent }).run('go', { signal: controller.signal }));
    expect(error.path).toEqual(['slow', 'slow']);
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
  });

  it('map / contramap / failsWhen pass the signal through', async () => {
    const slow = await hanging();
    const controller = new AbortController();
    abortWhenStarted(slow.agent, controller);
    const wrapped = runnable(slow.agent)
      .map((t) => t.length)
      .contramap((n: number) => String(n))
      .failsWhen((n) => n < 0);
    const error = await rejection(wrapped.run(1, { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
  });

  it('timeout(): the creature turn ends timeout and the run fails with a TimeoutError', async () => {
    const slow = await hanging();
    const error = await rejection(timeout(slow.agent, 20).run('go'));
    expect(error.status).toBe('failed');
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect(turnEnds(slow.events)).toEqual(['timeout']);
  });

  it('run({timeout}): the whole run times out and every running step stops', async () => {
    const slow = await hanging();
    const watch = watcher();
    const error = await rejection(par(slow.agent, watch.fn).run('go', { timeout: 20 }));
    expect(error.status).toBe('timeout');
    expect(error.code).toBe('COMPOSE_TIMEOUT');
    expect(turnEnds(slow.events)).toEqual(['timeout']);
    expect(watch.state.aborted).toBe(true);
  });

  it('iterate: the signal cancels the round in flight and the loop throws', async () => {
    const slow = await creature('writer', [{ text: 'draft 1' }, { hang: true }]);
    stops.push(slow.agent);
    const controller = new AbortController();
    const drafts: string[] = [];
    const loop = async () => {
      for await (const draft of runnable(slow.agent).iterate('task', { signal: controller.signal })) {
        drafts.push(draft);
        abortWhenStarted(slow.agent, controller);
      }
    };
    const error = await rejection(loop());
    expect(error.status).toBe('cancelled');
    expect(drafts).toEqual(['draft 1']);
    expect(turnEnds(slow.events)).toEqual(['completed', 'cancelled']);
  });

  it('factory: the fresh creature of the call is cancelled too', async () => {
    const controller = new AbortController();
    // The model answers by aborting the run as soon as the fresh creature asks it, then hangs until that lands.
    const llm = new ScriptedLLM([
      () => {
        controller.abort();
        return { hang: true };
      },
    ]);
    const fresh = factory({ name: 'temp' }, { llm, catalog: new ToolCatalog(), projectInstructions: false });
    const error = await rejection(seq((t: string) => t, fresh).run('go', { signal: controller.signal }));
    expect(error.status).toBe('cancelled');
    expect(error.steps.at(-1)).toMatchObject({ path: ['1', 'temp'], kind: 'agent', status: 'cancelled' });
    expect(llm.calls).toHaveLength(1);
  });

  it('runStream: breaking out of the loop cancels the running creature', async () => {
    const slow = await hanging();
    const stream = seq(slow.agent, (t: string) => t).runStream('go');
    for await (const event of stream) if (event.type === 'agent.event' && event.event.type === 'step.start') break;
    const error = await rejection(stream.result);
    expect(error.status).toBe('cancelled');
    expect(turnEnds(slow.events)).toEqual(['cancelled']);
  });
});
