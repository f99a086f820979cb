import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../../../source/engine/errors.js';
import { createApiEmbedder } from '../../../../source/engine/session/search/embeddings/api.js';
import { createEmbedder, readEmbeddingConfig, saveEmbeddingConfig } from '../../../../source/engine/session/search/embeddings/create.js';
import { HashEmbedder } from '../../../../source/engine/session/search/embeddings/hash.js';
import { indexBlocks } from '../../../../source/engine/session/search/index.js';
import { searchSession } from '../../../../source/engine/session/search/search.js';
import { embedBlocks } from '../../../../source/engine/session/search/vectors.js';
import { EmbeddingsServer } from '../../../fakes/embeddings-server.js';
import { debuggingSession, tempDir } from './fixtures.js';

let server: EmbeddingsServer;
let env: Record<string, string>;

beforeAll(async () => {
  server = await EmbeddingsServer.start({ dimensions: 32 });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  const home = tempDir();
  env = { KT_CONFIG_DIR: home, HOME: home, OPENAI_API_KEY: 'sk-test-key', OPENAI_BASE_URL: server.baseURL };
});

describe('the api embedder', () => {
  it('learns an unknown model width with one probe, then embeds in batches of 64, in order', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', env });
    expect(embedder.dimensions).toBe(32);
    expect(embedder.id).toBe('api:openai/fake-embed:32');
    const texts = Array.from({ length: 150 }, (_, i) => `text number ${i} about topic ${i % 7}`);
    const vectors = await embedder.embed(texts);
    expect(server.requests.map((r) => (r.body?.input as string[]).length)).toEqual([1, 64, 64, 22]);
    const local = new HashEmbedder(32);
    vectors.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(local.embedOne(texts[i] as string))));
    const [, first] = server.requests;
    expect(first?.headers.authorization).toBe('Bearer sk-test-key');
    expect(first?.body).toMatchObject({ model: 'fake-embed', encoding_format: 'float' });
    expect(first?.body).not.toHaveProperty('dimensions');
  });

  it('asks for a width with dimensions (no probe), and takes the backend from the model name', async () => {
    const embedder = await createApiEmbedder({ model: 'openai/fake-embed', dimensions: 16, env });
    expect(server.requests).toHaveLength(0);
    const [vector] = await embedder.embed(['hello']);
    expect(vector).toHaveLength(16);
    expect(server.requests[0]?.body).toMatchObject({ model: 'fake-embed', dimensions: 16 });
  });

  it('says so when the vectors are not as wide as the model should make them', async () => {
    const embedder = await createApiEmbedder({ env }); // text-embedding-3-small: 1536 expected, the fake sends 32
    expect(embedder.dimensions).toBe(1536);
    await expect(embedder.embed(['x'])).rejects.toThrow(/32-dimensional embeddings, not 1536/);
  });

  it('retries a rate limit and succeeds', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', dimensions: 8, env });
    server.fail({ status: 429, message: 'slow down', headers: { 'retry-after-ms': '0' } });
    const vectors = await embedder.embed(['a', 'b']);
    expect(vectors).toHaveLength(2);
    expect(server.requests).toHaveLength(2);
  });

  it('maps a rejected key to an auth ProviderError, without retrying', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', dimensions: 8, env });
    server.fail({ status: 401, message: 'Incorrect API key provided' });
    const failure = await embedder.embed(['a']).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ errorClass: 'auth', status: 401, provider: 'openai', attempts: 1 });
    expect((failure as ProviderError).message).toMatch(/Incorrect API key/);
    expect((failure as ProviderError).hint).toMatch(/kt login openai/);
  });

  it('gives up on server errors after the retries', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', dimensions: 8, env, maxRetries: 1 });
    const boom = { status: 500, message: 'boom', headers: { 'retry-after-ms': '0' } };
    server.fail(boom, boom);
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ errorClass: 'server', attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('reports a response that is not an embeddings list as a protocol error', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', dimensions: 8, env });
    server.fail({ malformed: true });
    await expect(embedder.embed(['a'])).rejects.toMatchObject({ errorClass: 'protocol' });
  });

  it('stops at once when aborted', async () => {
    const embedder = await createApiEmbedder({ model: 'fake-embed', dimensions: 8, env });
    const controller = new AbortController();
    controller.abort(new Error('user pressed ctrl-c'));
    await expect(embedder.embed(['a'], controller.signal)).rejects.toThrow('user pressed ctrl-c');
  });

  it('needs a key for a backend that takes one, and an OpenAI-compatible backend', async () => {
    const { OPENAI_API_KEY: _key, ...keyless } = env;
    await expect(createApiEmbedder({ env: keyless })).rejects.toMatchObject({ code: 'MISSING_API_KEY' });
    await expect(createApiEmbedder({ model: 'anthropic/claude', env })).rejects.toThrow(/OpenAI-compatible/);
    await expect(createApiEmbedder({ backend: 'nowhere', env })).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('a session embedded through the API', () => {
  it('stores the config, embeds its blocks and embeds queries the same way', async () => {
    const b = debuggingSession(join(tempDir(), 's.kohakutr'));
    try {
      indexBlocks(b.store);
      const { embedder, config } = await createEmbedder({ provider: 'api', model: 'fake-embed' }, { env });
      expect(config).toEqual({ provider: 'api', model: 'fake-embed', dimensions: 32, backend: 'openai', truncate: false });
      saveEmbeddingConfig(b.store, config);
      expect(await embedBlocks(b.store, embedder)).toEqual({ added: 15, total: 15 });

      // A later search rebuilds the embedder from the saved config: no probe, no `dimensions` sent.
      server.requests.length = 0;
      const hits = await searchSession(b.store, 'token expiry in seconds', { mode: 'semantic', k: 3, env });
      expect(hits).toHaveLength(3);
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]?.body).toEqual({ model: 'fake-embed', input: ['token expiry in seconds'], encoding_format: 'float' });
      expect(readEmbeddingConfig(b.store)?.provider).toBe('api');
    } finally {
      b.close();
    }
  });
});
