/**
 * Finding sessions: every `.kohakutr` in the session folder with what a
 * picker shows (creature, when, how many turns, how it started), and
 * resolving what a user typed (a path, a name prefix, `--last`).
 */
import { randomHex } from '../util/random-id.js';
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SessionError } from '../errors.js';
import { SessionStore } from './store.js';
import { TOPOLOGY_KEY, type SavedTopology } from './team-state.js';

export const SESSION_EXTENSION = '.kohakutr';

export interface SessionSummary {
  path: string;
  /** The file name without the extension: what `kt resume <name>` takes. */
  name: string;
  sessionId: string;
  /** A creature's session, or a team's (a terrarium run, `kt resume` brings the whole team back). */
  kind: 'creature' | 'terrarium';
  /** The creature, or for a team the terrarium's name. */
  creature: string;
  /** A team's members (in its saved topology). */
  members?: number;
  lastActive: number;
  turns: number;
  firstPrompt?: string;
  model?: string;
  pwd: string;
  configRef: string;
}

/**
 * The meta counts turns as they end; a process killed mid-turn (SIGKILL, a
 * crash, power) leaves a turn that started and never ended. It was still
 * asked, and resume shows it, so listings count it too.
 */
function endedMidTurn(store: SessionStore): boolean {
  const row = store.database
    .prepare(
      "SELECT MAX(CASE WHEN type = 'turn.start' THEN id END) AS started, MAX(CASE WHEN type = 'turn.end' THEN id END) AS ended FROM events WHERE type IN ('turn.start', 'turn.end') AND agent_path IS NULL",
    )
    .get() as { started: number | null; ended: number | null };
  return row.started !== null && (row.ended === null || row.started > row.ended);
}

/** What a listing shows in its creature column: the creature, or the team with its size. */
export function whoOf(summary: Pick<SessionSummary, 'kind' | 'creature' | 'members'>): string {
  return summary.kind === 'terrarium' ? `${summary.creature} (team of ${summary.members ?? '?'})` : summary.creature;
}

/** Sessions in `dir`, most recently active first. Files that are not readable sessions are skipped and reported. */
export function listSessions(dir: string): { sessions: SessionSummary[]; skipped: Array<{ path: string; reason: string }> } {
  const sessions: SessionSummary[] = [];
  const skipped: Array<{ path: string; reason: string }> = [];
  for (const path of sessionFiles(dir)) {
    try {
      const store = SessionStore.open(path, { readonly: true });
      try {
        const meta = store.meta;
        const summary: SessionSummary = {
          path,
          name: basename(path, SESSION_EXTENSION),
          sessionId: meta.sessionId,
          kind: meta.kind === 'terrarium' ? 'terrarium' : 'creature',
          creature: (meta.kind === 'terrarium' ? meta.terrariumName : meta.agents[0]) ?? '?',
          lastActive: meta.lastActive,
          turns: meta.turns + (endedMidTurn(store) ? 1 : 0),
          pwd: meta.pwd,
          configRef: meta.configRef,
        };
        if (meta.kind === 'terrarium') summary.members = store.getState<SavedTopology>(TOPOLOGY_KEY)?.creatures.length ?? meta.agents.length;
        if (meta.firstPrompt) summary.firstPrompt = meta.firstPrompt;
        if (meta.model) summary.model = meta.model;
        sessions.push(summary);
      } finally {
        store.close();
      }
    } catch (error) {
      skipped.push({ path, reason: (error as Error).message });
    }
  }
  sessions.sort((a, b) => b.lastActive - a.lastActive);
  return { sessions, skipped };
}

/** A lab host keeps its graphs' files in this folder of the session folder: they are listed and resumed like local ones. */
export const LAB_SESSION_FOLDER = 'lab';

/** `.kohakutr` files in `dir` (and its `lab/` folder), newest file first. */
export function sessionFiles(dir: string): string[] {
  const paths: string[] = [];
  for (const folder of [dir, join(dir, LAB_SESSION_FOLDER)]) {
    try {
      paths.push(...readdirSync(folder).filter((n) => n.endsWith(SESSION_EXTENSION)).map((n) => join(folder, n)));
    } catch {
      // No such folder.
    }
  }
  return paths
    .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .map((f) => f.path);
}

/**
 * The sessions a reference means: an existing path, or every session in
 * `dir` whose name starts with it (or contains it, when nothing starts with it).
 */
export function matchSessions(ref: string, dir: string): string[] {
  try {
    if (statSync(ref).isFile()) return [ref];
  } catch {
    // not a path
  }
  const files = sessionFiles(dir);
  const stem = ref.endsWith(SESSION_EXTENSION) ? ref.slice(0, -SESSION_EXTENSION.length) : ref;
  const prefixed = files.filter((f) => basename(f, SESSION_EXTENSION).startsWith(stem));
  return prefixed.length ? prefixed : files.filter((f) => basename(f, SESSION_EXTENSION).includes(stem));
}

/** Exactly one session for `ref`, or a SessionError saying why not. */
export function findSession(ref: string, dir: string): string {
  const found = matchSessions(ref, dir);
  if (found.length === 1) return found[0] as string;
  if (!found.length) throw new SessionError(`no session matches '${ref}' in ${dir}`, { hint: 'kt sessions lists them' });
  const names = found.slice(0, 10).map((f) => basename(f, SESSION_EXTENSION));
  throw new SessionError(`'${ref}' matches ${found.length} sessions: ${names.join(', ')}${found.length > 10 ? ', …' : ''}`, { hint: 'give more of the name' });
}

/**
 * A fresh file name for a creature's new session:
 * `<creature>_<yyyymmdd-hhmmss>_<8 hex>.kohakutr`. 32 random bits make two
 * runs started in the same second practically never pick the same name, and
 * creation is exclusive (a taken name fails, it is never reused).
 */
export function newSessionPath(dir: string, creature: string, now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  const suffix = randomHex(4);
  const safe = creature.replace(/[^A-Za-z0-9._-]+/g, '-');
  return join(dir, `${safe}_${stamp}_${suffix}${SESSION_EXTENSION}`);
}
