/**
 * examples/code/batch_grading.ts: one terrarium grades 60 submissions with 60
 * creatures. The fake model holds every request at a gate; all 60 reaching
 * it before any is let through proves the graders run at the same time (run
 * one after another, the second request would never come and the wait fails).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, readGrade } from '../../../examples/code/batch_grading.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import type { LLMRequest, LLMStreamPart, Provider } from '../../../source/engine/llm/provider.js';
import { until } from '../../helpers/until.js';

/** A model that answers only once `open()` is called, and counts the requests waiting for it. */
function gatedModel(answer: (prompt: string) => string) {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const state = { waiting: 0, answered: 0, open: () => open() };
  const llm: Provider = {
    id: 'fake/gated',
    provider: 'fake',
    model: 'gated',
    async *stream(request: LLMRequest): AsyncIterable<LLMStreamPart> {
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      state.waiting++;
      await gate;
      state.waiting--;
      state.answered++;
      yield { type: 'text', text: answer(last ? contentText(last.content) : '') };
      yield { type: 'finish', finishReason: 'stop' };
    },
  };
  return { llm, state };
}

/** Grades the way the example's graders are told to: by what the answer mentions. */
function grader(prompt: string): string {
  const answer = prompt.split('\n').at(-1) ?? '';
  if (/wavelength/i.test(answer)) return 'A | scattering and wavelength both explained';
  if (/blue is scattered/i.test(answer)) return 'B | scattering named, wavelength missing';
  if (/scatters/i.test(answer)) return 'C | scattering named, blue not explained';
  if (answer === '(no answer)') return 'F | empty';
  return 'D | wrong mechanism';
}

describe('examples/code/batch_grading.ts', () => {
  it('grades 60 submissions with 60 creatures whose model calls are all in flight at once, and prints the table', async () => {
    const { llm, state } = gatedModel(grader);
    const lines: string[] = [];
    const pwd = mkdtempSync(join(tmpdir(), 'kt-grading-'));
    const running = main([], { llm, pwd, print: (line) => lines.push(line) });
    await until(() => state.waiting === 60, `60 grader requests waiting at the gate (got ${state.waiting})`);
    expect(state.answered).toBe(0);
    state.open();
    const grades = await running;
    expect(state.answered).toBe(60);
    expect(grades).toHaveLength(60);
    expect(grades.slice(0, 6).map((g) => `${g.submission} ${g.grade}`)).toEqual(['s01 A', 's02 B', 's03 C', 's04 D', 's05 D', 's06 F']);
    expect(grades.filter((g) => g.grade === 'A')).toHaveLength(10);
    expect(lines).toHaveLength(61);
    expect(lines[0]).toMatch(/^submission\s+grade\s+reason$/);
    expect(lines[1]).toMatch(/^s01\s+A\s+scattering and wavelength both explained$/);
    expect(lines[60]).toMatch(/^s60\s+F\s+empty$/);
  });

  it('reads a grade line leniently and keeps an unreadable reply as the reason', () => {
    expect(readGrade('s1', '`B+ | close`')).toEqual({ submission: 's1', grade: 'B+', reason: 'close' });
    expect(readGrade('s2', '\nC | partly right\nmore text')).toEqual({ submission: 's2', grade: 'C', reason: 'partly right' });
    expect(readGrade('s3', 'I think this is good.')).toEqual({ submission: 's3', grade: '?', reason: 'I think this is good.' });
  });

  it('refuses a bad --count by name', async () => {
    await expect(main(['--count', 'many'])).rejects.toThrow(/--count must be a positive whole number, not 'many'/);
  });
});
