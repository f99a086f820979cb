/**
 * `appliesTo`: a plugin limited to some creatures or some models. Checked
 * per call, because a creature can switch models mid-session; the answer is
 * cached per (agent, model) pair so the check costs a map lookup.
 */
import type { AppliesTo } from './define.js';

export type AppliesCheck = (agent: string, model: string) => boolean;

export function appliesCheck(rule: AppliesTo | undefined): AppliesCheck {
  if (!rule || (!rule.agents?.length && !rule.models?.length)) return () => true;
  const agents = rule.agents?.length ? new Set(rule.agents) : undefined;
  const models = rule.models?.length ? rule.models.map((m) => (typeof m === 'string' ? new RegExp(m) : m)) : undefined;
  const cache = new Map<string, boolean>();
  return (agent, model) => {
    const key = `${agent}\u0000${model}`;
    let answer = cache.get(key);
    if (answer === undefined) {
      answer = (!agents || agents.has(agent)) && (!models || models.some((re) => re.test(model)));
      cache.set(key, answer);
    }
    return answer;
  };
}
