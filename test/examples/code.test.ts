/**
 * examples/code/*: each example's `main` runs against a scripted model and
 * does what its header says (the tool is called, the plugin blocks and
 * records, the session replays, the memory search finds the right note).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as customTool } from '../../examples/code/custom_tool.js';
import { main as embedding, NOTES } from '../../examples/code/embedding.js';
import { main as pluginExample } from '../../examples/code/plugin.js';
import { main as replay } from '../../examples/code/session_replay.js';
import { ScriptedLLM } from '../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-example-'));
const quiet = () => undefined;

describe('examples/code', () => {
  it('custom_tool: the model calls convert_currency and gets the converted amount', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'convert_currency', args: { amount: 25, from: 'EUR', to: 'JPY' } }] }, { text: '25 euros is about 4060 yen.' }]);
    const result = await customTool({ llm, print: quiet });
    expect(result.status).toBe('completed');
    expect(result.toolCalls.map((c) => [c.name, c.output])).toEqual([['convert_currency', '25 EUR = 4060.00 JPY']]);
  });

  it('plugin: an edit outside notes/ is refused with the reason; the trail holds the call that ran', async () => {
    const pwd = dir();
    const llm = new ScriptedLLM([
      { toolCalls: [{ name: 'write', args: { path: 'todo.md', content: 'x' } }] },
      { toolCalls: [{ name: 'write', args: { path: 'notes/meeting.md', content: 'Moved to Friday.\n' } }] },
      { text: 'Noted.' },
    ]);
    const { result, trail } = await pluginExample({ llm, pwd, print: quiet });
    expect(result.toolCalls.map((c) => [c.name, c.isError])).toEqual([['write', true], ['write', false]]);
    expect(result.toolCalls[0]!.output).toContain('write may only change files under notes/ here');
    expect(readFileSync(join(pwd, 'notes/meeting.md'), 'utf8')).toBe('Moved to Friday.\n');
    expect(trail).toEqual([{ tool: 'write', ok: true }]);
  });

  it('session_replay: two recorded turns come back with their tool calls and answers', async () => {
    const llm = new ScriptedLLM([{ toolCalls: [{ name: 'glob', args: { pattern: '*' } }] }, { text: 'Only the session file.' }, { text: 'Nothing else.' }]);
    const lines = await replay({ llm, dir: dir(), print: quiet });
    expect(lines[0]).toBe('#1 › Which files are here?');
    expect(lines[1]).toMatch(/^ {2}✓ glob \{"pattern":"\*"\}$/);
    expect(lines).toContain('  Only the session file.');
    expect(lines).toContain('#2 › Thanks. Anything else to know?');
    expect(lines.at(-1)).toMatch(/^\(\d+ messages in the conversation\)$/);
  });

  it('embedding: the notes are recorded, indexed with vectors, and the payroll note ranks first', async () => {
    const llm = new ScriptedLLM(NOTES.map(() => ({ text: 'Noted.' })));
    const hits = await embedding({ llm, dir: dir(), print: quiet });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.content).toContain('payroll export');
  });
});
