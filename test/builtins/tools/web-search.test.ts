import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseDuckDuckGo, unwrapDuckDuckGoLink, type SearchBackend } from '../../../source/builtins/tools/search-backends.js';
import { webSearchTool } from '../../../source/builtins/tools/web-search.js';
import { UsageError } from '../../../source/engine/errors.js';
import { duckDuckGoPage, WebFixtureServer, type FakeSearchResult } from '../../fakes/web-fixture-server.js';
import { call, makeContext, result } from './context.js';

let web: WebFixtureServer;

beforeAll(async () => {
  web = await WebFixtureServer.start();
});

afterAll(async () => {
  await web.close();
});

beforeEach(() => {
  web.search = {};
  web.searches.clear();
  web.requests.length = 0;
});

const RESULTS: FakeSearchResult[] = [
  { title: 'How to build a terrarium', url: 'https://garden.example/terrarium?step=1&lang=en', snippet: 'A step-by-step terrarium guide.' },
  { title: 'Terrarium plants & care', url: 'https://plants.example/care/ferns#moss', snippet: 'Ferns,  mosses\n and fittonia.' },
  { title: 'Bottle gardens', url: 'http://old.example/bottle', snippet: '' },
];

/** Context whose environment points the tool at the fixture server (and nothing else from the real env). */
function ctxWith(env: Record<string, string>) {
  return makeContext({ env });
}

const ddgEnv = () => ({ KT_WEB_SEARCH_URL: web.url('/html/') });
const searxEnv = () => ({ KT_WEB_SEARCH_BACKEND: 'searxng', KT_WEB_SEARCH_URL: web.origin });

describe('web_search with DuckDuckGo (default backend)', () => {
  it('sends the query and lists the results with unwrapped URLs', async () => {
    web.search = { results: RESULTS, withAd: true };
    const out = await call(webSearchTool, { query: 'terrarium how to' }, ctxWith(ddgEnv()));
    const { text, isError } = result(out);
    expect(isError).toBe(false);
    expect(text).toBe(
      [
        '1. How to build a terrarium — https://garden.example/terrarium?step=1&lang=en',
        '   A step-by-step terrarium guide.',
        '2. Terrarium plants & care — https://plants.example/care/ferns#moss',
        '   Ferns, mosses and fittonia.',
        '3. Bottle gardens — http://old.example/bottle',
      ].join('\n'),
    );
    expect(text).not.toContain('AD-RESULT');
    expect(typeof out === 'object' && out.metadata).toEqual({ backend: 'duckduckgo', count: 3 });
    const request = web.requests.find((r) => r.path === '/html/');
    expect(request?.query.get('q')).toBe('terrarium how to');
    expect(request?.headers['user-agent']).toMatch(/Mozilla/);
  });

  it('caps the list at max_results', async () => {
    web.search = { results: Array.from({ length: 30 }, (_, i) => ({ title: `Result ${i + 1}`, url: `https://r.example/${i + 1}`, snippet: `s${i + 1}` })) };
    const defaults = result(await call(webSearchTool, { query: 'many' }, ctxWith(ddgEnv()))).text;
    expect(defaults.split('\n').filter((l) => /^\d+\. /.test(l))).toHaveLength(10);
    const three = result(await call(webSearchTool, { query: 'many', max_results: 3 }, ctxWith(ddgEnv()))).text;
    expect(three).toMatch(/^3\. Result 3 — https:\/\/r\.example\/3\n   s3$/m);
    expect(three).not.toContain('4. ');
  });

  it('says so when there are no results', async () => {
    const out = await call(webSearchTool, { query: 'zzqx nothing' }, ctxWith(ddgEnv()));
    expect(result(out)).toEqual({ text: 'No results for "zzqx nothing".', isError: false });
  });

  it('reports the bot check and HTTP errors as errors', async () => {
    web.searches.set('robot', { botCheck: true });
    web.searches.set('broken', { status: 503 });
    await expect(call(webSearchTool, { query: 'robot' }, ctxWith(ddgEnv()))).rejects.toThrow(/DuckDuckGo refused the search with its bot check/);
    await expect(call(webSearchTool, { query: 'broken' }, ctxWith(ddgEnv()))).rejects.toThrow('DuckDuckGo answered HTTP 503: Error 503');
  });

  it('takes its endpoint from the tool options before the environment', async () => {
    web.search = { results: RESULTS.slice(0, 1) };
    const out = await call(webSearchTool, { query: 'opt' }, ctxWith({ KT_WEB_SEARCH_URL: 'http://127.0.0.1:9/nowhere' }), { endpoint: web.url('/html/') });
    expect(result(out).text).toMatch(/^1\. How to build a terrarium/);
  });
});

describe('web_search with SearXNG', () => {
  it('uses the JSON API and lists the results', async () => {
    web.search = { results: RESULTS };
    const out = await call(webSearchTool, { query: 'terrarium', max_results: 2 }, ctxWith(searxEnv()));
    expect(result(out).text).toBe(
      [
        '1. How to build a terrarium — https://garden.example/terrarium?step=1&lang=en',
        '   A step-by-step terrarium guide.',
        '2. Terrarium plants & care — https://plants.example/care/ferns#moss',
        '   Ferns, mosses and fittonia.',
      ].join('\n'),
    );
    expect(typeof out === 'object' && out.metadata).toEqual({ backend: 'searxng', count: 2 });
    const request = web.requests.find((r) => r.path === '/search');
    expect(request?.query.get('q')).toBe('terrarium');
    expect(request?.query.get('format')).toBe('json');
  });

  it('is chosen by the config options too', async () => {
    web.search = { results: RESULTS.slice(2) };
    const out = await call(webSearchTool, { query: 'bottle' }, ctxWith({}), { backend: 'searxng', endpoint: `${web.origin}/search` });
    expect(result(out).text).toBe('1. Bottle gardens — http://old.example/bottle');
  });

  it('handles zero results and explains a 403 (json format disabled)', async () => {
    expect(result(await call(webSearchTool, { query: 'none' }, ctxWith(searxEnv()))).text).toBe('No results for "none".');
    web.searches.set('forbidden', { status: 403 });
    await expect(call(webSearchTool, { query: 'forbidden' }, ctxWith(searxEnv()))).rejects.toThrow(/HTTP 403.*search\.formats/);
  });

  it('refuses an answer that is not SearXNG JSON', async () => {
    await expect(call(webSearchTool, { query: 'x' }, ctxWith({ KT_WEB_SEARCH_BACKEND: 'searxng', KT_WEB_SEARCH_URL: web.url('/not-searxng') }))).rejects.toThrow(
      /did not answer with JSON/,
    );
  });

  it('needs an endpoint', async () => {
    await expect(call(webSearchTool, { query: 'x' }, ctxWith({ KT_WEB_SEARCH_BACKEND: 'searxng' }))).rejects.toThrow(/needs the address of a SearXNG instance/);
  });
});

describe('web_search backends and arguments', () => {
  it('reports a backend that cannot be reached', async () => {
    const gone = await WebFixtureServer.start();
    const url = gone.url('/html/');
    await gone.close();
    await expect(call(webSearchTool, { query: 'x' }, ctxWith({ KT_WEB_SEARCH_URL: url }))).rejects.toThrow(/connection refused/);
  });

  it('rejects bad arguments, options and environment', async () => {
    const tool = webSearchTool.create({});
    expect(tool.parse({}).ok).toBe(false);
    expect(tool.parse({ query: '   ' }).ok).toBe(false);
    expect(tool.parse({ query: 'x', max_results: 0 }).ok).toBe(false);
    expect(tool.parse({ query: 'x', max_results: 26 }).ok).toBe(false);
    expect(tool.parse({ query: 'x', max_results: 25 }).ok).toBe(true);
    expect(() => webSearchTool.create({ backend: 'google' })).toThrow(UsageError);
    expect(() => webSearchTool.create({ endpoint: 'ftp://x' })).toThrow(UsageError);
    await expect(call(webSearchTool, { query: 'x' }, ctxWith({ KT_WEB_SEARCH_BACKEND: 'bing' }))).rejects.toThrow(/KT_WEB_SEARCH_BACKEND=bing is not a search backend/);
    await expect(call(webSearchTool, { query: 'x' }, ctxWith({ KT_WEB_SEARCH_URL: 'not a url' }))).rejects.toThrow(/KT_WEB_SEARCH_URL=not a url is not an http\(s\) URL/);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(call(webSearchTool, { query: 'x' }, makeContext({ env: ddgEnv(), signal: controller.signal }))).rejects.toThrow('gone');
  });

  it('unwraps DuckDuckGo redirect links and drops ads', () => {
    expect(unwrapDuckDuckGoLink('//duckduckgo.com/l/?uddg=https%3A%2F%2Fa.example%2Fx%3Fy%3D1%26z%3D2&rut=abc')).toBe('https://a.example/x?y=1&z=2');
    expect(unwrapDuckDuckGoLink('https://duckduckgo.com/y.js?ad_domain=x')).toBeUndefined();
    expect(unwrapDuckDuckGoLink('https://direct.example/page')).toBe('https://direct.example/page');
    expect(unwrapDuckDuckGoLink('javascript:alert(1)')).toBeUndefined();
  });

  it('parses the DuckDuckGo page shape', async () => {
    const parsed = await parseDuckDuckGo(duckDuckGoPage('q', RESULTS, true));
    expect(parsed.map((r) => r.url)).toEqual(RESULTS.map((r) => r.url));
    expect(parsed[0]?.snippet).toBe('A step-by-step terrarium guide.');
  });

  it('takes a SearchBackend object as its backend option', async () => {
    const seen: Array<{ query: string; max: number }> = [];
    const backend: SearchBackend = {
      name: 'static',
      search: async (query, { max }) => {
        seen.push({ query, max });
        return RESULTS.slice(0, 1);
      },
    };
    const out = await call(webSearchTool, { query: 'own', max_results: 4 }, ctxWith({}), { backend });
    expect(result(out).text).toBe('1. How to build a terrarium — https://garden.example/terrarium?step=1&lang=en\n   A step-by-step terrarium guide.');
    expect(typeof out === 'object' && out.metadata).toEqual({ backend: 'static', count: 1 });
    expect(seen).toEqual([{ query: 'own', max: 4 }]);
  });
});
