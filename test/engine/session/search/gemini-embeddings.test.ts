/**
 * Gemini embeddings through the real `@google/genai` SDK against the fake
 * Gemini server on loopback: batching at the API's limit of 100,
 * `outputDimensionality`, retries under the engine's policy, typed errors,
 * aborts that close the request, and a session embedded and searched end to
 * end through the `api` embedder.
 */
import { getEventListeners } from 'node:events';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../source/engine/errors.js';
import { GeminiEmbeddings, type GeminiEmbeddingsOptions } from '../../../../source/engine/llm/gemini/embeddings.js';
import { createApiEmbedder } from '../../../../source/engine/session/search/embeddings/api.js';
import { readEmbeddingConfig, saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { searchSession } from '../../../../source/engine/session/search/search.js';
import { embedBlocks } from '../../../../source/engine/session/search/vectors.js';
import { startFakeGemini, type FakeGeminiReply, type FakeGeminiServer } from '../../../fakes/gemini-server.js';
import { loginPage } from '../../llm/harness.js';
import { debuggingSession, tempDir } from './fixtures.js';

const MODEL = 'gemini-embedding-001';
let server: FakeGeminiServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fake with these replies first (then computed vectors), and a client of it; retries wait 1 ms, not seconds. */
async function setup(script: FakeGeminiReply[] = [], options: Partial<GeminiEmbeddingsOptions> = {}) {
  server = await startFakeGemini({ script });
  const client = new GeminiEmbeddings({ model: MODEL, apiKey: 'gm-test', baseURL: `${server.baseURL}/`, retry: { baseDelayMs: 1, maxDelayMs: 1 }, ...options });
  return { server, client };
}

/** What the fake computes for a text at a width: its hash embedding. */
const expected = (text: string, width: number) => Array.from(new HashEmbedder(width).embedOne(text));

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('GeminiEmbeddings', () => {
  it('sends batches of at most 100 texts to :batchEmbedContents and keeps their order', async () => {
    const { server, client } = await setup([], { dimensions: 16 });
    const texts = Array.from({ length: 250 }, (_, i) => `text number ${i} about topic ${i % 7}`);
    const vectors = await client.embed(texts);
    expect(server.requests.map((r) => r.body?.requests?.length)).toEqual([100, 100, 50]);
    expect(vectors).toHaveLength(250);
    vectors.forEach((v, i) => expect(Array.from(v)).toEqual(expected(texts[i] as string, 16)));

    const [first] = server.requests;
    expect(first).toMatchObject({ method: 'POST', path: `/v1beta/models/${MODEL}:batchEmbedContents`, rpc: 'batchEmbedContents' });
    expect(first?.headers['x-goog-api-key']).toBe('gm-test');
    expect(first?.body?.requests?.[0]).toEqual({ model: `models/${MODEL}`, content: { role: 'user', parts: [{ text: 'text number 0 about topic 0' }] }, outputDimensionality: 16 });
  });

  it('never sends more than the API takes, whatever batch size it is given', async () => {
    const { server, client } = await setup([], { dimensions: 8, batchSize: 500 });
    await client.embed(Array.from({ length: 120 }, (_, i) => `t${i}`));
    expect(server.requests.map((r) => r.body?.requests?.length)).toEqual([100, 20]);
  });

  it('leaves no listener on the caller’s signal, however many batches a run takes', async () => {
    const { client } = await setup([{ error: { status: 503 } }], { dimensions: 8 });
    const controller = new AbortController();
    await client.embed(Array.from({ length: 300 }, (_, i) => `t${i}`), controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('asks for a width with outputDimensionality, and gets the native width without it', async () => {
    const { server, client } = await setup([], { dimensions: 768 });
    const [narrow] = await client.embed(['hello']);
    expect(narrow).toHaveLength(768);
    expect(server.requests[0]?.body?.requests?.[0]?.outputDimensionality).toBe(768);

    const native = new GeminiEmbeddings({ model: MODEL, apiKey: 'k', baseURL: server.baseURL });
    const [wide] = await native.embed(['hello']);
    expect(wide).toHaveLength(3072);
    expect(server.requests[1]?.body?.requests?.[0]).not.toHaveProperty('outputDimensionality');
  });

  it('retries a rate limit and an overloaded server, then succeeds', async () => {
    const { server, client } = await setup([{ error: { status: 429, retryAfter: 0 } }, { error: { status: 503 } }], { dimensions: 8 });
    const vectors = await client.embed(['a', 'b']);
    expect(vectors.map((v) => v.length)).toEqual([8, 8]);
    expect(server.requests).toHaveLength(3);
  });

  it('retries each batch on its own: a failure in the second batch does not resend the first', async () => {
    const { server, client } = await setup([{}, { error: { status: 500 } }], { dimensions: 8, batchSize: 2 });
    await client.embed(['a', 'b', 'c']);
    expect(server.requests.map((r) => r.body?.requests?.map((q: any) => q.content.parts[0].text))).toEqual([['a', 'b'], ['c'], ['c']]);
  });

  it('gives up on server errors after the policy’s retries, saying how many attempts it made', async () => {
    const boom: FakeGeminiReply = { error: { status: 500, message: 'boom' } };
    const { server, client } = await setup([boom, boom], { dimensions: 8, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await expect(client.embed(['a'])).rejects.toMatchObject({ errorClass: 'server', status: 500, attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('surfaces a 400 as a typed ProviderError, without retrying', async () => {
    const { server, client } = await setup([{ error: { status: 400, message: 'Request payload size exceeds the limit' } }], { dimensions: 8 });
    const error = await failure(client.embed(['a']));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ errorClass: 'user', status: 400, provider: 'gemini', attempts: 1 });
    expect((error as ProviderError).message).toMatch(/Request payload size exceeds the limit/);
    expect(server.requests).toHaveLength(1);
  });

  it('maps a rejected key to an auth error', async () => {
    const { client } = await setup([{ error: { status: 400, message: 'API key not valid. Please pass a valid API key.', reason: 'API_KEY_INVALID' } }], { dimensions: 8 });
    await expect(client.embed(['a'])).rejects.toMatchObject({ errorClass: 'auth', attempts: 1 });
  });

  it('sends what the real API accepts: the fake’s request checks pass for every batch', async () => {
    // The fake answers 400 to anything the API would refuse; a mistake in the request shape would fail here.
    const { server, client } = await setup([], { model: 'text-embedding-004' });
    const vectors = await client.embed(['one', 'two', 'three']);
    expect(vectors.map((v) => v.length)).toEqual([768, 768, 768]);
    expect(server.requests[0]?.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
  });

  it('an abort ends the HTTP request and surfaces as the signal’s reason', async () => {
    const { server, client } = await setup([{ hang: true }], { dimensions: 8 });
    const controller = new AbortController();
    const pending = client.embed(['a'], controller.signal);
    await server.waitForRequests(1);
    controller.abort(new Error('user pressed ctrl-c'));
    await expect(pending).rejects.toThrow('user pressed ctrl-c');
    await server.waitForAbort();
    expect(server.abortedRequests).toBe(1);
  });

  it('an abort during the wait before a retry stops at once, sending nothing more', async () => {
    const { server, client } = await setup([{ error: { status: 429, retryAfter: 30 } }], { dimensions: 8 });
    const controller = new AbortController();
    const pending = client.embed(['a'], controller.signal);
    await server.waitForRequests(1);
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a body that is not JSON, or not one vector per text, as a protocol error, without retrying', async () => {
    const { server, client } = await setup([{ malformed: true }, { embeddings: [[0.5, 0.5]] }, { embeddings: [[], [1]] }], { dimensions: 8 });
    await expect(client.embed(['a'])).rejects.toMatchObject({ errorClass: 'protocol', message: expect.stringMatching(/not valid JSON/) });
    const short = await failure(client.embed(['a', 'b']));
    expect(short).toMatchObject({ errorClass: 'protocol', message: expect.stringMatching(/expected 2 embeddings, got 1/), attempts: 1 });
    expect((short as ProviderError).hint).toMatch(/is a Gemini API endpoint serving gemini-embedding-001/);
    await expect(client.embed(['a', 'b'])).rejects.toMatchObject({ errorClass: 'protocol', message: expect.stringMatching(/embedding 0 has no list of numbers/) });
    expect(server.requests).toHaveLength(3);
  });

  it('a 200 that is not JSON (a login page behind a wrong base URL) is a protocol error', async () => {
    const { client } = await setup([], { dimensions: 8, fetch: loginPage });
    const error = await failure(client.embed(['a']));
    expect(error).toMatchObject({ errorClass: 'protocol', message: 'gemini answered with text/html, not JSON', attempts: 1 });
  });

  it('a connection dropped before or during the answer is retried', async () => {
    const { server, client } = await setup([{ drop: 'before-headers' }, { drop: 'mid-stream' }], { dimensions: 8 });
    expect(await client.embed(['a'])).toHaveLength(1);
    expect(server.requests).toHaveLength(3);
  });
});

describe('a session embedded through the Gemini API', () => {
  it('gemini/<model> finds the gemini backend, its key and base URL override, and searches by meaning', async () => {
    server = await startFakeGemini();
    const home = tempDir();
    const env = { KT_CONFIG_DIR: home, HOME: home, GEMINI_API_KEY: 'gm-env-key', GOOGLE_GEMINI_BASE_URL: server.baseURL };
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    try {
      indexBlocks(b.store);
      const embedder = await createApiEmbedder({ model: `gemini/${MODEL}`, dimensions: 64, env });
      expect(embedder).toMatchObject({ id: `api:gemini/${MODEL}:64`, dimensions: 64, backend: 'gemini', model: MODEL, truncated: true });
      expect(server.requests).toHaveLength(0); // width asked for: no probe
      expect(await embedBlocks(b.store, embedder)).toEqual({ added: 15, total: 15 });
      expect(server.requests[0]?.headers['x-goog-api-key']).toBe('gm-env-key');

      const hits = await searchSession(b.store, 'token expiry in seconds', { mode: 'semantic', k: 3, embedder });
      expect(hits).toHaveLength(3);
      expect(hits[0]?.content).toMatch(/expir/i);

      // A later search rebuilds the embedder from the saved choice, and embeds the query the same way.
      saveEmbeddingConfig(b.store, { provider: 'api', model: embedder.model, dimensions: 64, backend: embedder.backend, truncate: true });
      server.requests.length = 0;
      const again = await searchSession(b.store, 'token expiry in seconds', { mode: 'semantic', k: 3, env });
      expect(again.map((h) => h.eventId)).toEqual(hits.map((h) => h.eventId));
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.body).toEqual({
        requests: [{ model: `models/${MODEL}`, content: { role: 'user', parts: [{ text: 'token expiry in seconds' }] }, outputDimensionality: 64 }],
      });
      expect(readEmbeddingConfig(b.store)?.backend).toBe('gemini');
    } finally {
      b.close();
    }
  });

  it('knows the widths of the Gemini models, and needs the Gemini key', async () => {
    server = await startFakeGemini();
    const home = tempDir();
    const env = { KT_CONFIG_DIR: home, HOME: home, GEMINI_API_KEY: 'k', GOOGLE_GEMINI_BASE_URL: server.baseURL };
    expect((await createApiEmbedder({ model: `gemini/${MODEL}`, env })).dimensions).toBe(3072);
    const small = await createApiEmbedder({ model: 'text-embedding-004', backend: 'gemini', env });
    expect(small.dimensions).toBe(768);
    expect(await small.embed(['hello'])).toHaveLength(1);
    expect(server.requests).toHaveLength(1); // known widths: no probes
    const { GEMINI_API_KEY: _key, ...keyless } = env;
    await expect(createApiEmbedder({ model: `gemini/${MODEL}`, env: keyless })).rejects.toMatchObject({ code: 'MISSING_API_KEY' });
  });
});
