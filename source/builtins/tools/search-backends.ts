/**
 * Where `web_search` gets its results. A backend turns a query into a list
 * of results; two come built in:
 *
 * - `duckduckgo` (default): DuckDuckGo's no-JavaScript HTML page, parsed with
 *   linkedom. Its result links go through a `/l/?uddg=` redirect, which is
 *   unwrapped to the real URL; ads are skipped.
 * - `searxng`: a SearXNG instance's JSON API (`/search?format=json`). The
 *   instance must allow the `json` format (`search.formats` in its settings).
 *
 * Which backend and endpoint: the tool's config options (`backend`,
 * `endpoint`), else the environment (`KT_WEB_SEARCH_BACKEND`,
 * `KT_WEB_SEARCH_URL`), else DuckDuckGo at its public address. Code that
 * builds a creature's tools itself can also pass any `SearchBackend` object
 * as the `backend` option.
 */
import { ToolError, UsageError } from '../../engine/errors.js';
import { isRecord } from '../../engine/util/records.js';
import { decodeBody, parseContentType, readCapped, withGet } from './web-http.js';

export interface SearchResult {
  title: string;
  url: string;
  snippet: string;
}

export interface SearchBackend {
  readonly name: string;
  search(query: string, options: { max: number; signal: AbortSignal }): Promise<SearchResult[]>;
}

export const SEARCH_BACKENDS = ['duckduckgo', 'searxng'] as const;
export type SearchBackendName = (typeof SEARCH_BACKENDS)[number];

export const DUCKDUCKGO_HTML_URL = 'https://html.duckduckgo.com/html/';

export const BACKEND_ENV = 'KT_WEB_SEARCH_BACKEND';
export const ENDPOINT_ENV = 'KT_WEB_SEARCH_URL';

const TIMEOUT_MS = 20_000;
const MAX_BYTES = 2 * 1024 * 1024;
const TOOL = 'web_search';

/** A browser's User-Agent: DuckDuckGo's HTML page turns many scripted ones away. */
const BROWSER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

export function isBackendName(value: unknown): value is SearchBackendName {
  return typeof value === 'string' && (SEARCH_BACKENDS as readonly string[]).includes(value);
}

/** The config options, checked when the tool is built. */
export interface SearchConfig {
  backend?: SearchBackendName | SearchBackend;
  endpoint?: string;
}

function isSearchBackend(value: unknown): value is SearchBackend {
  return isRecord(value) && typeof value['name'] === 'string' && typeof value['search'] === 'function';
}

export function searchConfig(options: Readonly<Record<string, unknown>>): SearchConfig {
  const config: SearchConfig = {};
  const backend = options['backend'];
  if (backend !== undefined) {
    if (!isBackendName(backend) && !isSearchBackend(backend)) {
      throw new UsageError(`tool 'web_search': option 'backend' must be one of ${SEARCH_BACKENDS.join(', ')}, got ${JSON.stringify(backend)}`);
    }
    config.backend = backend;
  }
  const endpoint = options['endpoint'];
  if (endpoint !== undefined) {
    if (typeof endpoint !== 'string' || !isHttpUrl(endpoint)) {
      throw new UsageError(`tool 'web_search': option 'endpoint' must be an http(s) URL, got ${JSON.stringify(endpoint)}`);
    }
    config.endpoint = endpoint;
  }
  return config;
}

/** The backend for one call: config options first, then the environment, then DuckDuckGo. */
export function resolveBackend(config: SearchConfig, env: Readonly<Record<string, string | undefined>>): SearchBackend {
  if (typeof config.backend === 'object') return config.backend;
  const fromEnv = env[BACKEND_ENV]?.trim();
  if (!config.backend && fromEnv && !isBackendName(fromEnv)) {
    throw new ToolError(`${BACKEND_ENV}=${fromEnv} is not a search backend; use one of ${SEARCH_BACKENDS.join(', ')}`, { tool: TOOL });
  }
  const name: SearchBackendName = config.backend ?? (fromEnv as SearchBackendName | undefined) ?? 'duckduckgo';
  const envEndpoint = env[ENDPOINT_ENV]?.trim() || undefined;
  if (!config.endpoint && envEndpoint && !isHttpUrl(envEndpoint)) {
    throw new ToolError(`${ENDPOINT_ENV}=${envEndpoint} is not an http(s) URL`, { tool: TOOL });
  }
  const endpoint = config.endpoint ?? envEndpoint;
  if (name === 'searxng') {
    if (!endpoint) {
      throw new ToolError(`the searxng backend needs the address of a SearXNG instance: set the tool's 'endpoint' option or ${ENDPOINT_ENV}`, { tool: TOOL });
    }
    return searxngBackend(endpoint);
  }
  return duckDuckGoBackend(endpoint ?? DUCKDUCKGO_HTML_URL);
}

function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === 'http:' || protocol === 'https:';
}

/** GET `url` and return its body as text; HTTP errors become ToolErrors naming `who`. */
async function getText(url: URL, signal: AbortSignal, who: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return withGet(url, { signal, timeoutMs: TIMEOUT_MS, maxRedirects: 5, tool: TOOL, headers }, async ({ response }) => {
    const { charset } = parseContentType(response.headers.get('content-type'));
    const { bytes } = await readCapped(response, MAX_BYTES);
    const text = decodeBody(bytes, charset);
    if (!response.ok) {
      const excerpt = text.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300);
      throw new ToolError(`${who} answered HTTP ${response.status}${excerpt ? `: ${excerpt}` : ''}`, { tool: TOOL });
    }
    return { status: response.status, text };
  });
}

// --- DuckDuckGo -----------------------------------------------------------

export function duckDuckGoBackend(endpoint: string): SearchBackend {
  return {
    name: 'duckduckgo',
    async search(query, { max, signal }) {
      const url = new URL(endpoint);
      url.searchParams.set('q', query);
      const { status, text } = await getText(url, signal, 'DuckDuckGo', {
        'user-agent': BROWSER_AGENT,
        accept: 'text/html',
        'accept-language': 'en-US,en;q=0.8',
      });
      const results = await parseDuckDuckGo(text);
      // Its bot check answers (usually 202) with a challenge page and no results.
      const emptyPage = /class="[^"]*\bno-results\b/.test(text);
      if (!results.length && !emptyPage && (status === 202 || /anomaly-modal|captcha|bots use DuckDuckGo/i.test(text))) {
        throw new ToolError(
          `DuckDuckGo refused the search with its bot check; try again later, or point web_search at a SearXNG instance (${BACKEND_ENV}=searxng, ${ENDPOINT_ENV}=<url>)`,
          { tool: TOOL },
        );
      }
      return results.slice(0, max);
    },
  };
}

interface DomNode {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomNode | null;
  querySelectorAll(selector: string): Iterable<DomNode>;
  readonly classList: { contains(name: string): boolean };
}

/** Results of a DuckDuckGo HTML page, ads left out, redirect links unwrapped. */
export async function parseDuckDuckGo(html: string): Promise<SearchResult[]> {
  const { parseHTML } = await import('linkedom');
  const { document } = parseHTML(html) as unknown as { document: DomNode };
  const results: SearchResult[] = [];
  const seen = new Set<string>();
  for (const block of document.querySelectorAll('.result')) {
    if (block.classList.contains('result--ad')) continue;
    const link = block.querySelector('a.result__a');
    const href = link?.getAttribute('href');
    if (!link || !href) continue;
    const url = unwrapDuckDuckGoLink(href);
    if (!url || seen.has(url)) continue;
    seen.add(url);
    results.push({
      title: clean(link.textContent) || url,
      url,
      snippet: clean(block.querySelector('.result__snippet')?.textContent),
    });
  }
  return results;
}

/**
 * The target of a DuckDuckGo result link: `//duckduckgo.com/l/?uddg=<encoded>`
 * gives its `uddg`; a direct link is kept; ad links (`/y.js`) give nothing.
 */
export function unwrapDuckDuckGoLink(href: string): string | undefined {
  if (!URL.canParse(href, 'https://duckduckgo.com/')) return undefined;
  const url = new URL(href, 'https://duckduckgo.com/');
  if (/(^|\.)duckduckgo\.com$/.test(url.hostname)) {
    const target = url.searchParams.get('uddg');
    if (url.pathname.startsWith('/l/') && target && isHttpUrl(target)) return target;
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

// --- SearXNG --------------------------------------------------------------

export function searxngBackend(endpoint: string): SearchBackend {
  return {
    name: 'searxng',
    async search(query, { max, signal }) {
      const url = new URL(endpoint);
      // The instance's root or its /search path, both work.
      if (!/\/search\/?$/.test(url.pathname)) url.pathname = `${url.pathname.replace(/\/+$/, '')}/search`;
      url.searchParams.set('q', query);
      url.searchParams.set('format', 'json');
      let text: string;
      try {
        ({ text } = await getText(url, signal, 'SearXNG', { accept: 'application/json' }));
      } catch (error) {
        if (error instanceof ToolError && /HTTP 403/.test(error.message)) {
          throw new ToolError(`${error.message} (the instance may not allow the json format: add it to search.formats in its settings.yml)`, {
            tool: TOOL,
            cause: error,
          });
        }
        throw error;
      }
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ToolError(`SearXNG at ${url.origin} did not answer with JSON; is ${endpoint} a SearXNG instance with the json format enabled?`, { tool: TOOL });
      }
      const list = isRecord(body) && Array.isArray(body['results']) ? body['results'] : undefined;
      if (!list) throw new ToolError(`SearXNG at ${url.origin} answered JSON without a results list`, { tool: TOOL });
      const results: SearchResult[] = [];
      for (const item of list) {
        if (!isRecord(item) || typeof item['url'] !== 'string') continue;
        const link = item['url'];
        results.push({
          title: clean(typeof item['title'] === 'string' ? item['title'] : '') || link,
          url: link,
          snippet: clean(typeof item['content'] === 'string' ? item['content'] : ''),
        });
        if (results.length >= max) break;
      }
      return results;
    },
  };
}

function clean(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}
