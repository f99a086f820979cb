/**
 * Every NATS subject a lab uses, under `kt.<lab>.`: two labs on one NATS
 * server never hear each other, and a server's permissions can grant a
 * worker exactly its lab's subtree.
 */
import { UsageError } from '../errors.js';

const TOKEN = /^[A-Za-z0-9_-]+$/;

/** A lab or node name is one subject token: letters, digits, _ and -. */
export function checkName(kind: 'lab' | 'node', name: string): string {
  if (!TOKEN.test(name)) throw new UsageError(`a ${kind} name is letters, digits, _ and - (got '${name}')`);
  return name;
}

/** A channel name as one subject token (names outside the token alphabet are hex-encoded behind `x`). */
export function channelToken(channel: string): string {
  return TOKEN.test(channel) && !channel.startsWith('x') ? channel : `x${Buffer.from(channel).toString('hex')}`;
}

export function channelFromToken(token: string): string {
  return token.startsWith('x') ? Buffer.from(token.slice(1), 'hex').toString() : token;
}

export function labSubjects(lab: string) {
  const root = `kt.${checkName('lab', lab)}`;
  return {
    root,
    /** Workers' heartbeats (the first one announces the worker). */
    heartbeat: `${root}.hb`,
    /** A worker leaving on purpose. */
    bye: `${root}.bye`,
    /** The host's notices (a worker marked failed), heard by every worker. */
    failed: `${root}.failed`,
    /** Requests to one worker (spawn, stop, list). */
    node: (node: string) => `${root}.node.${node}.rpc`,
    /** Requests any one worker may answer (a queue group of all workers). */
    anyWorker: `${root}.any`,
    /** Queue-channel messages handed to one listener on `node`. */
    deliver: (node: string) => `${root}.node.${node}.deliver`,
    /** Broadcast channel traffic. */
    channel: (channel: string) => `${root}.ch.${channelToken(channel)}`,
    channels: `${root}.ch.*`,
    /** Who listens where: each node's channel directory, and the call to send it again. */
    directory: (node: string) => `${root}.dir.${node}`,
    directories: `${root}.dir.*`,
    directorySync: `${root}.dirsync`,
    /** Output-wire deliveries to one creature, wherever it runs (its worker subscribes while it runs there). */
    wire: (creature: string) => `${root}.cr.${creature}.wire`,
    /** The host's heartbeat: its lease to the workers and who owns which creature (fencing, reconcile on heal). */
    hostBeat: `${root}.hosthb`,
    /** A worker asking the host, at a tool boundary, whether a call may run (idempotency, fencing). */
    grant: `${root}.grant`,
    /** Requests to the host (status, apply a recipe). */
    host: `${root}.host`,
    /** Remote creatures' events, one subject per graph (a JetStream stream per lab captures them). */
    events: (graph: string) => `${root}.ev.${graph}`,
    eventsAll: `${root}.ev.>`,
    /** The JetStream stream and the host's durable consumer. */
    stream: `KT_${lab.replace(/-/g, '_')}_EVENTS`,
    consumer: 'kt-host',
    /** Model calls a worker makes through the host (it holds the keys). */
    model: `${root}.model`,
    queueGroup: 'kt-workers',
  };
}

export type LabSubjects = ReturnType<typeof labSubjects>;
