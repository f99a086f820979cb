/**
 * Model calls made by the host on a worker's behalf, so a worker needs no
 * API key at all. The worker's creature talks to a `HostModelProvider`: it
 * publishes the request on the lab's model subject with a reply subject of
 * its own (under `kt.<lab>.`), and the host streams the provider's parts
 * back there, then `done` or the error. Keys stay on the host: no message
 * carries one. The host serves only what it was told to (`grants`: worker →
 * providers it may use through the host), and nobody else.
 */
import { randomBytes } from 'node:crypto';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { ProviderError, UsageError, type ProviderErrorClass } from '../errors.js';
import type { Env } from '../home.js';
import { createProvider } from '../llm/create.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../llm/provider.js';
import { resolveLLM } from '../llm/resolve.js';
import { redact, redactDeep, rememberSecret } from '../util/redact.js';
import { decode, encode } from './connect.js';
import type { LabSubjects } from './subjects.js';

export interface ModelCall {
  id: string;
  node: string;
  /** The model the creature asked for (preset or provider/model); absent: the host's default. */
  llm?: string;
  request: LLMRequest;
}

export type ModelReply =
  | { parts: LLMStreamPart[] }
  | { done: true }
  | { error: { message: string; errorClass: ProviderErrorClass; status?: number; retryAfterMs?: number } };

/** A worker's side: a provider whose every call the host makes. */
export class HostModelProvider implements Provider {
  readonly id: string;
  readonly provider = 'lab-host';
  readonly model: string;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly node: string,
    private readonly llm: string | undefined,
    /** No part for this long: the host is gone (a transient error, retried by the creature). */
    private readonly idleMs = 120_000,
  ) {
    this.model = llm ?? 'host default';
    this.id = `lab-host/${this.model}`;
  }

  async *stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart> {
    const id = randomBytes(8).toString('hex');
    const reply = `${this.subjects.model}.reply.${this.node}.${id}`;
    const sub = this.nc.subscribe(reply);
    const call: ModelCall = { id, node: this.node, ...(this.llm ? { llm: this.llm } : {}), request };
    const iterator = sub[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const idle = () =>
      new Promise<'idle'>((resolve) => {
        clearTimeout(timer);
        timer = setTimeout(() => resolve('idle'), options.timeouts?.idleMs ?? this.idleMs);
        timer.unref();
      });
    const aborted = new Promise<'aborted'>((resolve) => options.signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
    let finished = false;
    try {
      this.nc.publish(this.subjects.model, encode(call), { reply });
      for (;;) {
        const next = await Promise.race([iterator.next(), idle(), aborted]);
        if (next === 'aborted') throw options.signal.reason ?? new Error('aborted');
        if (next === 'idle') throw new ProviderError('the lab host did not answer the model call in time', { provider: this.provider, errorClass: 'transient' });
        if (next.done) throw new ProviderError('the model call was cut off', { provider: this.provider, errorClass: 'transient' });
        const message = decode<ModelReply>(next.value.data);
        if ('parts' in message) yield* message.parts;
        else if ('done' in message) {
          finished = true;
          return;
        } else {
          finished = true;
          const { message: text, errorClass, status, retryAfterMs } = message.error;
          throw new ProviderError(`via the lab host: ${text}`, { provider: this.provider, errorClass, ...(status !== undefined ? { status } : {}), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
        }
      }
    } finally {
      clearTimeout(timer);
      if (!finished && !this.nc.isClosed()) this.nc.publish(`${this.subjects.model}.cancel`, encode({ id }));
      sub.unsubscribe();
    }
  }
}

/** `worker-a=openai,anthropic` (repeatable; `*` for every worker or every provider) → grants. */
export function parseGrants(entries: readonly string[]): Record<string, string[]> {
  const grants: Record<string, string[]> = {};
  for (const entry of entries) {
    const [node, providers] = entry.split('=');
    if (!node || !providers) throw new UsageError(`--grant takes worker=provider[,provider] (got '${entry}')`);
    grants[node] = [...(grants[node] ?? []), ...providers.split(',').map((p) => p.trim()).filter(Boolean)];
  }
  return grants;
}

/** The host's side: answers model calls for granted workers with its own keys. */
export class ModelProxy {
  private sub: Subscription | undefined;
  private cancelSub: Subscription | undefined;
  private readonly running = new Map<string, AbortController>();
  private readonly providers = new Map<string, Promise<Provider>>();
  /** Calls served and refused (tests). */
  served = 0;
  refused = 0;

  constructor(
    private readonly nc: NatsConnection,
    private readonly subjects: LabSubjects,
    private readonly grants: Record<string, string[]>,
    private readonly env: Env,
    private readonly defaultLlm: string | undefined,
  ) {}

  start(): void {
    this.sub = this.nc.subscribe(this.subjects.model, { callback: (_e, msg) => {
        if (msg.reply) void this.serve(decode<ModelCall>(msg.data), msg.reply);
      } });
    this.cancelSub = this.nc.subscribe(`${this.subjects.model}.cancel`, { callback: (_e, msg) => this.running.get(decode<{ id: string }>(msg.data).id)?.abort() });
  }

  private granted(node: string, provider: string): boolean {
    const allowed = [...(this.grants[node] ?? []), ...(this.grants['*'] ?? [])];
    return allowed.includes(provider) || allowed.includes('*');
  }

  private async serve(call: ModelCall, reply: string): Promise<void> {
    // Replies go only to a reply subject of this lab's model calls, never to an arbitrary subject a caller names.
    if (!reply.startsWith(`${this.subjects.model}.reply.${call.node}.`)) return;
    const send = (message: ModelReply) => this.nc.publish(reply, encode(redactDeep(message)));
    const controller = new AbortController();
    this.running.set(call.id, controller);
    try {
      const llm = call.llm ?? this.defaultLlm;
      const resolved = resolveLLM({ ...(llm ? { explicit: llm } : {}), env: this.env });
      // A provider that echoes the key back (in an error, say) must not put it on the wire.
      if (resolved.credential.kind === 'key') rememberSecret(resolved.credential.key);
      if (!this.granted(call.node, resolved.backend.name)) {
        this.refused++;
        send({ error: { message: `the host makes no ${resolved.backend.name} calls for worker '${call.node}' (kt lab host --grant ${call.node}=${resolved.backend.name})`, errorClass: 'auth' } });
        return;
      }
      let provider = this.providers.get(resolved.id);
      if (!provider) this.providers.set(resolved.id, (provider = createProvider(resolved, { env: this.env })));
      let batch: LLMStreamPart[] = [];
      for await (const part of (await provider).stream(call.request, { signal: controller.signal })) {
        batch.push(part);
        // Text arrives in many small parts: a few go together, and everything goes out at once on a non-text part.
        if (batch.length >= 16 || (part.type !== 'text' && part.type !== 'reasoning')) {
          send({ parts: batch });
          batch = [];
        }
      }
      if (batch.length) send({ parts: batch });
      this.served++;
      send({ done: true });
    } catch (error) {
      const e = error as Partial<ProviderError> & { message?: string };
      send({
        error: {
          message: redact(e.message ?? String(error)),
          errorClass: e instanceof ProviderError ? e.errorClass : 'unknown',
          ...(e.status !== undefined ? { status: e.status } : {}),
          ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
        },
      });
    } finally {
      this.running.delete(call.id);
    }
  }

  async close(): Promise<void> {
    this.sub?.unsubscribe();
    this.cancelSub?.unsubscribe();
    for (const c of this.running.values()) c.abort();
    for (const p of this.providers.values()) await (await p.catch(() => undefined))?.close?.();
  }
}
