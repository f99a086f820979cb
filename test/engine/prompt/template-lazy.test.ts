/**
 * nunjucks is loaded only for prompts that have a template marker. The
 * module is mocked with a pass-through that counts its loads: in this file
 * (its own module registry), nothing else imports it.
 */
import { describe, expect, it, vi } from 'vitest';
import { renderPrompt } from '../../../source/engine/prompt/template.js';

const loads = vi.hoisted(() => ({ count: 0 }));

vi.mock('nunjucks', async (original) => {
  loads.count++;
  return original();
});

const none = () => undefined;

describe('renderPrompt', () => {
  it('returns plain text as is without loading nunjucks, then loads it once for a template', async () => {
    const plain = 'Plain Markdown: braces { like } this, and a ${VAR} are not markers.';
    expect(await renderPrompt({ text: plain, file: 'plain.md' }, { agent_name: 'a' }, none)).toBe(plain);
    expect(loads.count).toBe(0);

    expect(await renderPrompt({ text: 'Hi {{ agent_name }}', file: 'a.md' }, { agent_name: 'a' }, none)).toBe('Hi a');
    expect(await renderPrompt({ text: '{# note #}Hi', file: 'b.md' }, {}, none)).toBe('Hi');
    expect(loads.count).toBe(1);
  });
});
