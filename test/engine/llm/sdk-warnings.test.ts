/**
 * What an SDK prints with console.warn or process.emitWarning during a
 * request comes back as `warning` stream parts, each distinct text once per
 * process; output outside a request is left alone.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LLMStreamPart, Provider } from '../../../source/engine/llm/provider.js';
import { catchSdkWarnings, resetSdkWarnings } from '../../../source/engine/llm/sdk-warnings.js';

afterEach(() => resetSdkWarnings());

/** A provider whose "SDK" warns the way the Anthropic SDK does for a deprecated model, on every request. */
function warningProvider(): Provider {
  return {
    id: 'fake/old-model',
    provider: 'fake',
    model: 'old-model',
    async *stream() {
      console.warn("The model 'old-model' is deprecated");
      await Promise.resolve();
      yield { type: 'text', text: 'hi' };
      process.emitWarning('an SDK deprecation notice');
      await new Promise((resolve) => setTimeout(resolve, 1));
      console.warn('late %s', 'warning');
      yield { type: 'finish', finishReason: 'stop' };
    },
  };
}

async function collect(provider: Provider): Promise<LLMStreamPart[]> {
  const parts: LLMStreamPart[] = [];
  for await (const part of provider.stream({ messages: [] }, { signal: new AbortController().signal })) parts.push(part);
  return parts;
}

describe('catchSdkWarnings', () => {
  it('turns SDK warnings into warning parts, once per distinct text, and prints nothing', async () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const provider = catchSdkWarnings(warningProvider());
    const first = await collect(provider);
    expect(first).toEqual([
      { type: 'warning', message: "The model 'old-model' is deprecated" },
      { type: 'text', text: 'hi' },
      { type: 'warning', message: 'an SDK deprecation notice' },
      { type: 'warning', message: 'late warning' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    // The second request warns the same way: nothing new to say.
    expect((await collect(provider)).map((p) => p.type)).toEqual(['text', 'finish']);
    expect(stderr).not.toHaveBeenCalled();
    stderr.mockRestore();
  });

  it('leaves console.warn outside a request alone, also after something swaps it (as Ink does)', () => {
    catchSdkWarnings(warningProvider());
    const swapped = vi.fn();
    const before = console.warn;
    console.warn = swapped;
    console.warn('outside');
    expect(swapped).toHaveBeenCalledWith('outside');
    console.warn = before;
  });
});
