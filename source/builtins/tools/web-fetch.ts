/**
 * `web_fetch`: one web page as readable Markdown. HTML is reduced to its
 * main content (Readability) and converted (turndown); plain text and JSON
 * come back as they are. The request ends for real when the call is
 * aborted, gives up after a time limit, follows a bounded number of
 * redirects and never reads more than a few megabytes of body.
 *
 * Config option: `request_timeout` (seconds, default 30) for one request,
 * redirects and body included; `allow_private` (boolean) lets it reach
 * loopback, link-local and private addresses, which are refused by default
 * (as they are when the creature sets `web.allow_private: true`).
 */
import { z } from 'zod';
import { ToolError, UsageError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext, ToolResultObject } from '../../engine/tools/tool.js';
import { type ContentKind, contentKind, htmlMetaCharset, htmlToMarkdown } from './web-content.js';
import { assertPublicHost } from './web-address.js';
import { checkWebUrl, decodeBody, parseContentType, readCapped, withGet } from './web-http.js';

const DEFAULT_MAX_CHARS = 100_000;
const MAX_MAX_CHARS = 1_000_000;
const DEFAULT_TIMEOUT_S = 30;
/** Bytes of body read at most; the rest is never downloaded. */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 10;
/** Body shown with an HTTP error, to carry an API's own error message. */
const ERROR_EXCERPT_CHARS = 500;

const input = builtinInput('web-fetch', () =>
  z.object({
  url: z.string().min(1).describe('The http:// or https:// URL to fetch.'),
  max_chars: z
    .number()
    .int()
    .min(1)
    .max(MAX_MAX_CHARS)
    .default(DEFAULT_MAX_CHARS)
    .describe(`Most characters of content to return. Default: ${DEFAULT_MAX_CHARS}.`),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Fetch a web page and return its main content as Markdown (text and JSON are returned as they are).';

const doc = (timeoutS: number) => `Fetch \`url\` (http or https) and return its content for reading.

The answer starts with two lines, \`Title: ...\` and \`URL: ...\` (the address after any redirects), then a blank line and the content:
- HTML pages are reduced to their main content, the way a browser's reader view does it (menus, ads, scripts and footers dropped), and converted to Markdown. Links and images keep absolute URLs, so you can fetch a linked page next; code blocks stay fenced. When no main article can be found, the whole page body is converted.
- Plain text, Markdown, CSV, XML and similar text types come back unchanged; JSON comes back pretty-printed.
- Images, PDFs, archives and other binary types are refused, naming the type.

Limits and behaviour:
- \`max_chars\` (default ${DEFAULT_MAX_CHARS}) caps the content returned; a note at the end says when it was cut and how long the page is.
- At most ${MAX_BODY_BYTES / (1024 * 1024)} MB of a response is read; a note says when a page was bigger.
- Up to ${MAX_REDIRECTS} redirects are followed. The request gives up after ${timeoutS} seconds.
- HTTP errors (404, 500, ...) are error results naming the status, with the start of the server's message.
- No login, cookies or JavaScript: pages built in the browser by scripts may come back nearly empty.
- Loopback, link-local and private addresses (localhost, 127.0.0.1, 169.254.x, 10.x, 192.168.x, ...) are refused unless the creature allows them (web.allow_private), on every redirect too.`;

interface WebFetchOptions {
  /** Before a request gives up, redirects and body included (option `request_timeout`, seconds; default 30). */
  timeoutMs: number;
  /** Option `allow_private`: reach loopback, link-local and private addresses. */
  allowPrivate: boolean;
}

export const webFetchTool: ToolFactory = {
  name: 'web_fetch',
  description: DESCRIPTION,
  create(options) {
    const timeout = options['request_timeout'];
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0))) {
      throw new UsageError(`tool 'web_fetch': option 'request_timeout' must be a positive number of seconds, got ${JSON.stringify(timeout)}`);
    }
    const allowPrivate = options['allow_private'];
    if (allowPrivate !== undefined && typeof allowPrivate !== 'boolean') {
      throw new UsageError(`tool 'web_fetch': option 'allow_private' must be true or false, got ${JSON.stringify(allowPrivate)}`);
    }
    const timeoutS = timeout ?? DEFAULT_TIMEOUT_S;
    const settings: WebFetchOptions = { timeoutMs: timeoutS * 1000, allowPrivate: allowPrivate === true };
    return tool({
      name: 'web_fetch',
      description: DESCRIPTION,
      doc: doc(timeoutS),
      input,
      execute: (args, ctx) => webFetch(args, ctx, settings),
    });
  },
};

interface Fetched {
  url: URL;
  redirects: URL[];
  status: number;
  type: string;
  charset: string | undefined;
  kind: ContentKind;
  bytes: Uint8Array;
  capped: boolean;
}

async function webFetch(args: Args, ctx: ToolContext, settings: WebFetchOptions): Promise<ToolResultObject> {
  const page = await download(checkWebUrl(args.url, 'web_fetch'), ctx, settings);
  const { url, bytes, capped, kind } = page;

  // Converting happens after the connection is done with, so its failures are not network errors.
  let title: string;
  let content: string;
  const notes: string[] = [];
  if (kind === 'html') {
    const html = await htmlToMarkdown(decodeBody(bytes, page.charset ?? htmlMetaCharset(bytes)), url);
    title = html.title;
    content = html.markdown;
    if (html.wholeBody) notes.push('no main article was found; this is the whole page');
  } else {
    const text = decodeBody(bytes, page.charset);
    title = nameOf(url);
    content = kind === 'json' && !capped ? prettyJson(text) : text;
  }
  const mb = MAX_BODY_BYTES / (1024 * 1024);
  if (capped) notes.push(`the response is larger than ${mb} MB; only its first ${mb} MB were read`);

  const total = content.length;
  if (total > args.max_chars) {
    content = content.slice(0, args.max_chars);
    notes.push(`content cut at ${args.max_chars} of ${total} characters; fetch again with a larger max_chars to see more`);
  }
  if (!content.trim()) notes.push('the page has no readable text');
  const tail = notes.length ? `\n\n${notes.map((n) => `[${n}]`).join('\n')}` : '';
  return {
    output: `Title: ${title}\nURL: ${url.href}\n\n${content}${tail}`,
    metadata: {
      url: url.href,
      status: page.status,
      ...(page.type ? { contentType: page.type } : {}),
      ...(page.redirects.length ? { redirects: page.redirects.map((u) => u.href) } : {}),
      ...(capped ? { capped: true } : {}),
      ...(total > args.max_chars ? { totalChars: total } : {}),
    },
  };
}

/** The response body (capped), after redirects; HTTP errors and refused types are ToolErrors. */
function download(url: URL, ctx: ToolContext, settings: WebFetchOptions): Promise<Fetched> {
  return withGet(
    url,
    {
      signal: ctx.signal,
      timeoutMs: settings.timeoutMs,
      maxRedirects: MAX_REDIRECTS,
      tool: 'web_fetch',
      ...(settings.allowPrivate || ctx.runtime.allowPrivateNetwork === true ? {} : { checkHost: (to: URL) => assertPublicHost(to, 'web_fetch') }),
      headers: { accept: 'text/html,application/xhtml+xml,text/markdown;q=0.9,text/plain;q=0.9,application/json;q=0.9,*/*;q=0.5' },
      onRedirect: (to) => ctx.emit(`redirected to ${to.href}`),
    },
    async ({ response, url: finalUrl, redirects }) => {
      const { type, charset } = parseContentType(response.headers.get('content-type'));

      if (!response.ok) {
        const { bytes } = await readCapped(response, 16 * 1024);
        const excerpt = decodeBody(bytes, charset).replace(/\s+/g, ' ').trim();
        const shown = excerpt.length > ERROR_EXCERPT_CHARS ? `${excerpt.slice(0, ERROR_EXCERPT_CHARS)}…` : excerpt;
        const status = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        // An HTML error page is mostly markup; its status says enough.
        throw new ToolError(`${status} from ${finalUrl.href}${shown && type !== 'text/html' ? `: ${shown}` : ''}`, { tool: 'web_fetch' });
      }

      // Without a useful type, the body's first bytes decide; otherwise refuse before downloading.
      const sniffed = type === '' || type === 'application/octet-stream';
      const declared = sniffed ? undefined : contentKind(type, new Uint8Array(0));
      if (!sniffed && !declared) throw refusal(type, finalUrl);
      const { bytes, capped } = await readCapped(response, MAX_BODY_BYTES);
      const kind = declared ?? contentKind(type, bytes);
      if (!kind) throw refusal(type || 'binary data without a content type', finalUrl);
      return { url: finalUrl, redirects, status: response.status, type, charset, kind, bytes, capped };
    },
  );
}

function refusal(type: string, url: URL): ToolError {
  return new ToolError(`${url.href} is ${type}, not a web page or text; web_fetch only returns HTML, text and JSON`, { tool: 'web_fetch' });
}

/** A title for a non-HTML response: the file name in the URL, else the host. */
function nameOf(url: URL): string {
  const last = url.pathname.split('/').filter(Boolean).pop();
  if (!last) return url.host;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}
