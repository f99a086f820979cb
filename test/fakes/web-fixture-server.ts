/**
 * A fake web on loopback for `web_fetch` and `web_search` tests: fixture
 * pages of every kind the fetch tool must handle (an article wrapped in
 * navigation, ads and scripts; code and links; plain text; JSON; a PNG; a
 * redirect chain; a 404; a page that never finishes; a huge page), a
 * DuckDuckGo-shaped HTML results page at `/html/?q=` and a SearXNG JSON API
 * at `/search?q=&format=json`.
 *
 * Every request is recorded with its query; a request whose connection
 * closed before its response was complete counts as aborted, so a test can
 * check that a cancelled fetch really hung up.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeLoopback, listenOnLoopback } from './loopback-server.js';
import { Waiters } from './waiters.js';

export interface WebRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Set once the connection is gone: true when it closed before the response was complete. */
  aborted?: boolean;
}

export interface FakeSearchResult {
  title: string;
  url: string;
  snippet: string;
}

/** What the search endpoints answer; per query, or the default. */
export interface SearchScript {
  results?: FakeSearchResult[];
  /** Answer with this status (and a short error page) instead of results. */
  status?: number;
  /** DuckDuckGo only: answer with its bot-check page (HTTP 202). */
  botCheck?: boolean;
  /** DuckDuckGo only: put an ad block before the results. */
  withAd?: boolean;
}

/** Size of `/huge`: 64 MB of HTML, produced only as fast as the client reads it. */
export const HUGE_PAGE_BYTES = 64 * 1024 * 1024;

const ARTICLE_TEXT = [
  'Terrariums are small enclosed ecosystems in which plants recycle their own water. The glass walls trap humidity, so condensation forms on the inside and drips back into the soil, which means a sealed terrarium can go for months without watering.',
  'Choosing plants matters more than choosing the container. Slow growers that like humidity, such as ferns, mosses and fittonia, thrive; succulents rot in the damp air and belong in open containers instead.',
  'Layering the base keeps roots healthy: a drainage layer of gravel, a thin barrier of activated charcoal, then a substrate rich in organic matter. Each layer has a job, and skipping one tends to show up weeks later as mould or stagnant water.',
  'Light should be bright but indirect. Direct sun through glass turns a terrarium into an oven within an hour, while a north-facing window or a small LED panel keeps it steady through the seasons.',
];

export const ARTICLE_PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Building a Terrarium | Green Glass Blog</title>
  <script>window.tracker = { id: 'TRACKING-SCRIPT-CONTENT' };</script>
  <style>.ad { color: red } /* STYLE-RULES */</style>
</head>
<body>
  <header class="site-header">
    <nav class="main-nav">
      <a href="/">Home</a> <a href="/shop">NAV-SHOP-LINK</a> <a href="/about">About us</a> <a href="/contact">Contact</a>
    </nav>
  </header>
  <div class="ad banner-ad" id="sidebar-ad">ADVERTISEMENT: Buy cheap glass jars now! Limited offer!</div>
  <main>
    <article class="post">
      <h1>Building a Terrarium</h1>
      <p class="byline">By Kohaku, March 2024</p>
      ${ARTICLE_TEXT.map((p) => `<p>${p}</p>`).join('\n      ')}
      <p>Read the <a href="/guides/plants">plant guide</a> next, or the <a href="https://example.org/faq">FAQ</a>.</p>
    </article>
  </main>
  <aside class="sidebar"><h3>Related</h3><ul><li><a href="/r1">SIDEBAR-RELATED-ONE</a></li><li><a href="/r2">SIDEBAR-RELATED-TWO</a></li></ul></aside>
  <footer class="site-footer">FOOTER-COPYRIGHT 2024 Green Glass. All rights reserved.</footer>
  <script>document.write('INLINE-SCRIPT-OUTPUT');</script>
</body>
</html>`;

export const CODE_PAGE = `<!DOCTYPE html>
<html><head><title>Parsing JSON in TypeScript</title></head>
<body>
<nav><a href="/docs">Docs</a> <a href="/api">API</a></nav>
<article>
<h1>Parsing JSON in TypeScript</h1>
<p>Parsing untrusted JSON is easy to get wrong. The standard library gives you <code>JSON.parse</code>, which returns <code>any</code>; the safe pattern is to parse, then validate the shape before using it. This guide walks through a small helper that does exactly that and explains each step, with links to the <a href="/docs/json">JSON reference</a> and the <a href="https://www.typescriptlang.org/docs/">TypeScript handbook</a>.</p>
<pre><code class="language-ts">function parseUser(text: string): User | undefined {
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null) return undefined;

  return value as User;
}</code></pre>
<p>The helper above returns undefined for anything that is not an object. In real code you would check each field as well, or use a schema library that does it for you, and report which field was wrong so the caller can fix the input quickly and move on.</p>
<pre>$ npm install zod
added 1 package in 2s</pre>
<table>
<tr><th>Library</th><th>Size</th></tr>
<tr><td>zod</td><td>60 kB</td></tr>
<tr><td>valibot</td><td>5 kB</td></tr>
</table>
<p>Both libraries are mature and well documented, and both can derive TypeScript types from the schema, so the validation and the types never drift apart in a growing code base.</p>
</article>
</body></html>`;

/** A page with almost no text: Readability finds no article in it. */
export const TINY_PAGE = `<html><head><title>Tiny</title></head><body><div>Just one short line.</div><script>var hidden = 'TINY-SCRIPT';</script></body></html>`;

export const TEXT_PAGE = 'Plain text fixture.\n  Indented line stays as it is.\n\nLast line: αβγ ✓\n';

export const JSON_PAGE = { name: 'kohakuterrarium', tags: ['agent', 'framework'], nested: { ok: true, count: 3 } };

const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

export class WebFixtureServer {
  readonly requests: WebRequest[] = [];
  port = 0;
  /** Default answer of both search endpoints; `searches` overrides it per query. */
  search: SearchScript = {};
  readonly searches = new Map<string, SearchScript>();
  private readonly http = createServer((req, res) => this.accept(req, res));
  private readonly waiters = new Waiters('web fixture server');
  private closing = false;

  static async start(): Promise<WebFixtureServer> {
    const server = new WebFixtureServer();
    server.port = await listenOnLoopback(server.http);
    return server;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(path: string): string {
    return `${this.origin}${path}`;
  }

  /** Requests whose connection closed before the response was complete. */
  get abortedRequests(): WebRequest[] {
    return this.requests.filter((r) => r.aborted === true);
  }

  /** Resolve once a request to `path` has been received. */
  waitForRequest(path: string, timeoutMs = 5000): Promise<void> {
    return this.waiters.until(() => this.requests.some((r) => r.path === path), timeoutMs, () => `a request to ${path}`);
  }

  /** Resolve once the connection of a request to `path` closed before its response was complete. */
  waitForAbort(path: string, timeoutMs = 5000): Promise<void> {
    return this.waiters.until(
      () => this.requests.some((r) => r.path === path && r.aborted === true),
      timeoutMs,
      () => `the client to hang up on ${path}`,
    );
  }

  close(): Promise<void> {
    this.closing = true;
    return closeLoopback(this.http);
  }

  private accept(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', this.origin);
    const record: WebRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers };
    this.requests.push(record);
    res.on('close', () => {
      record.aborted = !res.writableFinished && !this.closing;
      this.waiters.notify();
    });
    this.waiters.notify();
    this.route(url, res);
  }

  private route(url: URL, res: ServerResponse): void {
    const path = url.pathname;
    switch (path) {
      case '/article':
        return send(res, 200, 'text/html; charset=utf-8', ARTICLE_PAGE);
      case '/code':
        return send(res, 200, 'text/html', CODE_PAGE);
      case '/tiny':
        return send(res, 200, 'text/html', TINY_PAGE);
      case '/latin1':
        // Declared only in a meta tag, as old pages do.
        return send(res, 200, 'text/html', Buffer.from(`<html><head><meta charset="iso-8859-1"><title>Caf\u00e9</title></head><body><p>Caf\u00e9 cr\u00e8me</p></body></html>`, 'latin1'));
      case '/text':
        return send(res, 200, 'text/plain; charset=utf-8', TEXT_PAGE);
      case '/readme.md':
        return send(res, 200, 'text/markdown', '# Readme\n\nSome *markdown*.\n');
      case '/data.json':
        return send(res, 200, 'application/json', JSON.stringify(JSON_PAGE));
      case '/image.png':
        return send(res, 200, 'image/png', PNG_BYTES);
      case '/untyped-binary':
        return send(res, 200, '', Buffer.concat([PNG_BYTES, Buffer.alloc(64)]));
      case '/redirect/1':
        return redirect(res, 301, '/redirect/2');
      case '/redirect/2':
        return redirect(res, 302, `${this.origin}/redirect/3`);
      case '/redirect/3':
        return redirect(res, 307, '/article');
      case '/redirect/loop':
        return redirect(res, 302, '/redirect/loop');
      case '/redirect/ftp':
        return redirect(res, 302, 'ftp://example.com/file');
      case '/missing':
        return send(res, 404, 'text/plain', 'Not here: the page you asked for does not exist.');
      case '/api-error':
        return send(res, 500, 'application/json', JSON.stringify({ error: { message: 'database unavailable' } }));
      case '/hang':
        // Headers and a first chunk, then nothing: only the client can end it.
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><head><title>Slow</title></head><body><p>Loading');
        return;
      case '/huge':
        return this.huge(res);
      case '/html/':
        return this.duckDuckGo(url, res);
      case '/search':
        return this.searxng(url, res);
      case '/not-searxng/search':
        // A site with a search page that is not SearXNG: HTML whatever the format asked.
        return send(res, 200, 'text/html', '<html><body><form><input name="q"></form></body></html>');
      default:
        return send(res, 404, 'text/html', '<html><body><h1>404</h1></body></html>');
    }
  }

  /** Streams HUGE_PAGE_BYTES of HTML in chunks, stopping early if the client hangs up. */
  private huge(res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(HUGE_PAGE_BYTES) });
    const head = '<html><head><title>Huge</title></head><body>';
    const paragraph = `<p>${'All work and no play makes a very long page. '.repeat(20)}</p>\n`;
    let sent = 0;
    const chunk = Buffer.from(paragraph.repeat(Math.ceil(65536 / paragraph.length)));
    const write = () => {
      if (sent === 0) {
        res.write(head);
        sent += Buffer.byteLength(head);
      }
      while (sent < HUGE_PAGE_BYTES && !res.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, HUGE_PAGE_BYTES - sent));
        sent += part.length;
        if (!res.write(part)) return void res.once('drain', write);
      }
      if (!res.destroyed) res.end();
    };
    write();
  }

  private scriptFor(query: string): SearchScript {
    return this.searches.get(query) ?? this.search;
  }

  private duckDuckGo(url: URL, res: ServerResponse): void {
    const query = url.searchParams.get('q') ?? '';
    const script = this.scriptFor(query);
    if (script.status) return send(res, script.status, 'text/html', `<html><body>Error ${script.status}</body></html>`);
    if (script.botCheck) return send(res, 202, 'text/html', duckDuckGoBotPage());
    return send(res, 200, 'text/html; charset=UTF-8', duckDuckGoPage(query, script.results ?? [], script.withAd === true));
  }

  private searxng(url: URL, res: ServerResponse): void {
    const query = url.searchParams.get('q') ?? '';
    const script = this.scriptFor(query);
    if (script.status) return send(res, script.status, 'text/html', `<html><body>${script.status === 403 ? 'Forbidden' : 'Error'}</body></html>`);
    if (url.searchParams.get('format') !== 'json') return send(res, 403, 'text/html', '<html><body>Forbidden</body></html>');
    const results = (script.results ?? []).map((r, i) => ({
      url: r.url,
      title: r.title,
      content: r.snippet,
      engine: 'fake',
      engines: ['fake'],
      positions: [i + 1],
      score: 1 / (i + 1),
      category: 'general',
    }));
    const body = { query, number_of_results: results.length, results, answers: [], corrections: [], infoboxes: [], suggestions: [], unresponsive_engines: [] };
    return send(res, 200, 'application/json', JSON.stringify(body));
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  const headers: Record<string, string> = { 'content-length': String(Buffer.byteLength(body)) };
  if (type) headers['content-type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

function redirect(res: ServerResponse, status: number, location: string): void {
  res.writeHead(status, { location, 'content-type': 'text/html', 'content-length': '7' });
  res.end('Moved.\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The markup of DuckDuckGo's HTML (no-JavaScript) results page, reduced to what matters. */
export function duckDuckGoPage(query: string, results: FakeSearchResult[], withAd = false): string {
  const q = escapeHtml(query);
  const ad = withAd
    ? `
<div class="result results_links results_links_deep result--ad result--ad--small">
  <div class="links_main links_deep result__body">
    <h2 class="result__title">
      <a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=ads.example&amp;ad_provider=bing&amp;u3=https%3A%2F%2Fads.example%2F">Sponsored: AD-RESULT-TITLE</a>
    </h2>
    <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=ads.example">Buy things you do not need.</a>
  </div>
</div>`
    : '';
  const blocks = results
    .map((r) => {
      const href = `//duckduckgo.com/l/?uddg=${encodeURIComponent(r.url)}&amp;rut=${'ab12'.repeat(16)}`;
      return `
<div class="result results_links results_links_deep web-result ">
  <div class="links_main links_deep result__body">
    <h2 class="result__title">
      <a rel="nofollow" class="result__a" href="${href}">${escapeHtml(r.title)}</a>
    </h2>
    <div class="result__extras">
      <div class="result__extras__url">
        <span class="result__icon"><a rel="nofollow" href="${href}"><img class="result__icon__img" width="16" height="16" alt="" src="//external-content.duckduckgo.com/ip3/example.ico" name="i15" /></a></span>
        <a class="result__url" href="${href}">${escapeHtml(new URL(r.url).host)}</a>
      </div>
    </div>
    <a class="result__snippet" href="${href}">${escapeHtml(r.snippet).replace(/(terrarium)/gi, '<b>$1</b>')}</a>
    <div class="clear"></div>
  </div>
</div>`;
    })
    .join('\n');
  const empty = results.length ? '' : '\n<div class="no-results">No results.</div>';
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html>
<head>
  <meta http-equiv="content-type" content="text/html; charset=UTF-8">
  <meta name="referrer" content="origin">
  <title>${q} at DuckDuckGo</title>
  <link rel="stylesheet" href="/dist/h.css" type="text/css">
</head>
<body class="body--html">
  <a name="top" id="top"></a>
  <form action="/html/" method="post">
    <input type="text" name="state_hidden" id="state_hidden" />
  </form>
  <div>
    <div class="site-wrapper-border"></div>
    <div id="header" class="header cw header--html">
      <a title="DuckDuckGo" href="/html/" class="header__logo-wrap"></a>
      <form name="x" class="header__form" action="/html/" method="post">
        <div class="search search--header">
          <input name="q" autocomplete="off" class="search__input" id="search_form_input_homepage" type="text" value="${q}" />
          <input name="b" id="search_button_homepage" class="search__button search__button--html" value="" title="Search" alt="Search" type="submit" />
        </div>
      </form>
    </div>
    <div>
      <div class="serp__results">
        <div id="links" class="results">${ad}${blocks}${empty}
        </div>
      </div>
    </div>
  </div>
</body>
</html>`;
}

function duckDuckGoBotPage(): string {
  return `<!DOCTYPE html><html><head><title>DuckDuckGo</title></head><body>
<form id="challenge-form" action="//duckduckgo.com/anomaly.js?sv=html&amp;cc=sre" method="POST">
  <div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
  <div class="anomaly-modal__description">Please complete the following challenge to confirm this search was made by a human.</div>
</form></body></html>`;
}
