/**
 * examples/code/pipeline.ts runs end to end on a scripted model that answers
 * by role (the creature's system prompt) and records what each was asked.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCode, main, ROLES } from '../../../examples/code/pipeline.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';

const roleOf = (request: LLMRequest) => {
  const system = request.messages.find((m) => m.role === 'system');
  const text = system ? contentText(system.content) : '';
  return (Object.keys(ROLES) as Array<keyof typeof ROLES>).find((role) => text.includes(ROLES[role])) ?? 'unknown';
};
const lastUser = (request: LLMRequest) => {
  const user = request.messages.filter((m) => m.role === 'user').at(-1);
  return user ? contentText(user.content) : '';
};

function model() {
  const asked: Array<{ role: string; input: string }> = [];
  let reviews = 0;
  let expertTries = 0;
  const answer = (request: LLMRequest): ScriptEntry => {
    const role = roleOf(request);
    const input = lastUser(request);
    asked.push({ role, input });
    const usage = { input: 10, output: 2, cached: 0 };
    switch (role) {
      case 'coder':
        return { text: 'Sure:\n```ts\nconst isPrime = (n: number) => n > 1;\n```', usage };
      case 'reviewer':
        reviews++;
        // The code review approves; the copy is approved on the second round.
        return { text: reviews === 1 || reviews === 3 ? 'APPROVED, looks fine.' : 'Make the headline shorter.', usage };
      case 'expert':
        expertTries++;
        return { text: 'UNSURE', usage };
      case 'generalist':
        return { text: 'About 70 °C.', usage };
      default:
        return { text: `${role} says hi`, usage };
    }
  };
  // Every call is answered by role: one computed step per call, more than the example makes.
  const llm = new ScriptedLLM(Array.from({ length: 40 }, () => answer));
  return { llm, asked, tries: () => expertTries };
}

describe('examples/code/pipeline.ts', () => {
  it('extractCode takes the first fenced block', () => {
    expect(extractCode('x\n```ts\nlet a = 1;\n```\ny')).toBe('let a = 1;');
    expect(extractCode('no fence')).toBe('no fence');
  });

  it('runs every pipeline: sequence, retry then fallback, parallel, iterate until approved', async () => {
    const { llm, asked, tries } = model();
    const lines: string[] = [];
    const report = await main([], { llm, print: (l) => lines.push(l), pwd: mkdtempSync(join(tmpdir(), 'kt-pipeline-')) });

    // 1. The reviewer saw only the code the function cut out of the coder's answer.
    expect(asked.find((a) => a.role === 'reviewer')?.input).toBe('const isPrime = (n: number) => n > 1;');
    expect(report.review).toBe('APPROVED, looks fine.');
    // 2. Two expert tries ("UNSURE" is a failure), then the generalist.
    expect(tries()).toBe(2);
    expect(report.answer).toBe('About 70 °C.');
    // 3. Three specialists, one answer each, in order.
    expect(report.specialists).toEqual(['analyst says hi', 'writer says hi', 'designer says hi']);
    // 4. Feedback went back to the writer; the second round was approved.
    expect(report.drafts).toEqual(['Make the headline shorter.', 'APPROVED, looks fine.']);
    expect(asked.filter((a) => a.role === 'writer').map((a) => a.input)).toContain('Make the headline shorter.');
    expect(report.approved).toBe(true);
    // Usage: every model call counted once (10 in, 2 out each).
    expect(report.usage).toEqual({ input: 10 * asked.length, output: 2 * asked.length, cached: 0 });
    expect(lines.at(-1)).toMatch(/^approved after 2 round\(s\)/);
  });
});
