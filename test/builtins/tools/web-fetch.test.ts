import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, webFetchTool } from '../../../source/builtins/tools/web-fetch.js';
import { UsageError } from '../../../source/engine/errors.js';
import { WebFixtureServer } from '../../fakes/web-fixture-server.js';
import { call, makeContext as baseContext, result } from './context.js';

// The fixture server listens on loopback, which web_fetch refuses unless the creature allows private addresses.
const makeContext = (overrides: Parameters<typeof baseContext>[0] = {}) => baseContext({ runtime: { allowPrivateNetwork: true }, ...overrides });

let web: WebFixtureServer;

beforeAll(async () => {
  web = await WebFixtureServer.start();
});

afterAll(async () => {
  await web.close();
});

async function fetchText(path: string, args: Record<string, unknown> = {}, options: Record<string, unknown> = {}) {
  const out = await call(webFetchTool, { url: web.url(path), ...args }, makeContext(), options);
  return { ...result(out), metadata: typeof out === 'string' ? undefined : out.metadata };
}

describe('web_fetch', () => {
  it('is parallel-safe and documents that local addresses are refused', () => {
    const tool = webFetchTool.create({});
    expect(tool.concurrency).toBe('parallel');
    expect(tool.doc).toMatch(/127\.0\.0\.1.*refused unless/);
  });

  it('extracts the article as Markdown and drops navigation, ads, scripts and footers', async () => {
    const { text, isError } = await fetchText('/article');
    expect(isError).toBe(false);
    const [titleLine, urlLine, blank] = text.split('\n');
    expect(titleLine).toBe('Title: Building a Terrarium | Green Glass Blog');
    expect(urlLine).toBe(`URL: ${web.url('/article')}`);
    expect(blank).toBe('');
    expect(text).toContain('Terrariums are small enclosed ecosystems');
    expect(text).toContain('Light should be bright but indirect.');
    for (const noise of ['TRACKING-SCRIPT-CONTENT', 'INLINE-SCRIPT-OUTPUT', 'STYLE-RULES', 'NAV-SHOP-LINK', 'ADVERTISEMENT', 'FOOTER-COPYRIGHT', 'SIDEBAR-RELATED']) {
      expect(text).not.toContain(noise);
    }
    // Links made absolute, so the model can fetch them next.
    expect(text).toContain(`[plant guide](${web.url('/guides/plants')})`);
    expect(text).toContain('[FAQ](https://example.org/faq)');
    expect(text).not.toContain('[Note');
  });

  it('keeps code blocks fenced, with their language, and tables as tables', async () => {
    const { text } = await fetchText('/code');
    expect(text.split('\n')[0]).toBe('Title: Parsing JSON in TypeScript');
    expect(text).toContain(
      [
        '```ts',
        'function parseUser(text: string): User | undefined {',
        '  const value: unknown = JSON.parse(text);',
        "  if (typeof value !== 'object' || value === null) return undefined;",
        '',
        '  return value as User;',
        '}',
        '```',
      ].join('\n'),
    );
    expect(text).toContain('```\n$ npm install zod\nadded 1 package in 2s\n```');
    expect(text).toContain('`JSON.parse`');
    expect(text).toContain('[TypeScript handbook](https://www.typescriptlang.org/docs/)');
    expect(text).toContain('| Library | Size |\n| --- | --- |\n| zod | 60 kB |\n| valibot | 5 kB |');
  });

  it('falls back to the whole body when there is no article', async () => {
    const { text } = await fetchText('/tiny');
    expect(text).toContain('Title: Tiny');
    expect(text).toContain('Just one short line.');
    expect(text).not.toContain('TINY-SCRIPT');
  });

  it('decodes a charset declared only in a meta tag', async () => {
    const { text } = await fetchText('/latin1');
    expect(text).toContain('Title: Café');
    expect(text).toContain('Café crème');
  });

  it('returns plain text and Markdown unchanged', async () => {
    const plain = await fetchText('/text');
    expect(plain.text).toBe(`Title: text\nURL: ${web.url('/text')}\n\nPlain text fixture.\n  Indented line stays as it is.\n\nLast line: αβγ ✓\n`);
    const markdown = await fetchText('/readme.md');
    expect(markdown.text).toBe(`Title: readme.md\nURL: ${web.url('/readme.md')}\n\n# Readme\n\nSome *markdown*.\n`);
  });

  it('pretty-prints JSON', async () => {
    const { text, metadata } = await fetchText('/data.json');
    expect(text).toContain('{\n  "name": "kohakuterrarium",\n  "tags": [\n    "agent",');
    expect(metadata).toMatchObject({ status: 200, contentType: 'application/json' });
  });

  it('follows redirects and reports the final URL', async () => {
    const { text, metadata } = await fetchText('/redirect/1');
    expect(text.split('\n')[1]).toBe(`URL: ${web.url('/article')}`);
    expect(text).toContain('Terrariums are small enclosed ecosystems');
    expect(metadata?.['redirects']).toEqual([web.url('/redirect/1'), web.url('/redirect/2'), web.url('/redirect/3')]);
  });

  it('gives up on redirect loops and on redirects away from http', async () => {
    await expect(fetchText('/redirect/loop')).rejects.toThrow(/too many redirects \(more than 10\)/);
    await expect(fetchText('/redirect/ftp')).rejects.toThrow(/redirects to "ftp:\/\/example\.com\/file", which is not an http\(s\) URL/);
  });

  it('turns HTTP errors into errors naming the status', async () => {
    await expect(fetchText('/missing')).rejects.toThrow(`HTTP 404 Not Found from ${web.url('/missing')}: Not here: the page you asked for does not exist.`);
    await expect(fetchText('/api-error')).rejects.toThrow(/HTTP 500 Internal Server Error from .*database unavailable/);
  });

  it('refuses binary types, naming the type, without downloading them', async () => {
    await expect(fetchText('/image.png')).rejects.toThrow(`${web.url('/image.png')} is image/png, not a web page or text`);
    await expect(fetchText('/untyped-binary')).rejects.toThrow(/is binary data without a content type/);
  });

  it('caps the content at max_chars with a note', async () => {
    const { text, metadata } = await fetchText('/text', { max_chars: 10 });
    expect(text).toContain('\n\nPlain text\n\n[content cut at 10 of');
    expect(text).toMatch(/fetch again with a larger max_chars/);
    expect(metadata?.['totalChars']).toBeGreaterThan(10);
  });

  it('reads at most 5 MB of a huge page and says so', async () => {
    const { text, metadata } = await fetchText('/huge', { max_chars: 1000 });
    expect(text).toContain('All work and no play');
    expect(text).toContain(`[the response is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MB; only its first 5 MB were read]`);
    expect(metadata?.['capped']).toBe(true);
    // The rest was never downloaded: the connection was closed under the server.
    await web.waitForAbort('/huge');
  });

  it('ends the request when aborted, and returns quickly', async () => {
    const controller = new AbortController();
    const ctx = makeContext({ signal: controller.signal });
    const before = web.requests.filter((r) => r.path === '/hang').length;
    const pending = call(webFetchTool, { url: web.url('/hang') }, ctx);
    await web.waitForRequest('/hang');
    // The page never ends: the call returns only because of the abort.
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
    await web.waitForAbort('/hang');
    expect(web.requests.filter((r) => r.path === '/hang' && r.aborted)).toHaveLength(before + 1);
  });

  it('times out a page that never finishes', async () => {
    // The page never ends, so the call returns only through its timeout; no bound on how long that took.
    await expect(fetchText('/hang', {}, { request_timeout: 0.3 })).rejects.toThrow(/timed out after 0\.3 s waiting for/);
  });

  it('refuses URLs that are not http(s) or not URLs at all', async () => {
    const ctx = makeContext();
    await expect(call(webFetchTool, { url: 'file:///etc/passwd' }, ctx)).rejects.toThrow('only http:// and https:// URLs can be fetched, not file:');
    await expect(call(webFetchTool, { url: 'example.com/page' }, ctx)).rejects.toThrow('not a valid URL: "example.com/page" (did you mean https://example.com/page?)');
    await expect(call(webFetchTool, { url: 'http://user:pw@127.0.0.1/' }, ctx)).rejects.toThrow(/user name or password/);
  });

  it('names connection failures', async () => {
    const closed = await WebFixtureServer.start();
    const url = closed.url('/article');
    await closed.close();
    await expect(call(webFetchTool, { url }, makeContext())).rejects.toThrow(`connection refused by 127.0.0.1:${closed.port}`);
  });

  it('rejects bad arguments and bad options', () => {
    const tool = webFetchTool.create({});
    expect(tool.parse({}).ok).toBe(false);
    expect(tool.parse({ url: '' }).ok).toBe(false);
    expect(tool.parse({ url: 'https://x.org', max_chars: 0 }).ok).toBe(false);
    expect(tool.parse({ url: 'https://x.org', max_chars: 2_000_000 }).ok).toBe(false);
    expect(() => webFetchTool.create({ request_timeout: 'soon' })).toThrow(UsageError);
  });
});
