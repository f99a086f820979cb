/** Building a real Agent with the built-in triggers and setup tools, on a FakeClock, recording what fired. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerBuiltinTools } from '../../../source/builtins/tools/index.js';
import { registerBuiltinTriggers } from '../../../source/builtins/triggers/index.js';
import { timerDefinition, type RandomSource } from '../../../source/builtins/triggers/timer.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { ScriptedLLM, type ScriptStep } from '../../../source/testing/scripted-llm.js';

export const tempDir = () => mkdtempSync(join(tmpdir(), 'kt-btrig-'));

export function triggerCatalogWith(random?: RandomSource): TriggerCatalog {
  const catalog = new TriggerCatalog();
  if (random) catalog.register(timerDefinition(random));
  registerBuiltinTriggers(catalog);
  return catalog;
}

export function toolCatalog(): ToolCatalog {
  const catalog = new ToolCatalog();
  registerBuiltinTools(catalog);
  return catalog;
}

export interface Built {
  agent: Agent;
  llm: ScriptedLLM;
  events: AgentEvent[];
  /** Inputs of the trigger fires, in order. */
  fired(): string[];
  /** Texts of ended turns. */
  ends(): string[];
}

export interface BuildOptions {
  config?: Record<string, unknown>;
  clock?: FakeClock;
  session?: string;
  pwd?: string;
  script?: ScriptStep[];
  triggerCatalog?: TriggerCatalog;
  start?: boolean;
}

export async function build(options: BuildOptions = {}): Promise<Built> {
  const llm = new ScriptedLLM(options.script ?? [], { defaultEntry: { text: 'ok' } });
  const agent = await Agent.build({ name: 'bot', ...options.config }, {
    llm,
    pwd: options.pwd ?? tempDir(),
    catalog: toolCatalog(),
    triggerCatalog: options.triggerCatalog ?? triggerCatalogWith(),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.session ? { session: options.session } : {}),
  });
  const events: AgentEvent[] = [];
  agent.on((e) => events.push(e));
  if (options.start !== false) await agent.start();
  return {
    agent,
    llm,
    events,
    fired: () => events.flatMap((e) => (e.type === 'trigger.fired' ? [e.content] : [])),
    ends: () => events.flatMap((e) => (e.type === 'turn.end' ? [e.text] : [])),
  };
}

/** Let promise callbacks and I/O already due run (turns end in a few ticks). */
export async function until(check: () => boolean, what = 'the condition'): Promise<void> {
  for (let i = 0; i < 5000 && !check(); i++) await new Promise((r) => setImmediate(r));
  if (!check()) throw new Error(`${what} never held`);
}
