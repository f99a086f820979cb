/** Triggers written in a creature's config: built with it, started with it, bad entries as ConfigErrors naming the key. */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../source/engine/errors.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { build, until } from './harness.js';

async function buildError(triggers: unknown[]): Promise<ConfigError> {
  const failed = await build({ config: { triggers } }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failed).toBeInstanceOf(ConfigError);
  return failed as ConfigError;
}

describe('config triggers', () => {
  it('a timer entry runs with the creature', async () => {
    const clock = new FakeClock();
    const b = await build({ clock, config: { triggers: [{ type: 'timer', interval: 60, prompt: 'x' }, { type: 'scheduler', name: 'daily', cron: '0 9 * * *', prompt: 'y' }] } });
    expect(b.agent.triggers).toMatchObject([
      { id: 'timer', kind: 'timer', origin: 'config', nextFireAt: clock.now() + 60_000 },
      { id: 'daily', name: 'daily', kind: 'scheduler', origin: 'config' },
    ]);
    await clock.advance(60_000);
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(['x']);
    await b.agent.stop();
  });

  it('a bad cron expression names the entry and the cron key', async () => {
    const error = await buildError([{ type: 'scheduler', cron: 'every day', prompt: 'y' }]);
    expect(error.message).toMatch(/bad cron expression 'every day'/);
    expect(error.keyPath).toEqual(['triggers', 0, 'cron']);
  });

  it('a bad interval and an unknown type are ConfigErrors too', async () => {
    const bad = await buildError([{ type: 'timer', interval: -5, prompt: 'x' }]);
    expect(bad.message).toMatch(/interval must be a positive/);
    expect(bad.keyPath).toEqual(['triggers', 0, 'interval']);
    const unknown = await buildError([{ type: 'timr', interval: 5 }]);
    expect(unknown.message).toMatch(/unknown trigger type 'timr'; did you mean 'timer'/);
  });
});
