/**
 * What a run cost, from its events: turns, model calls, tool calls, tokens,
 * time and (when the model's preset has a price) dollars. The same numbers
 * for the recording and the replay make the A/B table of `kt replay --llm`.
 */
import type { AgentEvent } from '../events.js';
import type { Env } from '../home.js';
import { addUsage, emptyUsage, type Usage } from '../llm/messages.js';
import { ModelCatalog } from '../llm/profiles/catalog.js';
import type { Pricing } from '../llm/profiles/types.js';

export interface RunFigures {
  model: string;
  turns: number;
  /** Model calls (rounds), sub-agents' included. */
  steps: number;
  toolCalls: number;
  tokens: Usage;
  /** Time in turns (the creature's own), milliseconds. */
  durationMs: number;
  /** Dollars, when the model's preset has a price. */
  costUsd?: number;
}

export function figuresOf(events: Iterable<AgentEvent>, model: string, price?: Pricing): RunFigures {
  const figures: RunFigures = { model, turns: 0, steps: 0, toolCalls: 0, tokens: emptyUsage(), durationMs: 0 };
  let cost = 0;
  for (const event of events) {
    if (event.type === 'step.end') {
      figures.steps++;
      addUsage(figures.tokens, event.usage);
      if (price) cost += callCost(event.usage, price);
    } else if (event.type === 'tool.call') figures.toolCalls++;
    else if (event.type === 'turn.end' && event.agentPath.length === 1) {
      figures.turns++;
      figures.durationMs += event.durationMs;
    }
  }
  if (price) figures.costUsd = Math.round(cost * 1e6) / 1e6;
  return figures;
}

/** A model's price from the presets (`provider/preset[@variation]`), if any. */
export function priceOf(model: string, env: Env): Pricing | undefined {
  const [provider, name] = (model.split('@')[0] ?? '').split('/', 2);
  if (!provider || !name) return undefined;
  try {
    return ModelCatalog.load(env).preset(provider, name)?.pricing;
  } catch {
    return undefined; // a broken profiles file must not fail a replay; the cost column stays empty
  }
}

function callCost(usage: Usage, price: Pricing): number {
  const cached = Math.min(usage.cached, usage.input);
  return ((usage.input - cached) * price.input + cached * (price.cached ?? price.input) + usage.output * price.output) / 1_000_000;
}
