/**
 * The host's requests to one worker. Each waits on its worker: when that
 * worker is failed (its heartbeats stopped), every request still waiting on
 * it fails at once with `WorkerFailedError` instead of running into its
 * timeout (a turn cut off by a kill ends now, not in ten minutes).
 */
import type { NatsConnection } from '@nats-io/transport-node';
import { UsageError } from '../errors.js';
import { decode, encode } from './connect.js';
import type { GraphOp } from './graph-protocol.js';
import type { Reply, WorkerRequest } from './protocol.js';
import type { LabSubjects } from './subjects.js';

/** A request to a worker that failed while it waited (a turn cut off by a kill). */
export class WorkerFailedError extends UsageError {}

export class WorkerAsker {
  private readonly inflight = new Map<string, Set<(error: Error) => void>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
  ) {}

  async ask(node: string, request: WorkerRequest | GraphOp, timeout = 30_000): Promise<unknown> {
    let reject!: (error: Error) => void;
    const failed = new Promise<never>((_, r) => (reject = r));
    const waiting = this.inflight.get(node) ?? new Set();
    this.inflight.set(node, waiting.add(reject));
    let msg: Awaited<ReturnType<NatsConnection['request']>>;
    try {
      msg = await Promise.race([this.nc.request(this.subjects.node(node), encode(request), { timeout }), failed]);
    } finally {
      waiting.delete(reject);
    }
    const reply = decode<Reply>(msg.data);
    if (!reply.ok) throw new UsageError(`worker '${node}': ${reply.error}`);
    return reply.value;
  }

  /** The worker failed: whatever waits on it fails now. */
  failAll(node: string): void {
    for (const reject of this.inflight.get(node) ?? []) reject(new WorkerFailedError(`worker '${node}' failed while it was asked this`));
  }
}
