/**
 * A fake OpenAI-compatible embeddings server on loopback: `POST
 * /v1/embeddings` answers each input with a deterministic vector (the
 * offline hash embedding of the text, so similar texts get similar
 * vectors), honours `dimensions`, and can be told to fail the next
 * requests with a status (429, 401, 500) or a malformed body.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { HashEmbedder } from '../../source/engine/session/search/embeddings/hash.js';
import { closeLoopback, listenOnLoopback } from './loopback-server.js';

export interface EmbeddingsRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: { model?: string; input?: string[] | string; dimensions?: number; encoding_format?: string } | undefined;
}

/** What the next request gets instead of vectors. */
export type Failure = { status: number; message?: string; headers?: Record<string, string> } | { malformed: true };

export interface EmbeddingsServerOptions {
  /** Width of the model's own vectors (default 32). */
  dimensions?: number;
}

export class EmbeddingsServer {
  readonly requests: EmbeddingsRequest[] = [];
  port = 0;
  private readonly failures: Failure[] = [];
  private readonly http = createServer((req, res) => void this.accept(req, res));
  private readonly dimensions: number;

  private constructor(options: EmbeddingsServerOptions) {
    this.dimensions = options.dimensions ?? 32;
  }

  static async start(options: EmbeddingsServerOptions = {}): Promise<EmbeddingsServer> {
    const server = new EmbeddingsServer(options);
    server.port = await listenOnLoopback(server.http);
    return server;
  }

  /** The API root, for `baseURL` / `OPENAI_BASE_URL`. */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Fail the next requests, one failure each, in order. */
  fail(...failures: Failure[]): void {
    this.failures.push(...failures);
  }

  /** Texts embedded so far (probe included), in order. */
  get inputs(): string[] {
    return this.requests.flatMap((r) => (Array.isArray(r.body?.input) ? r.body.input : r.body?.input ? [r.body.input] : []));
  }

  close(): Promise<void> {
    return closeLoopback(this.http);
  }

  private async accept(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: EmbeddingsRequest['body'];
    try {
      body = text ? (JSON.parse(text) as EmbeddingsRequest['body']) : undefined;
    } catch {
      body = undefined;
    }
    const path = (req.url ?? '').split('?')[0] as string;
    this.requests.push({ path, headers: req.headers, body });
    if (req.method !== 'POST' || path !== '/v1/embeddings') return send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const failure = this.failures.shift();
    if (failure && 'malformed' in failure) return send(res, 200, { object: 'list', model: body?.model });
    if (failure) return send(res, failure.status, { error: { message: failure.message ?? `failure ${failure.status}`, type: 'fake' } }, failure.headers);
    const inputs = Array.isArray(body?.input) ? body.input : typeof body?.input === 'string' ? [body.input] : [];
    if (!inputs.length) return send(res, 400, { error: { message: "'input' is required" } });
    const embedder = new HashEmbedder(body?.dimensions ?? this.dimensions);
    const data = inputs.map((input, index) => ({ object: 'embedding', index, embedding: Array.from(embedder.embedOne(input)) }));
    // Out of order on purpose: clients must place vectors by `index`.
    data.reverse();
    send(res, 200, { object: 'list', model: body?.model, data, usage: { prompt_tokens: inputs.length, total_tokens: inputs.length } });
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
