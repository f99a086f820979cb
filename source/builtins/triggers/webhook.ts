/**
 * `webhook`: a small HTTP server; each POST to `path` becomes a turn. With a
 * `secret`, the raw body must carry a GitHub-style HMAC-SHA256 signature
 * (`X-Signature-256` or `X-Hub-Signature-256: sha256=<hex>`). The reply is
 * 202 with the turn id at once; answering with the turn's text is the
 * webhook input module's job, not this trigger's.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
// node:http reaches the bundles through a stand-in loaded on first use (scripts/lazy-deps.mjs): its ESM wrapper would load undici.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerContext, TriggerDefinition } from '../../engine/triggers/trigger.js';
import { fillTemplate } from './template.js';

export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

const options = lazySchema(() => z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(0),
  path: z.string().startsWith('/').default('/'),
  secret: z.string().min(1).optional(),
  prompt: z.string().min(1).optional(),
  max_body_bytes: z.number().int().positive().default(WEBHOOK_BODY_LIMIT),
}));

type Options = z.output<typeof options>;

export const webhookTrigger: TriggerDefinition<Options> = {
  kind: 'webhook',
  description: 'an HTTP endpoint: each POST becomes a turn (optional HMAC-SHA256 secret)',
  options,
  create(o) {
    let server: Server | undefined;
    let port = o.port;
    return {
      kind: 'webhook',
      describe: () => `POST http://${o.host}:${port}${o.path}`,
      async start(ctx) {
        // A request that fails mid-read (client went away) just drops its socket.
        server = createServer((req, res) => void handle(o, ctx, req, res).catch(() => res.destroy()));
        const listening = server;
        await new Promise<void>((resolve, reject) => {
          listening.once('error', (error: NodeJS.ErrnoException) => {
            const why = error.code === 'EADDRINUSE' ? 'the port is in use' : error.message;
            reject(new Error(`cannot listen on ${o.host}:${o.port}: ${why}`));
          });
          listening.listen(o.port, o.host, () => resolve());
        });
        port = (listening.address() as AddressInfo).port;
        listening.on('error', (error) => ctx.warn(`server error: ${error.message}`));
      },
      async stop() {
        const closing = server;
        if (!closing?.listening) return;
        await new Promise<void>((resolve) => {
          closing.close(() => resolve());
          closing.closeAllConnections();
        });
      },
    };
  },
};

async function handle(o: Options, ctx: TriggerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path !== o.path) return reply(res, 404, { error: `no webhook at ${path}` });
  if (req.method !== 'POST') return reply(res, 405, { error: 'use POST' });
  const raw = await readBody(req, o.max_body_bytes);
  if (raw === undefined) {
    ctx.warn(`refused a request to ${path}: body over ${o.max_body_bytes} bytes`);
    return reply(res, 413, { error: `body over ${o.max_body_bytes} bytes` });
  }
  if (o.secret && !signatureMatches(o.secret, raw, req)) {
    ctx.warn(`refused a request to ${path}: missing or bad signature`);
    return reply(res, 401, { error: 'missing or bad signature' });
  }
  const text = raw.toString('utf8');
  const body = prettyJson(text, req.headers['content-type']);
  const values = { body, path, method: req.method };
  const content = o.prompt ? fillTemplate(o.prompt, values) : `[Webhook ${req.method} ${path}]\n${body}`;
  const outcome = ctx.fire({ content, context: { path, method: req.method, contentType: req.headers['content-type'] ?? null } });
  if (!outcome.accepted) return reply(res, 503, { accepted: false, error: 'the creature is not taking events now' });
  reply(res, 202, { accepted: true, turnId: outcome.turnId });
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

/** The raw body, or undefined once it grows past `limit` (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function signatureMatches(secret: string, raw: Buffer, req: IncomingMessage): boolean {
  const header = req.headers['x-signature-256'] ?? req.headers['x-hub-signature-256'];
  const given = Array.isArray(header) ? header[0] : header;
  if (!given?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'), 'utf8');
  const actual = Buffer.from(given.slice('sha256='.length).toLowerCase(), 'utf8');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** JSON bodies are indented for the model; anything else goes as sent. */
function prettyJson(text: string, contentType: string | undefined): string {
  if (!contentType?.includes('json') && !/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
