/** Re-render when the team view changes; read a slice of it. */
import { useSyncExternalStore } from 'react';
import type { TeamStore } from './team-store.js';
import type { TeamView } from './team-state.js';

export function useTeam<T>(team: TeamStore, pick: (view: TeamView) => T): T {
  return useSyncExternalStore(team.subscribe, () => pick(team.getState()));
}
