/** The checked form of the flags of `kt run` / `kt resume`: out-of-range values are usage errors (exit 2). */
import { describe, expect, it } from 'vitest';
import { converseOptions, pluginFlag } from '../../source/cli/converse-flags.js';
import { UsageError } from '../../source/engine/errors.js';
import { thrown } from '../helpers/thrown.js';

const flags = (timeout: number) => ({ prompt: 'hi', timeout, outputFormat: 'text', inputFormat: 'text', verbose: false });

describe('--timeout', () => {
  it('is seconds, turned into milliseconds', () => {
    expect(converseOptions(flags(1.5)).timeoutMs).toBe(1500);
  });

  it('beyond what a Node timer holds is refused with the maximum, never turned into 1 ms', () => {
    const error = thrown(UsageError, () => converseOptions(flags(3_000_000)));
    expect(error.message).toBe('--timeout must be at most 2147483 seconds (about 24 days, the longest timer Node supports)');
    expect(converseOptions(flags(2_147_483)).timeoutMs).toBe(2_147_483_000);
  });

  it.each([0, -1, Number.NaN])('%s is refused', (value) => {
    expect(thrown(UsageError, () => converseOptions(flags(value))).message).toContain('positive number of seconds');
  });
});

describe('--plugin', () => {
  it('reads a name, or a name with key=value options whose values are JSON when they parse', () => {
    expect(pluginFlag('budget')).toEqual({ plugin: 'budget', options: {} });
    expect(pluginFlag('budget:turn_budget=[20,30],inject_alert=false,note=plain words')).toEqual({
      plugin: 'budget',
      options: { turn_budget: [20, 30], inject_alert: false, note: 'plain words' },
    });
    expect(pluginFlag('event_logger:path="a,b.jsonl"')).toEqual({ plugin: 'event_logger', options: { path: 'a,b.jsonl' } });
    expect(thrown(UsageError, () => pluginFlag(':x=1')).message).toContain('the plugin name is missing');
    expect(thrown(UsageError, () => pluginFlag('budget:oops')).message).toContain("'oops' is not key=value");
  });
});
