/** Read a slice of the view model; the component re-renders only when that slice changes. */
import { useSyncExternalStore } from 'react';
import type { Agent } from '../../index.js';
import type { AgentSlot } from '../state/agent-slot.js';
import type { ViewStore } from '../state/store.js';
import type { ViewState } from '../state/view.js';

export function useView<T>(store: ViewStore, select: (state: ViewState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** The creature, once it is built (undefined before). */
export function useAgent(slot: AgentSlot): Agent | undefined {
  return useSyncExternalStore(slot.subscribe, slot.getAgent);
}
