/**
 * Every combinator over plain functions: what it outputs, which steps it
 * records and under which paths, how it fails. Functions only, so each case
 * is exact and instant; creatures are in agents.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { AbortReason, TimeoutError, UsageError } from '../../../source/engine/errors.js';
import { CompositionError, NoRouteError, OutputRejectedError } from '../../../source/engine/compose/errors.js';
import { fallback, par, retry, route, runnable, seq, timeout } from '../../../source/engine/compose/combinators.js';
import type { StepContext } from '../../../source/engine/compose/types.js';

const double = (n: number) => n * 2;
const inc = async (n: number) => n + 1;
const boom = (message: string) => () => {
  throw new Error(message);
};

async function failureOf(promise: Promise<unknown>): Promise<CompositionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CompositionError);
  return error as CompositionError;
}

describe('seq / pipe / map / contramap', () => {
  it('runs steps in order, each output the next input, and records each step with its path', async () => {
    const result = await seq(double, inc, String).run(5);
    expect(result.output).toBe('11');
    expect(result.steps.map((s) => s.path)).toEqual([
      ['0', 'double'],
      ['1', 'inc'],
      ['2', 'String'],
    ]);
    expect(result.steps.every((s) => s.status === 'completed' && s.kind === 'function')).toBe(true);
    expect(result.usage).toEqual({ input: 0, output: 0, cached: 0 });
  });

  it('pipe chains flatten into one sequence', async () => {
    const chain = runnable(double).pipe(inc).pipe(double);
    const result = await chain.run(1);
    expect(result.output).toBe(6);
    expect(result.steps.map((s) => s.path[0])).toEqual(['0', '1', '2']);
  });

  it('map post-processes the output and contramap pre-processes the input', async () => {
    const result = await runnable(double)
      .map((n) => `=${n}`)
      .contramap((s: string) => s.length)
      .run('abcd');
    expect(result.output).toBe('=8');
  });

  it('a function gets the signal and its path', async () => {
    let seen: StepContext | undefined;
    const spy = (x: number, context: StepContext) => {
      seen = context;
      return x;
    };
    await seq(double, spy).run(1);
    expect(seen?.path).toEqual(['1', 'spy']);
    expect(seen?.signal.aborted).toBe(false);
  });

  it('a throwing step fails the run with a CompositionError that names the step and keeps the steps', async () => {
    const error = await failureOf(seq(double, boom('bad input'), inc).run(1));
    expect(error.status).toBe('failed');
    expect(error.code).toBe('COMPOSE_FAILED');
    expect(error.path).toEqual(['1', 'fn']);
    expect(error.message).toContain('bad input');
    expect(error.steps.map((s) => s.status)).toEqual(['completed', 'failed']);
    expect((error.cause as Error).message).toBe('bad input');
  });

  it('rejects something that is not a step with a clear UsageError', () => {
    expect(() => seq(double, 42 as never)).toThrow(UsageError);
    expect(() => seq(double, 42 as never)).toThrow(/not a step.*got number/);
  });
});

describe('par', () => {
  it('gives every step the same input and returns the tuple in order', async () => {
    const result = await par(double, inc, String).run(3);
    expect(result.output).toEqual([6, 4, '3']);
    expect(result.steps.map((s) => s.path[0]).sort()).toEqual(['0', '1', '2']);
  });

  it('and() builds a pair', async () => {
    expect((await runnable(double).and(inc).run(2)).output).toEqual([4, 3]);
  });

  it('settle: true reports each outcome and fails nothing', async () => {
    const result = await par([double, boom('nope')], { settle: true }).run(2);
    expect(result.output[0]).toEqual({ ok: true, value: 4 });
    expect(result.output[1]).toMatchObject({ ok: false });
    expect((result.output[1] as { error: Error }).error.message).toBe('nope');
  });
});

describe('fallback / or', () => {
  it('uses the next step when one fails, with the same input', async () => {
    const result = await fallback(boom('first'), boom('second'), double).run(4);
    expect(result.output).toBe(8);
    expect(result.steps.map((s) => [s.path[0], s.status])).toEqual([
      ['0', 'failed'],
      ['1', 'failed'],
      ['2', 'completed'],
    ]);
  });

  it('or() chains flatten; when all fail the last failure stands', async () => {
    const error = await failureOf(runnable(boom('a')).or(boom('b')).or(boom('c')).run(1));
    expect((error.cause as Error).message).toBe('c');
    expect(error.steps).toHaveLength(3);
  });

  it('failsWhen turns an output into a failure the fallback takes over from', async () => {
    const picky = runnable(double).failsWhen((n) => n > 5, 'too big');
    expect((await picky.or(() => -1).run(2)).output).toBe(4);
    expect((await picky.or(() => -1).run(3)).output).toBe(-1);
    const error = await failureOf(picky.run(3));
    expect(error.cause).toBeInstanceOf(OutputRejectedError);
    expect(error.message).toContain('too big');
  });
});

describe('retry', () => {
  it('attempts is the total number of tries', async () => {
    let calls = 0;
    const flaky = () => {
      calls++;
      if (calls < 3) throw new Error(`try ${calls}`);
      return 'ok';
    };
    expect((await retry(flaky, 3).run(null)).output).toBe('ok');
    expect(calls).toBe(3);

    calls = -10;
    const error = await failureOf(retry(flaky, 2).run(null));
    expect(calls).toBe(-8);
    expect(error.steps.map((s) => s.path[0])).toEqual(['attempt:1', 'attempt:2']);
    expect((error.cause as Error).message).toBe('try -8');
  });

  it('waits the backoff between tries, given the attempt that failed', async () => {
    const asked: number[] = [];
    let calls = 0;
    const flaky = () => {
      if (++calls < 3) throw new Error('again');
      return calls;
    };
    await retry(flaky, 3, { backoff: (attempt) => (asked.push(attempt), 1) }).run(null);
    expect(asked).toEqual([1, 2]);
  });

  it('refuses a count that is not a whole number ≥ 1', () => {
    expect(() => retry(double, 0)).toThrow(/total number of tries/);
    expect(() => retry(double, 1.5)).toThrow(UsageError);
  });

  it('retry(expert, 2).or(generalist): two tries, then the generalist', async () => {
    let tries = 0;
    const expert = (_question: string): string => {
      tries++;
      throw new Error('expert unsure');
    };
    const result = await retry(expert, 2)
      .or((q: string) => `generalist: ${q}`)
      .run('q');
    expect(tries).toBe(2);
    expect(result.output).toBe('generalist: q');
  });
});

describe('route', () => {
  const classify = (text: string) => (text.includes('$') ? 'billing' : 'tech\n');
  const routes = { billing: (t: string) => `B:${t}`, tech: (t: string) => `T:${t}` };

  it('sends the original input to the branch the classifier names (trimmed)', async () => {
    expect((await route(classify, routes).run('pay $5')).output).toBe('B:pay $5');
    const result = await route(classify, routes).run('crash');
    expect(result.output).toBe('T:crash');
    expect(result.steps.map((s) => s.path)).toEqual([['classify', 'classify'], ['tech', 'tech']]);
  });

  it('an unknown key goes to otherwise, or fails naming the key and the known keys', async () => {
    const other = route(() => 'legal', routes, { otherwise: () => 'human' });
    expect((await other.run('x')).output).toBe('human');
    const error = await failureOf(route(() => 'legal', routes).run('x'));
    expect(error.cause).toBeInstanceOf(NoRouteError);
    expect(error.message).toContain('"legal"');
    expect(error.message).toContain('billing, tech');
  });
});

describe('timeout', () => {
  it('fails with a TimeoutError once the step has stopped, and the step saw its signal abort', async () => {
    let reason: unknown;
    const waits = (_: unknown, { signal }: StepContext) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => {
          reason = signal.reason;
          reject(signal.reason);
        }),
      );
    const error = await failureOf(timeout(waits, 5).run(null));
    expect(error.status).toBe('failed');
    expect(error.cause).toBeInstanceOf(TimeoutError);
    expect((reason as AbortReason).kind).toBe('timeout');
    expect(error.steps[0]).toMatchObject({ status: 'cancelled' });
  });

  it('a fast step is unaffected', async () => {
    expect((await timeout(double, 60_000).run(2)).output).toBe(4);
  });
});

describe('iterate', () => {
  it('feeds each output back and stops when the consumer breaks', async () => {
    let runs = 0;
    const step = (n: number) => (runs++, n * 2);
    const seen: number[] = [];
    for await (const n of runnable(step).iterate(1)) {
      seen.push(n);
      if (n >= 16) break;
    }
    expect(seen).toEqual([2, 4, 8, 16]);
    expect(runs).toBe(4);
  });

  it('feed() replaces the next input', async () => {
    const it = runnable(inc).iterate(0);
    expect((await it.next()).value).toBe(1);
    it.feed(100);
    expect((await it.next()).value).toBe(101);
    expect((await it.next()).value).toBe(102);
    expect(it.rounds).toBe(3);
    await it.return();
    expect(await it.next()).toEqual({ done: true, value: undefined });
  });
});

describe('nothing is thenable', () => {
  it('compositions, streams and iterators have no then', async () => {
    const c = seq(double, inc);
    const things: object[] = [c, runnable(double), par(double, inc), c.iterate(1), c.runStream(1), await c.run(1)];
    for (const thing of things) expect('then' in thing).toBe(false);
    // Awaiting a composition gives the composition back; it does not run it.
    expect(await (c as unknown as Promise<unknown>)).toBe(c);
  });
});
