import { describe, expect, it } from 'vitest';
import { AbortReason } from '../../../source/engine/errors.js';
import type { EventDraft } from '../../../source/engine/events.js';
import { InteractionFailedError, Interactions, NoAnswerError } from '../../../source/engine/creature/interactions.js';

function hub() {
  const events: EventDraft[] = [];
  return { events, interactions: new Interactions((d) => events.push(d), 'c1') };
}

describe('Interactions', () => {
  it('fails at once when no surface is attached', async () => {
    const { interactions, events } = hub();
    await expect(interactions.request('approval', { tool: 'bash' })).rejects.toBeInstanceOf(NoAnswerError);
    expect(events).toEqual([]);
  });

  it('logs the request and the reply, and resolves the asker with the reply', async () => {
    const { interactions, events } = hub();
    interactions.attach();
    const answer = interactions.request('ask', { question: 'Which file?' });
    expect(events).toEqual([{ type: 'interaction.request', id: 'c1_1', kind: 'ask', payload: { question: 'Which file?' } }]);
    expect(interactions.open).toEqual([{ id: 'c1_1', kind: 'ask', payload: { question: 'Which file?' } }]);
    expect(interactions.respond('c1_1', 'main.ts')).toBe(true);
    expect(await answer).toBe('main.ts');
    expect(events[1]).toEqual({ type: 'interaction.reply', id: 'c1_1', reply: 'main.ts', outcome: 'answered' });
    expect(interactions.respond('c1_1', 'again')).toBe(false);
    expect(interactions.open).toEqual([]);
  });

  it('logs a cancelled request when the turn ends first and rejects with the abort reason', async () => {
    const { interactions, events } = hub();
    interactions.attach();
    const abort = new AbortController();
    const answer = interactions.request('approval', { tool: 'bash' }, abort.signal);
    abort.abort(new AbortReason('interrupted'));
    await expect(answer).rejects.toBeInstanceOf(AbortReason);
    expect(events[1]).toMatchObject({ type: 'interaction.reply', outcome: 'cancelled' });
    expect(interactions.respond('c1_1', 'approve')).toBe(false);
  });

  it('turns a crashed surface into an error for the asker, never a reply', async () => {
    const { interactions, events } = hub();
    interactions.attach();
    const answer = interactions.request('approval', { tool: 'edit' });
    interactions.fail('c1_1', new Error('render crashed'));
    const error = await answer.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InteractionFailedError);
    expect((error as Error).message).toContain('render crashed');
    expect(events[1]).toMatchObject({ outcome: 'failed', error: 'render crashed' });
  });

  it('counts surfaces: requests work while any one stays attached', async () => {
    const { interactions } = hub();
    const first = interactions.attach();
    const second = interactions.attach();
    first();
    first();
    expect(interactions.available).toBe(true);
    second();
    expect(interactions.available).toBe(false);
  });
});
