/**
 * Creature folders written for the original framework (test/fixtures/
 * original-creatures) load unchanged with the built-in catalog: the dict
 * form `type: builtin`, Jinja prompts, `controller:`, `subagents:` and
 * `termination:` take effect, the original's tools exist, and every piece
 * this version lacks is exactly one warning naming its key.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installBuiltins } from '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

const fixtures = join(import.meta.dirname, '../../fixtures/original-creatures');

async function build(name: string, script: ScriptStep[] = [{ text: 'Hello. TASK COMPLETE' }]) {
  installBuiltins();
  const llm = new ScriptedLLM(script);
  const agent = await Agent.build(join(fixtures, name), { llm, pwd: mkdtempSync(join(tmpdir(), 'kt-orig-')), projectInstructions: false });
  return { agent, llm };
}

/** Each warning as `key: message`, so a test lists what the author is told. */
const warned = (agent: Agent) => agent.warnings.map((w) => `${(w.keyPath ?? []).join('.')}: ${w.message}`);

describe("the original's creature folders", () => {
  it('assistant: dict-form builtins, a Jinja prompt, controller and termination take effect', async () => {
    const { agent, llm } = await build('assistant', [{ text: 'Listing. TASK COMPLETE', toolCalls: [{ name: 'glob', args: { pattern: '*' } }] }, { text: 'never asked' }]);
    await using _ = agent;
    expect(agent.tools).toEqual(['read', 'glob', 'bash', 'python', 'scratchpad']);
    expect(agent.systemPrompt).toContain('You are assistant, a careful assistant working in');
    expect(agent.systemPrompt).toMatch(/- python: Run a Python 3 snippet/);
    expect(agent.definition.config.termination?.max_turns).toBe(20);
    expect(warned(agent)).toEqual(["controller.max_messages: 'controller.max_messages' is accepted but not supported yet; it has no effect"]);
    const result = await agent.run('Say hello.');
    // The keyword from termination ends the turn after the tool round: the model said it was done.
    expect(result.status).toBe('completed');
    expect(llm.calls).toHaveLength(1);
    expect(llm.calls[0]!.temperature).toBe(0.4);
  });

  it('researcher: sub-agents (built-in and inline), show_card, prompt_context_files; memory and output_to warn', async () => {
    const { agent } = await build('researcher', [{ toolCalls: [{ name: 'show_card', args: { title: 'Answer', body: 'Yes.', fields: [{ label: 'Source', value: 'a.org' }], accent: 'success' } }] }, { text: 'Shown.' }]);
    await using _ = agent;
    expect(agent.tools).toEqual(expect.arrayContaining(['web_search', 'web_fetch', 'show_card', 'info', 'explore', 'summarizer']));
    expect(agent.systemPrompt).toContain('Method: search, read the two best pages');
    expect(warned(agent)).toEqual([
      expect.stringMatching(/^memory: /),
      expect.stringMatching(/^subagents\.1\.output_to: .*not supported yet/),
    ]);
    const events: string[] = [];
    agent.on('tool.result', (e) => events.push(`${e.name}:${JSON.stringify(e.metadata?.['card'])}`));
    const result = await agent.run('Is the sky blue?');
    expect(result.status).toBe('completed');
    expect(events).toEqual(['show_card:{"title":"Answer","body":"Yes.","fields":[{"label":"Source","value":"a.org"}],"tone":"success"}']);
  });

  it('team-worker: send_message, a channel trigger, output_wiring and idle_timeout load without warnings; alone, send_message says there is no team', async () => {
    const { agent } = await build('team-worker', [{ toolCalls: [{ name: 'send_message', args: { channel: 'results', message: 'done' } }] }, { text: 'ok' }]);
    await using _ = agent;
    expect(agent.tools).toEqual(['send_message', 'read', 'write', 'add_timer']);
    const results: string[] = [];
    agent.on('tool.result', (e) => results.push(e.output));
    await agent.run('go');
    expect(results).toEqual(['Error: send_message: this creature is not a member of a terrarium, so it has no team to act on']);
    // idle_timeout and output_wiring are honoured here, so nothing warns.
    expect(warned(agent)).toEqual([]);
  });
});
