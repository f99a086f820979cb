import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APIError } from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from '../../../../source/engine/llm/http-fetch.js';
import { chunkBatches, type StreamedResponse } from '../../../../source/engine/llm/openai/chunk-batches.js';

/** A response whose body arrives as these pieces, one read each. */
function response(...pieces: string[]): StreamedResponse {
  return {
    body: (async function* () {
      for (const piece of pieces) yield new TextEncoder().encode(piece);
    })(),
    headers: new Headers({ 'x-request-id': 'req_7' }),
  };
}

async function batches(from: StreamedResponse): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const batch of chunkBatches(from)) out.push(batch);
  return out;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('chunkBatches', () => {
  it('parses the chunks of each read into one batch and stops at [DONE]', async () => {
    expect(await batches(response('data: {"a":1}\n\ndata: {"b":2}\n\ndata: {"c', '":3}\n\ndata: [DONE]\n\ndata: {"late":true}\n\n'))).toEqual([
      [{ a: 1 }, { b: 2 }],
      [{ c: 3 }],
    ]);
  });

  it('ends with the body when no [DONE] comes, keeping an unterminated last event', async () => {
    expect(await batches(response('data: {"a":1}\n\n', 'data: {"b":2}'))).toEqual([[{ a: 1 }], [{ b: 2 }]]);
  });

  it('an error event or a chunk carrying error fails as the SDK did (APIError), after the chunks before it', async () => {
    const seen: unknown[][] = [];
    const failure = await (async () => {
      for await (const batch of chunkBatches(response('data: {"a":1}\n\ndata: {"error":{"message":"overloaded","code":529}}\n\n'))) seen.push(batch);
    })().catch((error: unknown) => error);
    expect(seen).toEqual([[{ a: 1 }]]);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ status: undefined, error: { message: 'overloaded', code: 529 }, requestID: 'req_7' });
    await expect(batches(response('event: error\ndata: {"message":"bad"}\n\n'))).rejects.toMatchObject({ error: { message: 'bad' } });
  });

  it('an event that is not JSON is a SyntaxError; a response without a body fails', async () => {
    await expect(batches(response('data: {nope\n\n'))).rejects.toBeInstanceOf(SyntaxError);
    await expect(batches({ body: null, headers: new Headers() })).rejects.toThrow('no body');
  });

  it('after [DONE] reads out a body that has arrived, so the keep-alive connection serves the next request', async () => {
    let connections = 0;
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"a":1}\n\ndata: [DONE]\n\n');
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    for (let i = 0; i < 3; i++) {
      const answer = (await httpFetch(url, { method: 'POST', body: '{}' })) as unknown as StreamedResponse;
      expect(await batches(answer)).toEqual([[{ a: 1 }]]);
    }
    expect(connections).toBe(1);
  });
});
