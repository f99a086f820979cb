/**
 * Recorded sessions as fixtures. `ReplayLLM` is a provider that serves a
 * session's recorded model responses (each creature and sub-agent run its
 * own, in order); `expectSameBehaviour` replays a session against a creature
 * and fails with the first divergence when it behaves differently.
 *
 * ```ts
 * it('still fixes the failing test the way it did', async () => {
 *   await expectSameBehaviour('test/fixtures/fix-test.kohakutr', './creatures/fixer', { tools: 'recorded' });
 * });
 * ```
 */
import type { AgentRef } from '../engine/creature/agent-build.js';
import { formatDivergence } from '../engine/replay/diff.js';
import { replaySession, type ReplayOptions, type ReplayReport } from '../engine/replay/replay-session.js';

export { ReplayProvider as ReplayLLM, type ReplayProviderOptions as ReplayLLMOptions } from '../engine/replay/provider.js';

/** Thrown by `expectSameBehaviour`; `report` holds every divergence. */
export class BehaviourChangedError extends Error {
  constructor(readonly report: ReplayReport) {
    const [first] = report.divergences;
    const more = report.divergences.length > 1 ? `\n(${report.divergences.length - 1} more divergence(s) after it)` : '';
    super(`the creature no longer behaves as recorded in ${report.session}\n${first ? formatDivergence(first) : ''}${more}`);
    this.name = 'BehaviourChangedError';
  }
}

/**
 * Replay `session` (check mode: recorded responses, no network) with
 * `creature` (default: the one recorded) and throw `BehaviourChangedError`
 * unless it makes the same tool calls with the same arguments and gives the
 * same answers. Resolves with the report otherwise.
 */
export async function expectSameBehaviour(session: string, creature?: AgentRef, options: Omit<ReplayOptions, 'creature' | 'llm'> = {}): Promise<ReplayReport> {
  const report = await replaySession(session, { ...options, ...(creature !== undefined ? { creature } : {}) });
  if (!report.ok) throw new BehaviourChangedError(report);
  return report;
}
