/** Creatures on a ScriptedLLM for the compose tests, and a gate on their events. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

export const usage = (input: number, output: number) => ({ input, output, cached: 0 });

export async function creature(name: string, script: ScriptStep[]) {
  const llm = new ScriptedLLM(script);
  const pwd = mkdtempSync(join(tmpdir(), 'kt-compose-'));
  const agent = await Agent.build({ name, system_prompt: `You are ${name}.` }, { llm, pwd, catalog: new ToolCatalog(), projectInstructions: false, retry: { maxRetries: 0 } });
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  return { agent, llm, events };
}

/** Resolves with the first event of `type` the agent emits from now on. */
export function next(agent: Agent, type: AgentEvent['type']): Promise<AgentEvent> {
  return new Promise((resolve) => {
    const off = agent.on((event) => {
      if (event.type !== type) return;
      off();
      resolve(event);
    });
  });
}

export function turnEnds(events: AgentEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'turn.end' ? [e.status] : []));
}
