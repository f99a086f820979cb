/**
 * What a session file says about itself: ids, where its creature came from
 * (and a snapshot of the config, for when that folder is gone), where it
 * ran, and when.
 */

export interface SessionMeta {
  sessionId: string;
  formatVersion: number;
  /** `agent`: one creature; `terrarium`: a team's graph (every member in the one file, by name). */
  kind: 'agent' | 'terrarium';
  /** The creature reference the session was started with (`@kt-biome/creatures/swe`, a path, or `<inline>`). */
  configRef: string;
  /** The config file it resolved to, when there was one. */
  configPath?: string;
  /** The merged config, to rebuild the creature when `configPath` is gone. */
  configSnapshot?: Record<string, unknown>;
  /** The model it ran on (`provider/preset[@variation]`). */
  model?: string;
  pwd: string;
  createdAt: number;
  lastActive: number;
  /** Creature names in the session. */
  agents: string[];
  /** Turns taken, all creatures. */
  turns: number;
  /** The first user input, for listings. */
  firstPrompt?: string;
  /** For a fork: the session it was copied from, and up to which event. */
  forkedFrom?: { sessionId: string; path: string; eventId: number };
  /**
   * A terrarium graph's lineage: the sessions this file was made from. Two
   * or more when graphs merged (`mergedAt`), one when it is the copy a part
   * of a split graph took (`splitAt`). Their files are kept: nothing is dropped.
   */
  parentSessionIds?: string[];
  mergedAt?: number;
  splitAt?: number;
  /** A terrarium's team name. */
  terrariumName?: string;
  hostname?: string;
  nodeVersion?: string;
  kohakuterrariumVersion?: string;
}

/** Keys of `SessionMeta` as stored in the `meta` table (one row per key, JSON values). */
export type MetaKey = keyof SessionMeta;
