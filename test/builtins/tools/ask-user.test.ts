import { describe, expect, it } from 'vitest';
import { askUserTool } from '../../../source/builtins/tools/ask-user.js';
import type { AskOptions } from '../../../source/engine/tools/runtime.js';
import type { ToolResultObject } from '../../../source/engine/tools/tool.js';
import { call, makeContext, result } from './context.js';

describe('ask_user', () => {
  it('is exclusive: one question at a time', () => {
    expect(askUserTool.create({}).concurrency).toBe('exclusive');
  });

  it('asks through the runtime and returns the answer', async () => {
    const asked: Array<{ question: string; options: AskOptions }> = [];
    const ctx = makeContext({
      runtime: {
        askUser: async (question, options) => {
          asked.push({ question, options });
          return '  The blue one.  ';
        },
      },
    });
    const out = (await call(askUserTool, { question: 'Which colour?', choices: ['red', 'blue'] }, ctx)) as ToolResultObject;
    expect(result(out)).toEqual({ text: 'The user answered:\nThe blue one.', isError: false });
    expect(out.metadata).toEqual({ question: 'Which colour?', answer: 'The blue one.', choices: ['red', 'blue'] });
    expect(asked).toHaveLength(1);
    expect(asked[0]?.question).toBe('Which colour?');
    expect(asked[0]?.options.choices).toEqual(['red', 'blue']);
    expect(asked[0]?.options.signal).toBe(ctx.signal);
  });

  it('passes no choices when none were given, and reports an empty answer', async () => {
    let seen: AskOptions | undefined;
    const ctx = makeContext({
      runtime: {
        askUser: async (_q, options) => {
          seen = options;
          return '';
        },
      },
    });
    const out = await call(askUserTool, { question: 'Anything else?' }, ctx);
    expect(result(out).text).toBe('The user gave an empty answer.');
    expect(seen && 'choices' in seen).toBe(false);
  });

  it('fails at once when nobody can answer', async () => {
    await expect(call(askUserTool, { question: 'Proceed?' }, makeContext({ runtime: {} }))).rejects.toThrow(
      /nobody can answer questions in this mode .*Proceed on your best judgement.*or stop and explain/,
    );
  });

  it('stops waiting when aborted, even if the UI ignores the signal', async () => {
    const controller = new AbortController();
    let uiSawAbort = false;
    let asked!: () => void;
    const uiAsked = new Promise<void>((r) => (asked = r));
    const ctx = makeContext({
      signal: controller.signal,
      runtime: {
        askUser: (_q, { signal }) => {
          signal.addEventListener('abort', () => (uiSawAbort = true));
          asked();
          return new Promise<string>(() => undefined); // never answers
        },
      },
    });
    const pending = call(askUserTool, { question: 'Still there?' }, ctx);
    await uiAsked; // the question is on screen: now interrupt it
    controller.abort(new Error('interrupted'));
    // The UI never answers: the call ends only because of the abort.
    await expect(pending).rejects.toThrow('interrupted');
    expect(uiSawAbort).toBe(true);
  });

  it('passes on the UI failing', async () => {
    const ctx = makeContext({ runtime: { askUser: async () => Promise.reject(new Error('prompt closed')) } });
    await expect(call(askUserTool, { question: 'x?' }, ctx)).rejects.toThrow('prompt closed');
  });

  it('rejects bad arguments', () => {
    const tool = askUserTool.create({});
    expect(tool.parse({}).ok).toBe(false);
    expect(tool.parse({ question: '  ' }).ok).toBe(false);
    expect(tool.parse({ question: 'q', choices: [] }).ok).toBe(false);
    expect(tool.parse({ question: 'q', choices: ['a', 'a'] }).ok).toBe(false);
    expect(tool.parse({ question: 'q', choices: ['a', ''] }).ok).toBe(false);
    expect(tool.parse({ question: 'q', choices: ['yes', 'no'] }).ok).toBe(true);
  });
});
