/**
 * What a terrarium keeps in its session file besides its members' events,
 * by state key. The terrarium writes these (terrarium/graph-session.ts);
 * the reader reads them. The shapes here are the part the reader needs,
 * structural so session/ stays below terrarium/.
 */

/** The graph after its last change (`Topology.toJSON()`). */
export const TOPOLOGY_KEY = 'terrarium:topology';
/** How each member was made, by name (to rebuild members added at run time). */
export const MEMBERS_KEY = 'terrarium:members';
/** A recipe given as an object (no file to re-read on resume). */
export const RECIPE_KEY = 'terrarium:recipe';

export interface SavedTopology {
  creatures: Array<{ name: string; privileged: boolean; parent?: string }>;
  channels: Array<{ name: string; type: string; description: string }>;
}
