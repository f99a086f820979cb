import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyReceived, httpFetch, useHttpFetch } from '../../../source/engine/llm/http-fetch.js';
import { isNetworkError } from '../../../source/engine/llm/network-errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Which connection (1, 2, ...) carried it. */
  connection: number;
}

let servers: Server[] = [];

/** A loopback server answering with `handle`; records each request and numbers connections. */
async function serve(handle: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void) {
  const seen: Seen[] = [];
  let connections = 0;
  const closed: Array<() => void> = [];
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString(), connection: (req.socket as { id?: number }).id ?? 0 };
      seen.push(entry);
      handle(req, res, entry);
    });
    req.on('close', () => closed.shift()?.());
  });
  server.on('connection', (socket) => Object.assign(socket, { id: ++connections }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, seen, connections: () => connections, nextClose: () => new Promise<void>((resolve) => closed.push(resolve)) };
}

afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => { s.closeAllConnections(); s.close(resolve); })));
  servers = [];
});

describe('httpFetch', () => {
  it('sends the method, headers and body bytes, and answers status, headers and body', async () => {
    const { origin, seen } = await serve((_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end('{"ok":true}');
    });
    const response = await httpFetch(`${origin}/v1/x`, { method: 'post', headers: new Headers({ 'Content-Type': 'application/json', Authorization: 'Bearer k' }), body: Buffer.from('{"a":1}') });
    expect(response).toMatchObject({ status: 201, ok: true, url: `${origin}/v1/x`, redirected: false });
    expect(response.headers.get('X-Request-Id')).toBe('req_1');
    expect([...response.headers.entries()].map(([name]) => name)).toContain('x-request-id');
    expect(await response.json()).toEqual({ ok: true });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/v1/x', body: '{"a":1}' });
    expect(seen[0]!.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer k', 'content-length': '7' });
  });

  it('keeps the connection for the next request once a body has been read', async () => {
    const { origin, connections } = await serve((_req, res) => res.end('hello'));
    for (let i = 0; i < 3; i++) expect(await (await httpFetch(`${origin}/`, { method: 'POST', body: 'x' })).text()).toBe('hello');
    expect(connections()).toBe(1);
  });

  it('says when the whole body has arrived, so a reader done early can read the rest instead of closing the socket', async () => {
    let finish!: () => void;
    const { origin } = await serve((_req, res) => {
      res.write('first');
      finish = () => res.end('last');
    });
    const response = await httpFetch(`${origin}/`);
    const iterator = (response.body as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    expect(String((await iterator.next()).value)).toBe('first');
    expect(bodyReceived(response)).toBe(false);
    finish();
    expect(String((await iterator.next()).value)).toBe('last');
    expect(bodyReceived(response)).toBe(true);
    expect(bodyReceived(new Response('x'))).toBe(false);
  });

  it('decodes a gzip answer', async () => {
    const { origin, seen } = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync('squeezed'));
    });
    expect(await (await httpFetch(`${origin}/`)).text()).toBe('squeezed');
    expect(seen[0]!.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('follows redirects as fetch does: 307 resends the POST, 302 turns it into a GET, another origin loses the credentials', async () => {
    const other = await serve((_req, res) => res.end('elsewhere'));
    const { origin, seen } = await serve((req, res) => {
      if (req.url === '/keep') res.writeHead(307, { location: '/target' }).end();
      else if (req.url === '/get') res.writeHead(302, { location: '/target' }).end();
      else if (req.url === '/away') res.writeHead(308, { location: `${other.origin}/there` }).end();
      else res.end(`${req.method} ${req.url}`);
    });
    const post = (path: string) => httpFetch(`${origin}${path}`, { method: 'POST', headers: { authorization: 'Bearer k', 'content-type': 'text/plain' }, body: 'payload' });
    const kept = await post('/keep');
    expect(kept).toMatchObject({ redirected: true, url: `${origin}/target` });
    expect(await kept.text()).toBe('POST /target');
    expect(seen.at(-1)!.body).toBe('payload');
    expect(await (await post('/get')).text()).toBe('GET /target');
    expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
    expect(await (await post('/away')).text()).toBe('elsewhere');
    expect(other.seen[0]!.headers.authorization).toBeUndefined();
    expect(other.seen[0]!.body).toBe('payload');
  });

  it('an abort before the answer rejects with the reason and closes the request', async () => {
    let arrived!: () => void;
    const received = new Promise<void>((resolve) => (arrived = resolve));
    const { origin, nextClose } = await serve(() => arrived());
    const controller = new AbortController();
    const reason = new Error('stop');
    const closed = nextClose();
    const pending = httpFetch(`${origin}/`, { signal: controller.signal });
    await received;
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await closed;
    await expect(httpFetch(`${origin}/`, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('an abort while the body streams ends the body with the reason', async () => {
    const { origin, nextClose } = await serve((_req, res) => res.write('data: 1\n\n'));
    const controller = new AbortController();
    const closed = nextClose();
    const response = await httpFetch(`${origin}/`, { signal: controller.signal });
    const iterator = (response.body as unknown as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    await iterator.next();
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    await closed;
  });

  it('nothing listening → fetch failed, the socket error as its cause', async () => {
    const { origin } = await serve(() => undefined);
    await new Promise((resolve) => { servers[0]!.close(resolve); });
    servers = [];
    const failure: unknown = await httpFetch(`${origin}/`).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
    expect(isNetworkError(failure)).toBe(true);
  });

  it('a connection cut mid-body fails the body with a network error', async () => {
    const { origin } = await serve((_req, res) => {
      res.write('data: 1\n\n');
      setImmediate(() => res.socket?.destroy());
    });
    const response = await httpFetch(`${origin}/`);
    const failure: unknown = await (async () => {
      for await (const _chunk of response.body as unknown as AsyncIterable<Buffer>);
    })().catch((error: unknown) => error);
    expect(isNetworkError(failure)).toBe(true);
  });

  it('leaves requests it does not handle to the global fetch', async () => {
    const { origin, seen } = await serve((_req, res) => res.end('ok'));
    const response = await httpFetch(`${origin}/`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(response).toBeInstanceOf(Response);
    expect(seen[0]!.body).toBe('a=1');
  });
});

describe('useHttpFetch', () => {
  it('is off when proxy variables are set, since only the global fetch honours them', () => {
    expect(useHttpFetch({})).toBe(true);
    expect(useHttpFetch({ HTTPS_PROXY: 'http://proxy:3128' })).toBe(false);
    expect(useHttpFetch({ http_proxy: 'http://proxy:3128' })).toBe(false);
    expect(useHttpFetch({ NODE_USE_ENV_PROXY: '1' })).toBe(false);
  });
});
