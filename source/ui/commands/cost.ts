/**
 * `/cost`: tokens and dollars per model, from the cost_tracker plugin (which
 * prices every call from the model presets). When the plugin is off it is
 * switched on, so figures count from then; the tokens before are shown as
 * the creature counted them.
 */
import type { Agent } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';
import { formatCost, formatTokens } from '../format.js';

interface ModelRow {
  input: number;
  output: number;
  cached: number;
  costUsd: number;
  calls: number;
}

export const costCommand: SlashCommand = {
  name: 'cost',
  summary: 'Tokens and cost per model so far',
  async run(agent: Agent): Promise<CommandOutcome> {
    const enabled = agent.plugins.list().find((p) => p.name === 'cost_tracker')?.enabled ?? false;
    if (!enabled) {
      try {
        await agent.plugins.enable('cost_tracker');
      } catch (error) {
        return { kind: 'note', tone: 'error', text: `cost tracking is not available: ${(error as Error).message}` };
      }
      const usage = agent.usage;
      return {
        kind: 'note',
        tone: 'warning',
        text:
          `Cost tracking was off; it counts from now (ask again after the next answer).\n` +
          `So far: ${agent.model}  ↑ ${formatTokens(usage.input)} ↓ ${formatTokens(usage.output)} (${formatTokens(usage.cached)} cached), price not counted.`,
      };
    }
    const report = agent.pluginReport('cost_tracker');
    const models = (report?.['models'] ?? {}) as Record<string, ModelRow>;
    const names = Object.keys(models);
    if (!report || names.length === 0) return { kind: 'note', text: 'No model calls yet.' };
    const unpriced = new Set(Array.isArray(report['unpriced']) ? (report['unpriced'] as unknown[]).map(String) : []);
    const width = Math.max(5, ...names.map((n) => n.length));
    const header = `${'model'.padEnd(width)}  calls      input     cached     output       cost`;
    const rows = names.map((name) => {
      const m = models[name]!;
      const cost = unpriced.has(name) ? 'no price' : formatCost(m.costUsd);
      return `${name.padEnd(width)}  ${String(m.calls).padStart(5)}  ${formatTokens(m.input).padStart(9)}  ${formatTokens(m.cached).padStart(9)}  ${formatTokens(m.output).padStart(9)}  ${cost.padStart(9)}`;
    });
    const total = typeof report['costUsd'] === 'number' ? formatCost(report['costUsd']) : '?';
    const footnote = unpriced.size ? `\n(no price known for ${[...unpriced].join(', ')}: add pricing to its preset)` : '';
    return { kind: 'note', text: [header, ...rows, `${'total'.padEnd(width)}  ${' '.repeat(42)}${total.padStart(9)}`].join('\n') + footnote };
  },
};
