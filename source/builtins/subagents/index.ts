/**
 * The built-in sub-agents, one per file; this one lists them and puts them
 * in the sub-agent catalog. Each is data: a prompt (built on the shared
 * preamble in base-prompt.ts), a tool allow-list from the built-in tools,
 * and a budget.
 */
import { type SubagentCatalog, type SubagentDefinition, subagentCatalog } from '../../engine/creature/subagent-catalog.js';
import { coordinatorSubagent } from './coordinator.js';
import { criticSubagent } from './critic.js';
import { exploreSubagent } from './explore.js';
import { memoryReadSubagent } from './memory-read.js';
import { memoryWriteSubagent } from './memory-write.js';
import { planSubagent } from './plan.js';
import { researchSubagent } from './research.js';
import { responseSubagent } from './response.js';
import { summarizeSubagent } from './summarize.js';
import { workerSubagent } from './worker.js';

export { REPORT_HEADING, SUBAGENT_PREAMBLE, subagentPrompt } from './base-prompt.js';
export {
  coordinatorSubagent,
  criticSubagent,
  exploreSubagent,
  memoryReadSubagent,
  memoryWriteSubagent,
  planSubagent,
  researchSubagent,
  responseSubagent,
  summarizeSubagent,
  workerSubagent,
};

export const builtinSubagents: SubagentDefinition[] = [
  // look and think (read-only)
  exploreSubagent,
  planSubagent,
  criticSubagent,
  researchSubagent,
  // change
  workerSubagent,
  // organise
  coordinatorSubagent,
  // write for someone
  summarizeSubagent,
  responseSubagent,
  // remember
  memoryReadSubagent,
  memoryWriteSubagent,
];

/**
 * Register every built-in sub-agent in `catalog`. Safe to call more than
 * once; a name that is already taken (by an earlier call, or by a package
 * that replaced a built-in on purpose) is left as it is.
 */
export function registerBuiltinSubagents(catalog: SubagentCatalog = subagentCatalog): void {
  for (const definition of builtinSubagents) {
    if (!catalog.has(definition.name)) catalog.register(definition);
  }
}
