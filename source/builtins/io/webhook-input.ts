/**
 * `input: {type: webhook, port: 8788}`: an HTTP endpoint on 127.0.0.1.
 * Each POST to `path` is a turn (JSON `{input|message|prompt}` or the raw
 * text), answered with `{status, text, turnId}` once the turn has ended.
 * Requests run in arrival order, as every turn does. With `secret`, the
 * body must be signed (`X-Signature-256: sha256=<hex HMAC-SHA256>`, the
 * GitHub convention), compared in constant time. A client that goes away
 * does not cancel its turn: the creature already has the work.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
// node:http reaches the bundles through a stand-in loaded on first use (scripts/lazy-deps.mjs): its ESM wrapper would load undici.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { InputDefinition } from '../../engine/io/catalog.js';
import type { InputContext, InputModule } from '../../engine/io/input.js';

const MAX_BODY = 1024 * 1024;
const HOST = '127.0.0.1';

const options = lazySchema(() => z
  .object({
    port: z.number().int().min(0).max(65535).default(8788),
    path: z.string().startsWith('/', 'path must start with /').default('/'),
    secret: z.string().min(1).optional(),
  })
  .strict());
type WebhookInputOptions = z.infer<typeof options>;

export const webhookInput: InputDefinition<WebhookInputOptions> = {
  kind: 'webhook',
  description: 'a turn per HTTP POST on 127.0.0.1, answered with the turn result',
  options: options as unknown as z.ZodType<WebhookInputOptions>,
  create: (opts) => new WebhookInput(opts),
};

export class WebhookInput implements InputModule {
  readonly kind = 'webhook';
  private server: Server | undefined;

  constructor(private readonly options: WebhookInputOptions) {}

  /** The port listened on (the one picked when `port: 0`). */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  describe(): string {
    return `POST http://${HOST}:${this.port ?? this.options.port}${this.options.path}`;
  }

  async start(ctx: InputContext): Promise<void> {
    const server = createServer((req, res) => void this.handle(ctx, req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => {
        const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.message;
        reject(new Error(`cannot listen on ${HOST}:${this.options.port}: ${why}`));
      });
      server.listen(this.options.port, HOST, () => resolve());
    });
    this.server = server;
  }

  /** Stop listening. Requests in flight are answered when their turns end (the creature cancels them next). */
  stop(): void {
    this.server?.close();
    this.server?.closeIdleConnections();
  }

  private async handle(ctx: InputContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== this.options.path) return reply(res, 404, { error: `not found; POST to ${this.options.path}` });
    if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' });
    const body = await readBody(req);
    if (body === 'too-large') return reply(res, 413, { error: `the body is larger than ${MAX_BODY} bytes` });
    if (this.options.secret && !signed(body, this.options.secret, req.headers['x-signature-256'])) {
      ctx.warn(`refused a request with a missing or wrong X-Signature-256`);
      return reply(res, 401, { error: 'bad signature' });
    }
    const input = inputOf(body.toString('utf8'));
    if (!input.trim()) return reply(res, 400, { error: 'empty input; send {"input": "..."} or plain text' });
    try {
      const turn = await ctx.submit(input, { source: 'api', label: `POST ${this.options.path}` });
      reply(res, 200, { status: turn.status, text: turn.text, turnId: turn.turnId });
    } catch (error) {
      reply(res, 503, { error: (error as Error).message });
    }
  }
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return; // the client left; the turn ran anyway
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function signed(body: Buffer, secret: string, header: string | string[] | undefined): boolean {
  const given = Array.isArray(header) ? header[0] : header;
  if (!given?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(body).digest('hex'), 'utf8');
  const actual = Buffer.from(given.slice('sha256='.length).toLowerCase(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** `{input}`, `{message}` or `{prompt}` from a JSON body; anything else is the text itself. */
function inputOf(text: string): string {
  if (!text.trimStart().startsWith('{')) return text;
  try {
    const data = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['input', 'message', 'prompt']) if (typeof data[key] === 'string') return data[key] as string;
  } catch {
    // Not JSON after all: the raw text is the input.
  }
  return text;
}
