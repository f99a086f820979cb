/**
 * Connecting a creature to its session file at build time: a new file, or
 * an existing one whose state the creature picks up where it stopped.
 */
import { randomHex } from '../util/random-id.js';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RestoredState } from './records.js';
import type { AgentEvent } from '../events.js';
import type { CreatureDefinition } from '../config/loader.js';
import { configSnapshot } from '../config/snapshot.js';
import { SessionError } from '../errors.js';
import { readCreatureState } from './restore.js';
import { saveJob } from './side-records.js';
import { SessionStore } from './store.js';

export interface SessionTarget {
  /** The session file (created when absent). */
  path: string;
  /** What the creature was built from: a reference, a path, or `<inline>`. */
  ref: string;
  definition: CreatureDefinition;
  pwd: string;
  model?: string;
  /** Use this id for a new session. */
  sessionId?: string;
  version?: string;
  /**
   * The creature's first events (`creature.start`, `system.prompt`), written
   * in the transaction that creates a new file, so no session ever lacks
   * them. Ignored when the file exists.
   */
  firstEvents?: readonly AgentEvent[];
  /** The file must not exist yet: create it or fail (`SESSION_EXISTS`), never resume someone else's. */
  mustBeNew?: boolean;
  /** The creature's instance id (its snapshots are kept under it). */
  creatureId?: string;
}

export interface PreparedSession {
  store: SessionStore;
  sessionId: string;
  /** Present when the file existed: the creature's state to restore. */
  restored?: RestoredState;
  /** Events already in a new file from `firstEvents`: the creature's own first emission of each type is not logged again (unless it says something else). */
  logged: readonly AgentEvent[];
}

export function newSessionId(): string {
  return `session_${randomHex(6)}`;
}

export function prepareSession(target: SessionTarget): PreparedSession {
  if (existsSync(target.path)) {
    if (target.mustBeNew) throw new SessionError(`a session file already exists at ${target.path}`, { code: 'SESSION_EXISTS' });
    return resumeSession(target);
  }
  try {
    return createSession(target);
  } catch (error) {
    // Another process created it between our look and our link: resume it like any existing file.
    if (target.mustBeNew || !(error instanceof SessionError) || error.code !== 'SESSION_EXISTS') throw error;
    return resumeSession(target);
  }
}

function resumeSession(target: SessionTarget): PreparedSession {
  const name = target.definition.name;
  const store = SessionStore.open(target.path, { owner: true });
  try {
    const meta = store.meta;
    if (!meta.agents.includes(name)) {
      throw new SessionError(`${target.path} is a session of ${meta.agents.join(', ')}, not of ${name}`, {
        hint: 'resume it with kt resume, or start a new session',
      });
    }
    const restored = readCreatureState(store, name, target.creatureId);
    // Jobs cannot outlive their process: the ones still running when it ended are interrupted now.
    for (const job of restored.interruptedJobs ?? []) saveJob(store, name, { ...job, status: 'interrupted', endedAt: Date.now() });
    store.updateMeta({ lastActive: Date.now(), pwd: target.pwd, ...(target.model ? { model: target.model } : {}) });
    return { store, sessionId: meta.sessionId, restored, logged: [] };
  } catch (error) {
    store.close();
    throw error;
  }
}

function createSession(target: SessionTarget): PreparedSession {
  const name = target.definition.name;
  const sessionId = target.sessionId ?? newSessionId();
  const now = Date.now();
  const firstEvents = (target.firstEvents ?? []).map((e) => ({ ...e, sessionId }));
  const store = SessionStore.create(target.path, {
    sessionId,
    kind: 'agent',
    configRef: target.ref,
    ...(target.definition.configFile ? { configPath: target.definition.configFile } : {}),
    configSnapshot: configSnapshot(target.definition),
    ...(target.model ? { model: target.model } : {}),
    pwd: target.pwd,
    createdAt: now,
    lastActive: now,
    agents: [name],
    turns: 0,
    hostname: hostname(),
    nodeVersion: process.version,
    ...(target.version ? { kohakuterrariumVersion: target.version } : {}),
  }, { firstEvents });
  return { store, sessionId, logged: firstEvents };
}
