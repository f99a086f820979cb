/**
 * The session store as a creature's session port sees it (creature/session-port.ts):
 * small named state kept under the creature's name, and sub-agent runs.
 * Structural on purpose: session/ never imports creature/.
 */
import type { Message } from '../llm/messages.js';
import { saveSubagentRun } from './side-records.js';
import type { SessionStore } from './store.js';

export function sessionBackend(store: SessionStore, creature: string) {
  const key = (name: string) => `creature:${creature}:${name}`;
  return {
    getState: <T>(name: string): T | undefined => store.getState<T>(key(name)),
    setState: (name: string, value: unknown): void => store.setState(key(name), value),
    deleteState: (name: string): void => store.deleteState(key(name)),
    /** State rows under `name:` by the rest of their key. */
    statesUnder: <T>(name: string): Record<string, T> => {
      const prefix = key(`${name}:`);
      return Object.fromEntries(store.statesWithPrefix<T>(prefix).map(([k, v]) => [k.slice(prefix.length), v]));
    },
    saveRun: (run: { name: string; jobId: string; status: string; messages: Message[] }): void => saveSubagentRun(store, { creature, turn: null, ...run }),
  };
}
