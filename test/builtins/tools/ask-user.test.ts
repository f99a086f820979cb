import { describe, expect, it } from 'vitest';
import { askUserTool } from '../../../source/builtins/tools/ask-user.js';
import { Interactions } from '../../../source/engine/creature/interactions.js';
import type { EventDraft } from '../../../source/engine/events.js';
import type { ToolResultObject } from '../../../source/engine/tools/tool.js';
import { call, makeContext, result } from './context.js';

/** A real interaction hub with one surface attached; `requests` resolves as questions arrive. */
function hub() {
  const events: EventDraft[] = [];
  let notify: (() => void) | undefined;
  const interactions = new Interactions((draft) => {
    events.push(draft);
    if (draft.type === 'interaction.request') notify?.();
  }, 't');
  interactions.attach();
  const nextRequest = () =>
    new Promise<Extract<EventDraft, { type: 'interaction.request' }>>((resolve) => {
      const found = () => events.find((e): e is Extract<EventDraft, { type: 'interaction.request' }> => e.type === 'interaction.request');
      const now = found();
      if (now) resolve(now);
      else notify = () => resolve(found() as Extract<EventDraft, { type: 'interaction.request' }>);
    });
  return { interactions, events, nextRequest };
}

describe('ask_user', () => {
  it('is exclusive: one question at a time', () => {
    expect(askUserTool.create({}).concurrency).toBe('exclusive');
  });

  it('asks through an interaction request and returns the answer', async () => {
    const { interactions, nextRequest } = hub();
    const ctx = makeContext({ runtime: { interactions } });
    const pending = call(askUserTool, { question: 'Which colour?', choices: ['red', 'blue'] }, ctx);
    const request = await nextRequest();
    expect(request).toMatchObject({ kind: 'ask', payload: { question: 'Which colour?', choices: ['red', 'blue'] } });
    interactions.respond(request.id, '  The blue one.  ');
    const out = (await pending) as ToolResultObject;
    expect(result(out)).toEqual({ text: 'The user answered:\nThe blue one.', isError: false });
    expect(out.metadata).toEqual({ question: 'Which colour?', answer: 'The blue one.', choices: ['red', 'blue'] });
  });

  it('passes no choices when none were given, and reports an empty answer', async () => {
    const { interactions, nextRequest } = hub();
    const pending = call(askUserTool, { question: 'Anything else?' }, makeContext({ runtime: { interactions } }));
    const request = await nextRequest();
    expect('choices' in request.payload).toBe(false);
    interactions.respond(request.id, '');
    expect(result(await pending).text).toBe('The user gave an empty answer.');
  });

  it('fails at once when nobody can answer', async () => {
    const alone = new Interactions(() => undefined);
    for (const runtime of [{}, { interactions: alone }]) {
      await expect(call(askUserTool, { question: 'Proceed?' }, makeContext({ runtime }))).rejects.toThrow(
        /nobody can answer questions in this mode .*Proceed on your best judgement.*or stop and explain/,
      );
    }
  });

  it('stops waiting when aborted and logs the question as cancelled', async () => {
    const { interactions, events, nextRequest } = hub();
    const controller = new AbortController();
    const pending = call(askUserTool, { question: 'Still there?' }, makeContext({ signal: controller.signal, runtime: { interactions } }));
    await nextRequest();
    controller.abort(new Error('interrupted'));
    await expect(pending).rejects.toThrow('interrupted');
    expect(events.at(-1)).toMatchObject({ type: 'interaction.reply', outcome: 'cancelled' });
    expect(interactions.open).toEqual([]);
  });

  it('passes on the surface failing', async () => {
    const { interactions, nextRequest } = hub();
    const pending = call(askUserTool, { question: 'x?' }, makeContext({ runtime: { interactions } }));
    interactions.fail((await nextRequest()).id, new Error('prompt closed'));
    await expect(pending).rejects.toThrow('prompt closed');
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
