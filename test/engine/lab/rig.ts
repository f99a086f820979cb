/**
 * The set-up every Laboratory test file shares: one real nats-server and one
 * fake OpenAI server for the file (started in beforeAll, stopped in afterAll
 * with whatever the tests opened, last first), and helpers that start hosts
 * and workers on them. What a file changes (the model's replies, the
 * workers' heartbeat, the host's clock or failure checks) it says when it
 * calls `labRig`, or per host and worker; nothing here waits on wall time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LabHost, type HostOptions } from '../../../source/engine/lab/host.js';
import { LabWorker, type WorkerOptions } from '../../../source/engine/lab/worker.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import type { TerrariumOptions } from '../../../source/engine/terrarium/terrarium.js';
import { startFakeOpenAI, type FakeOpenAIServer, type FakeResponder } from '../../fakes/openai-server.js';
import { startNats, type NatsServer } from './nats-server.js';

export interface LabRigOptions {
  /** The fake model's replies (default: always `noted`). */
  responder?: FakeResponder;
  /** Every worker's heartbeat (default: the worker's own). */
  heartbeatMs?: number;
  /** Options every host of the file starts with (a call's own options go over them). */
  hostOptions?: Partial<HostOptions>;
}

/** A worker's options; `team` is laid over the rig's terrarium options (own home, pwd, the fake model). */
export type RigWorkerOptions = Partial<Omit<WorkerOptions, 'team'>> & { team?: Partial<TerrariumOptions> };

export interface LabRig {
  readonly nats: NatsServer;
  readonly openai: FakeOpenAIServer;
  /** Run in afterAll, last first, before the servers stop. */
  readonly closers: Array<() => Promise<void>>;
  tmp(what: string): string;
  /** Keys and base URL of the fake model, with a fresh home unless one is given. */
  env(home?: { KT_CONFIG_DIR: string; KT_HOME: string }): NodeJS.ProcessEnv;
  worker(lab: string, node: string, extra?: RigWorkerOptions): Promise<LabWorker>;
  /** A host with its own session folder unless `options.sessionDir` names one. */
  host(lab: string, options?: Partial<HostOptions>): Promise<LabHost>;
  /** Resolves when the host holds every named worker alive. */
  joined(h: LabHost, nodes: string[]): Promise<void>;
  /** The next host notice of `what` (about `node`, if named); resolves with its detail. */
  next(h: LabHost, what: string, node?: string): Promise<string>;
  /** The host hears a heartbeat `w` sends now (and everything sent before it). */
  heardFrom(h: LabHost, w: LabWorker): Promise<void>;
  /** Let the host's injected clock pass a silent worker's heartbeats while `alive` keeps beating, then have it look. */
  failSilent(h: LabHost, clock: { t: number }, alive: LabWorker): Promise<void>;
  /** A terrarium.yaml in a folder of its own. */
  recipeFile(text: string): string;
  /** Finished turns of a top-level creature in the host's file of the graph (0 before the file exists). */
  turnEnds(h: LabHost, graph: string, creature: string): number;
}

/** The spawn request for a bare creature `name` in `graph`. */
export const spec = (name: string, graph: string) => ({ graph, name, config: { name }, folder: tmpdir(), listen: [], canSend: [], privileged: false, channels: [] });

export function labRig(options: LabRigOptions = {}): LabRig {
  let nats: NatsServer | undefined;
  let openai: FakeOpenAIServer | undefined;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    nats = await startNats();
    openai = await startFakeOpenAI({ responder: options.responder ?? (() => ({ text: 'noted' })) });
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await nats?.kill();
    await openai?.close();
  });

  const started = <T>(what: string, value: T | undefined): T => {
    if (!value) throw new Error(`the lab rig's ${what} is not running (used outside a test?)`);
    return value;
  };
  const tmp = (what: string) => mkdtempSync(join(tmpdir(), `kt-lab-${what}-`));

  const rig: LabRig = {
    get nats() {
      return started('nats-server', nats);
    },
    get openai() {
      return started('fake model', openai);
    },
    closers,
    tmp,
    env(home) {
      const dir = home ? undefined : tmp('home');
      return { ...(home ?? { KT_CONFIG_DIR: dir, KT_HOME: dir }), OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: rig.openai.baseURL };
    },
    async worker(lab, node, extra = {}) {
      const { team, ...rest } = extra;
      const w = await LabWorker.start({
        url: rig.nats.url, token: rig.nats.token, lab, node,
        ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
        ...rest,
        team: { env: team?.env ?? rig.env(), pwd: tmp('pwd'), llm: 'openai/test-model', ...team },
      });
      closers.push(() => w.close());
      return w;
    },
    async host(lab, own = {}) {
      const h = await LabHost.start({ url: rig.nats.url, token: rig.nats.token, lab, sessionDir: own.sessionDir ?? tmp('host'), ...options.hostOptions, ...own });
      closers.push(() => h.close());
      return h;
    },
    async joined(h, nodes) {
      const missing = () => nodes.filter((n) => !h.status().workers.some((w) => w.node === n && w.status === 'alive'));
      if (!missing().length) return;
      await new Promise<void>((resolve) => {
        const off = h.on(() => {
          if (missing().length) return;
          off();
          resolve();
        });
      });
    },
    next(h, what, node) {
      return new Promise((resolve) => {
        const off = h.on((kind, detail) => {
          if (kind !== what || (node && detail !== node)) return;
          off();
          resolve(detail);
        });
      });
    },
    async heardFrom(h, w) {
      const heard = rig.next(h, 'beat', w.options.node);
      w.beat();
      await heard;
    },
    async failSilent(h, clock, alive) {
      await rig.heardFrom(h, alive);
      clock.t += 60_000;
      await rig.heardFrom(h, alive);
      h.checkWorkers();
    },
    recipeFile(text) {
      const file = join(tmp('recipe'), 'terrarium.yaml');
      writeFileSync(file, text);
      return file;
    },
    turnEnds(h, graph, creature) {
      let reader: SessionReader;
      try {
        reader = new SessionReader(h.events.pathOf(graph));
      } catch {
        return 0;
      }
      try {
        return [...reader.events({ types: ['turn.end'] })].filter((e) => e.agentPath.length === 1 && e.agentPath[0] === creature).length;
      } finally {
        reader.close();
      }
    },
  };
  return rig;
}
