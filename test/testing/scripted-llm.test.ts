import { describe, expect, it, vi } from 'vitest';
import { AbortReason } from '../../source/engine/errors.js';
import type { Message } from '../../source/engine/llm/messages.js';
import { isProvider, type LLMRequest, type LLMStreamPart } from '../../source/engine/llm/provider.js';
import { ScriptedLLM, startFakeOpenAI } from '../../source/testing/index.js';

const ask = (content: string): LLMRequest => ({ messages: [{ role: 'user', content }] });

async function collect(llm: ScriptedLLM, request: LLMRequest, signal = new AbortController().signal): Promise<LLMStreamPart[]> {
  const parts: LLMStreamPart[] = [];
  for await (const part of llm.stream(request, { signal })) parts.push(part);
  return parts;
}

const textOf = (parts: LLMStreamPart[]) => parts.flatMap((p) => (p.type === 'text' ? [p.text] : [])).join('');

describe('ScriptedLLM', () => {
  it('is a Provider with scripted/test identity by default', () => {
    const llm = new ScriptedLLM([]);
    expect(isProvider(llm)).toBe(true);
    expect([llm.id, llm.provider, llm.model]).toEqual(['scripted/test', 'scripted', 'test']);
    const named = new ScriptedLLM([], { id: 'openai/gpt-4o' });
    expect([named.provider, named.model]).toEqual(['openai', 'gpt-4o']);
  });

  it('plays entries in order: reasoning, text in chunks, tool calls, then one finish', async () => {
    const llm = new ScriptedLLM([
      {
        reasoning: 'think',
        text: 'abcdefghijklmnopqrstuvwxyz',
        chunkSize: 10,
        toolCalls: [{ name: 'read', args: { path: 'a' } }, { id: 'mine', name: 'raw', args: 'not json' }, { name: 'none' }],
        usage: { input: 10, output: 5, cached: 2 },
      },
      { text: 'second' },
    ]);
    const parts = await collect(llm, ask('go'));
    expect(parts).toEqual([
      { type: 'reasoning', text: 'think' },
      { type: 'text', text: 'abcdefghij' },
      { type: 'text', text: 'klmnopqrst' },
      { type: 'text', text: 'uvwxyz' },
      { type: 'tool_call', call: { id: 'call_0_0', name: 'read', arguments: '{"path":"a"}' } },
      { type: 'tool_call', call: { id: 'mine', name: 'raw', arguments: 'not json' } },
      { type: 'tool_call', call: { id: 'call_0_2', name: 'none', arguments: '{}' } },
      { type: 'finish', finishReason: 'tool_calls', usage: { input: 10, output: 5, cached: 2 } },
    ]);
    const next = await collect(llm, ask('again'));
    expect(next).toEqual([{ type: 'text', text: 'second' }, { type: 'finish', finishReason: 'stop' }]);
  });

  it('records deep copies of every request', async () => {
    const llm = new ScriptedLLM([{ text: 'a' }, { text: 'b' }]);
    const messages: Message[] = [{ role: 'user', content: 'first' }];
    await collect(llm, { messages, temperature: 0.5 });
    messages.push({ role: 'assistant', content: 'a' });
    (messages[0] as { content: string }).content = 'mutated';
    await collect(llm, { messages });
    expect(llm.callCount).toBe(2);
    expect(llm.calls[0]!.messages).toEqual([{ role: 'user', content: 'first' }]);
    expect(llm.calls[0]!.temperature).toBe(0.5);
    expect(llm.lastRequest?.messages).toHaveLength(2);
  });

  it('computes entries from functions with the request and call number', async () => {
    const llm = new ScriptedLLM([
      { text: 'fixed' },
      (request, call) => ({ text: `call ${call} saw ${request.messages.length} messages` }),
    ]);
    await collect(llm, ask('x'));
    expect(textOf(await collect(llm, { messages: [...ask('a').messages, ...ask('b').messages] }))).toBe('call 1 saw 2 messages');
  });

  it('plays match-gated entries when the last user message matches, skipping them otherwise', async () => {
    const llm = new ScriptedLLM([
      { match: 'weather', text: 'sunny' },
      { text: 'plain one' },
      { match: /^bye/i, text: 'goodbye' },
      { text: 'plain two' },
    ]);
    expect(textOf(await collect(llm, ask('hello')))).toBe('plain one');
    expect(textOf(await collect(llm, ask('what is the weather?')))).toBe('sunny');
    expect(textOf(await collect(llm, ask('anything')))).toBe('plain two');
    expect(() => llm.assertComplete()).toThrow(/1 script entries were never used: #2 "goodbye" \(match \/\^bye\/i\)/);
    expect(textOf(await collect(llm, ask('Bye now')))).toBe('goodbye');
    expect(() => llm.assertComplete()).not.toThrow();
  });

  it('matches against the last user message only, including text parts', async () => {
    const llm = new ScriptedLLM([{ match: 'needle', text: 'found' }]);
    const request: LLMRequest = {
      messages: [
        { role: 'user', content: 'needle in the past' },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: [{ type: 'text', text: 'no match here' }] },
      ],
    };
    await expect(collect(llm, request)).rejects.toThrow(/script exhausted at call 1/);
    const second: LLMRequest = { messages: [{ role: 'user', content: [{ type: 'text', text: 'a needle' }] }] };
    expect(textOf(await collect(llm, second))).toBe('found');
  });

  it('throws a clear error when the script is exhausted, or plays defaultEntry', async () => {
    const llm = new ScriptedLLM([{ text: 'only' }]);
    await collect(llm, ask('1'));
    await expect(collect(llm, ask('2'))).rejects.toThrow(/ScriptedLLM: script exhausted at call 2/);
    expect(llm.callCount).toBe(2);

    const fallback = new ScriptedLLM([], { defaultEntry: { text: 'default' } });
    expect(textOf(await collect(fallback, ask('1')))).toBe('default');
    expect(textOf(await collect(fallback, ask('2')))).toBe('default');
    expect(() => fallback.assertComplete()).not.toThrow();
  });

  it('assertComplete fails while entries remain', async () => {
    const llm = new ScriptedLLM([{ text: 'a' }, { toolCalls: [{ name: 'later' }] }]);
    await collect(llm, ask('x'));
    expect(llm.remaining).toBe(1);
    expect(() => llm.assertComplete()).toThrow(/#1 tool later/);
    llm.push({ text: 'c' });
    expect(llm.remaining).toBe(2);
  });

  it('throws an entry error instead of streaming', async () => {
    const boom = new Error('boom');
    const llm = new ScriptedLLM([{ error: boom }]);
    await expect(collect(llm, ask('x'))).rejects.toBe(boom);
  });

  it('hangs until aborted, then throws the signal reason', async () => {
    const llm = new ScriptedLLM([{ hang: true, text: 'never' }]);
    const controller = new AbortController();
    const reason = new AbortReason('interrupted');
    const pending = collect(llm, ask('x'), controller.signal);
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
  });

  it('paces chunks with delayMs and stops mid-stream on abort', async () => {
    // A virtual clock: each pause is observed exactly, with no wall-clock bound to miss on a slow machine.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const llm = new ScriptedLLM([{ text: 'abcdefghij', chunkSize: 1, delayMs: 5 }]);
      const controller = new AbortController();
      const reason = new AbortReason('cancelled');
      const parts: LLMStreamPart[] = [];
      const run = (async () => {
        for await (const part of llm.stream(ask('x'), { signal: controller.signal })) {
          parts.push(part);
          if (parts.length === 3) controller.abort(reason);
        }
      })();
      const settled = expect(run).rejects.toBe(reason);
      await vi.advanceTimersByTimeAsync(4);
      expect(parts).toHaveLength(0); // the first delta waits its pause too
      await vi.advanceTimersByTimeAsync(1);
      expect(parts).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(5);
      expect(parts).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(100);
      await settled;
      expect(parts).toHaveLength(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('throws the reason of an already aborted signal, still recording the call', async () => {
    const llm = new ScriptedLLM([{ text: 'x' }]);
    const controller = new AbortController();
    controller.abort(new AbortReason('timeout'));
    await expect(collect(llm, ask('x'), controller.signal)).rejects.toBeInstanceOf(AbortReason);
    expect(llm.callCount).toBe(1);
    expect(llm.remaining).toBe(1);
  });

  it('ships the fake OpenAI server from the testing kit', async () => {
    const server = await startFakeOpenAI({ script: [{ text: 'hi' }] });
    expect(server.baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    await server.close();
  });
});
