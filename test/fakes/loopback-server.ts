/**
 * The core every scripted fake API server shares: a `node:http` server on
 * 127.0.0.1, request recording, routing to the model endpoint, the script
 * queue with its optional responder and the exhausted-script error,
 * client-abort counting, the waiters and `close()`. A protocol fake extends
 * `ScriptedServer` and adds only what is its own: its paths, how a reply
 * goes on the wire and its error bodies.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Waiters } from './waiters.js';
import { parseJsonObject } from './wire.js';

/** One HTTP request a fake received. */
export interface Recorded<Body> {
  method: string;
  /** Path without the query string, e.g. `/v1/chat/completions`. */
  path: string;
  /** Lower-cased header names, as Node reports them. */
  headers: IncomingHttpHeaders;
  /** The parsed JSON body; undefined when there was none or it was not JSON. */
  body: Body | undefined;
  /** `Date.now()` when the body had been read. */
  receivedAt: number;
}

/**
 * Computes the reply to a model request once the script is used up.
 * `index` is the 0-based number of the model request (strays do not count).
 */
export type Responder<Rec, Reply> = (request: Rec, index: number) => Reply | Promise<Reply>;

/** The options every scripted fake takes. */
export interface Options<Rec, Reply> {
  /** Replies for the model requests, in order. */
  script?: Reply[];
  /** Asked for a reply when the script is empty. Without one, an empty script answers 500. */
  responder?: Responder<Rec, Reply>;
  /** Default: a free port. */
  port?: number;
}

/** What every scripted fake offers a test. */
export interface Fake<Rec, Reply> {
  /** The API root to hand an SDK as its `baseURL`. */
  readonly baseURL: string;
  readonly port: number;
  /** Every request received (model requests, rejected ones, listings, strays), in order. */
  readonly requests: Rec[];
  /** Requests whose connection the client closed before the response was complete. */
  readonly abortedRequests: number;
  /** Append replies to the script. */
  push(...replies: Reply[]): void;
  /** Resolve once `n` requests in all have been received. */
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /**
   * Resolve on the next client abort not already claimed by an earlier call,
   * so it works whether the abort happened before or after the call.
   */
  waitForAbort(timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy every open connection. */
  close(): Promise<void>;
}

/** Listen on 127.0.0.1 (port 0: a free one) and resolve with the port. */
export function listenOnLoopback(http: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    http.once('error', reject);
    http.listen(port, '127.0.0.1', () => {
      http.off('error', reject);
      resolve((http.address() as AddressInfo).port);
    });
  });
}

/** Stop listening and destroy every connection, hanging ones included, so tests never wait on a socket. */
export function closeLoopback(http: Server): Promise<void> {
  return new Promise((resolve) => {
    http.close(() => resolve());
    http.closeAllConnections();
  });
}

const DEFAULT_WAIT_MS = 5000;

/** How a `fault` reply breaks the stream; see `ScriptedServer.fault`. */
export type FaultKind = 'stall' | 'drip' | 'truncate';

/** A 200 stream that never finishes properly: headers and a first frame or two, then `fault`. */
export interface FakeFault {
  fault: FaultKind;
}

const DRIP_EVERY_MS = 20;

/** What a protocol fake tells the core about itself. */
export interface Protocol {
  /** Names the fake in its own error and timeout messages; default `fake server`. */
  label?: string;
  /** The start of `baseURL` after the origin, e.g. `/v1`. */
  base: string;
  /** POST paths that take the next reply from the script or the responder. */
  reply: RegExp;
  /** GET paths answered with `listModels`. */
  models?: RegExp;
}

/** An error the fake raises itself: unknown route, unreadable body, exhausted script, a throw. */
export interface Complaint {
  status: number;
  message: string;
  /** A machine-readable code, for protocols whose error body has one. */
  code?: string;
  /** The model request's index, for protocols that echo it in their error. */
  requestIndex?: number;
}

/** One model request being answered. */
export interface Turn<Rec extends Recorded<object>> {
  request: Rec;
  /** The request's parsed body (a model request without one never gets this far). */
  body: NonNullable<Rec['body']>;
  /** 0-based number of the model request. */
  index: number;
}

/** The shared machinery; see the module comment. */
export abstract class ScriptedServer<Rec extends Recorded<object>, Reply> implements Fake<Rec, Reply> {
  readonly requests: Rec[] = [];
  abortedRequests = 0;
  /** Kept from `listen`, so it stays readable after `close`. */
  port = 0;
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly script: Reply[];
  private readonly responder: Responder<Rec, Reply> | undefined;
  private readonly waiters: Waiters;
  /** Model requests served so far: the next reply's index. */
  private served = 0;
  private abortsClaimed = 0;
  private closing = false;
  /** Responses we cut off on purpose (`drop`); their close is not the client's doing. */
  private readonly dropped = new WeakSet<ServerResponse>();

  /** Names the fake in its own error and timeout messages. */
  protected readonly label: string;

  constructor(
    private readonly protocol: Protocol,
    options: Options<Rec, Reply>,
  ) {
    this.label = protocol.label ?? 'fake server';
    this.script = [...(options.script ?? [])];
    this.responder = options.responder;
    this.waiters = new Waiters(this.label);
  }

  get baseURL(): string {
    return `http://127.0.0.1:${this.port}${this.protocol.base}`;
  }

  /** Start listening (port 0 or none: a free one); resolves with the fake itself, ready for requests. */
  async listen(port = 0): Promise<this> {
    this.port = await listenOnLoopback(this.http, port);
    return this;
  }

  push(...replies: Reply[]): void {
    this.script.push(...replies);
  }

  waitForRequests(n: number, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    return this.waiters.until(() => this.requests.length >= n, timeoutMs, () => `${n} requests (got ${this.requests.length})`);
  }

  waitForAbort(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const target = ++this.abortsClaimed;
    return this.waiters.until(
      () => this.abortedRequests >= target,
      timeoutMs,
      () => `client abort #${target} (saw ${this.abortedRequests})`,
    );
  }

  close(): Promise<void> {
    this.closing = true;
    return closeLoopback(this.http);
  }

  /** Send the protocol's error body for a complaint of the fake's own. */
  protected abstract complain(res: ServerResponse, complaint: Complaint): void;

  /** Put one scripted or computed reply on the wire. */
  protected abstract play(res: ServerResponse, reply: Reply, turn: Turn<Rec>): Promise<void>;

  /** Write the model listing; fakes whose protocol has `models` implement it. */
  protected listModels?(res: ServerResponse): void;

  /**
   * Answer, and return true for, a model request the real API turns away
   * before producing anything. Such requests use up no reply.
   */
  protected refuse(_request: Rec, _res: ServerResponse): boolean {
    return false;
  }

  /**
   * The reply to a model request when neither the script nor a responder
   * has one. None (the default): the exhausted-script error. A protocol
   * overrides it for endpoints that should answer without a script.
   */
  protected unscripted(_turn: Turn<Rec>): Reply | undefined {
    return undefined;
  }

  /** The record of one request. The chat fakes record this plain shape; richer records override it. */
  protected record(req: IncomingMessage, raw: Buffer): Rec {
    const request: Recorded<object> = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0] ?? '/',
      headers: req.headers,
      body: parseJsonObject(raw),
      receivedAt: Date.now(),
    };
    return request as Rec;
  }

  /** For listings: `fake-model`, then every model id `named` finds in the requests so far. */
  protected modelIds(named: (request: Rec) => string | undefined): string[] {
    const ids = new Set(['fake-model']);
    for (const request of this.requests) {
      const id = named(request);
      if (id) ids.add(id);
    }
    return [...ids];
  }

  /**
   * Cut the connection on purpose: before any header, or once `open` has
   * sent the headers and `partial` has been flushed, so the client really is
   * mid-stream. Not counted as a client abort.
   */
  protected drop(res: ServerResponse, when: 'before-headers' | 'mid-stream', open: () => void, partial: () => string): void {
    this.dropped.add(res);
    if (when === 'before-headers') return void res.socket?.destroy();
    open();
    res.write(partial(), () => res.socket?.destroy());
  }

  /**
   * A stream that never finishes properly, after `open` has sent the headers
   * and `partial` the first frames: `stall` sends nothing more, `drip` sends
   * a byte every few milliseconds that never completes an event, `truncate`
   * ends the response cleanly with no finishing event. Stall and drip last
   * until the client closes the connection (counted as a client abort).
   */
  protected fault(res: ServerResponse, fault: FaultKind, open: () => void, partial: () => string): void {
    open();
    if (fault === 'truncate') return void res.end(partial());
    res.write(partial());
    if (fault === 'stall') return;
    // A comment line that is never ended: bytes keep coming, an event never does.
    res.write(':');
    const drip = setInterval(() => {
      if (!res.destroyed) res.write('.');
    }, DRIP_EVERY_MS);
    res.on('close', () => clearInterval(drip));
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    res.on('close', () => {
      if (res.writableFinished || this.closing || this.dropped.has(res)) return;
      this.abortedRequests++;
      this.waiters.notify();
    });
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      this.handle(req, res, Buffer.concat(parts)).catch((error: unknown) => {
        if (!res.headersSent && !res.destroyed) this.complain(res, { status: 500, message: `${this.label}: ${String(error)}` });
      });
    });
  }

  /** Record the request, then route it: the listing, the model endpoint, or 404. */
  private async handle(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const request = this.record(req, raw);
    this.requests.push(request);
    this.waiters.notify();
    const { method, path } = request;
    if (method === 'GET' && this.listModels && this.protocol.models?.test(path)) return this.listModels(res);
    if (method !== 'POST' || !this.protocol.reply.test(path)) {
      return this.complain(res, { status: 404, message: `${this.label}: no route for ${method} ${path}` });
    }
    if (this.refuse(request, res)) return;
    const body = request.body as Turn<Rec>['body'] | undefined;
    if (!body) return this.complain(res, { status: 400, message: `${this.label}: the body is not JSON` });
    await this.serve(res, { request, body, index: this.served++ });
  }

  /** The script first, then the responder, then the protocol's own answer; with none, the exhausted-script error. */
  private async serve(res: ServerResponse, turn: Turn<Rec>): Promise<void> {
    const reply = this.script.shift() ?? (await this.responder?.(turn.request, turn.index)) ?? this.unscripted(turn);
    if (!reply) {
      const message = `${this.label}: script exhausted after ${turn.index} requests`;
      return this.complain(res, { status: 500, message, code: 'script_exhausted', requestIndex: turn.index });
    }
    await this.play(res, reply, turn);
  }
}
