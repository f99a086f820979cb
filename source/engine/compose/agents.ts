/**
 * Creatures as steps. `agent(ref)` builds one persistent creature: its
 * conversation carries on from call to call, and `await using` (or `stop()`)
 * ends it. `factory(ref)` builds a fresh creature for every call and stops it
 * when the call ends, so calls share nothing (safe in `par`).
 */
import { Agent, type AgentRef, type BuildOptions } from '../creature/agent.js';
import { definitionFrom } from '../creature/agent-build.js';
import { UsageError } from '../errors.js';
import type { UserContent } from '../llm/messages.js';
import { Composable } from './composable.js';
import { runTurnStep, turnNode } from './leaves.js';
import type { Node } from './node.js';

/** A composable creature that owns its Agent. */
export class AgentRunnable extends Composable<UserContent, string> implements AsyncDisposable {
  constructor(readonly agent: Agent) {
    super(turnNode(agent, agent.name));
  }

  /** Stop the creature (idempotent). */
  stop(): Promise<void> {
    return this.agent.stop();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Build a persistent creature as a step. A bad reference or model fails here, not mid-run. */
export async function agent(ref: AgentRef, options: BuildOptions = {}): Promise<AgentRunnable> {
  const built = await Agent.build(ref, options);
  try {
    await built.start();
  } catch (error) {
    await built.stop();
    throw error;
  }
  return new AgentRunnable(built);
}

/**
 * A step that builds a fresh creature for each call. The definition is
 * loaded once, here, so a bad reference fails at once; the model and tools
 * are built per call (a bad model name fails the first call).
 */
export function factory(ref: AgentRef, options: BuildOptions = {}): Composable<UserContent, string> {
  // Every call is a new creature: one session file would be resumed by all of them at once.
  if (options.session !== undefined) throw new UsageError('factory() builds a fresh creature per call and cannot share one session file; use agent() for a creature with a session');
  const definition = definitionFrom(ref, options.env ?? process.env, options.pwd ?? process.cwd());
  const label = definition.name;
  const node: Node<UserContent, string> = {
    label,
    exec: (input, exec) =>
      runTurnStep(
        () => Agent.build(definition, { sessionRef: typeof ref === 'string' ? ref : label, ...options }),
        label,
        input,
        exec,
        (creature) => (creature as Agent).stop(),
      ),
  };
  return new Composable(node);
}
