/**
 * Turning a fetched body into what `web_fetch` shows the model. HTML: the
 * main content picked by Readability (Firefox's reader view) on a linkedom
 * document, then Markdown from turndown, with links made absolute and code
 * blocks fenced; when Readability finds no article, the whole body is
 * converted instead. Text comes back as it is, JSON pretty-printed.
 *
 * The HTML libraries load on first use, so creatures that never fetch a
 * page do not pay for them.
 */

/** How a media type is shown, or undefined when `web_fetch` refuses it. */
export type ContentKind = 'html' | 'json' | 'text';

const TEXT_APPLICATION_TYPES = new Set([
  'application/xml',
  'application/javascript',
  'application/ecmascript',
  'application/x-javascript',
  'application/yaml',
  'application/x-yaml',
  'application/toml',
  'application/x-sh',
  'application/sql',
  'application/graphql',
  'application/x-ndjson',
  'application/rss+xml',
  'application/atom+xml',
]);

/**
 * The kind of a media type. A missing type is sniffed from the start of the
 * body: NUL bytes mean binary, a doctype or `<html` means HTML, else text.
 */
export function contentKind(type: string, head: Uint8Array): ContentKind | undefined {
  if (type === 'text/html' || type === 'application/xhtml+xml') return 'html';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type.startsWith('text/') || TEXT_APPLICATION_TYPES.has(type) || type.endsWith('+xml')) return 'text';
  if (type === '' || type === 'application/octet-stream') return sniff(head);
  return undefined;
}

function sniff(head: Uint8Array): ContentKind | undefined {
  const sample = head.subarray(0, 1024);
  if (sample.includes(0)) return undefined;
  const text = new TextDecoder('utf-8').decode(sample).trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html')) return 'html';
  if (/^[[{]/.test(text)) return 'json';
  // Mostly printable: text. Otherwise some binary format without NULs in its first KB.
  const bad = [...text].filter((c) => c === '\uFFFD').length;
  return bad > sample.length / 20 ? undefined : 'text';
}

/** A `<meta charset>` (or http-equiv Content-Type) in the first KB of an HTML page. */
export function htmlMetaCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1];
}

export interface Page {
  title: string;
  /** Markdown. */
  markdown: string;
  /** True when Readability found no article and the whole body was converted. */
  wholeBody: boolean;
}

/**
 * The little of the DOM this file touches: linkedom's documents have it, and
 * so does the DOM turndown parses with (whose node lists are array-like but
 * not iterable, hence `Array.from` below).
 */
interface DomElement {
  readonly tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  remove(): void;
  readonly outerHTML: string;
  readonly innerHTML: string;
  readonly firstChild: { readonly nodeName: string } | null;
  readonly childNodes: ArrayLike<{ readonly nodeName: string }>;
}

interface DomDocument {
  readonly title: string;
  readonly body: DomElement | null;
  readonly documentElement: DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}

/** Elements that never hold readable content. */
const NOISE = 'script, style, noscript, template, svg, iframe, object, embed, canvas, link, meta';

/** Main content of an HTML page as Markdown. `url` (the page's final URL) resolves relative links. */
export async function htmlToMarkdown(html: string, url: URL): Promise<Page> {
  const [{ parseHTML }, { Readability }] = await Promise.all([import('linkedom'), import('@mozilla/readability')]);
  const load = (): DomDocument => {
    const document = (parseHTML(html) as unknown as { document: DomDocument }).document;
    absolutize(document, url);
    return document;
  };

  const document = load();
  const fallbackTitle = cleanText(document.title) || cleanText(document.querySelector('h1')?.textContent) || url.href;
  let article: { title?: string | null; content?: string | null; textContent?: string | null } | null = null;
  try {
    // Readability rewrites the document it is given; the fallback below parses afresh.
    article = new Readability(document as never, { keepClasses: true }).parse();
  } catch {
    article = null;
  }
  const turndown = await converter();
  if (article?.content && cleanText(article.textContent).length > 0) {
    const markdown = tidy(turndown.turndown(article.content));
    if (markdown) return { title: cleanText(article.title) || fallbackTitle, markdown, wholeBody: false };
  }

  const whole = load();
  for (const node of Array.from(whole.querySelectorAll(NOISE))) node.remove();
  const body = whole.body ?? whole.documentElement;
  return { title: fallbackTitle, markdown: tidy(turndown.turndown(body.innerHTML)), wholeBody: true };
}

/** Links and images point where they would in a browser, so the model can fetch them next. */
function absolutize(document: DomDocument, pageUrl: URL): void {
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  const base = baseHref && URL.canParse(baseHref, pageUrl) ? new URL(baseHref, pageUrl) : pageUrl;
  for (const [selector, attribute] of [
    ['a[href]', 'href'],
    ['img[src]', 'src'],
  ] as const) {
    for (const element of Array.from(document.querySelectorAll(selector))) {
      const value = (element.getAttribute(attribute) ?? '').trim();
      if (/^(?:javascript|data|vbscript):/i.test(value)) {
        element.removeAttribute(attribute);
        continue;
      }
      // In-page anchors stay as they are: they mean nothing outside the page.
      if (value.startsWith('#') || !URL.canParse(value, base)) continue;
      element.setAttribute(attribute, new URL(value, base).href);
    }
  }
}

type Turndown = { turndown(html: string): string };

let cached: Turndown | undefined;

async function converter(): Promise<Turndown> {
  if (cached) return cached;
  const { default: TurndownService } = await import('turndown');
  const service = new TurndownService({ headingStyle: 'atx', codeBlockStyle: 'fenced', bulletListMarker: '-', emDelimiter: '*' });
  service.remove(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'canvas', 'button', 'form', 'input', 'select', 'textarea'] as never);
  // `<pre>` without a `<code>` inside is still a code block.
  service.addRule('bare-pre', {
    filter: (node) => node.nodeName === 'PRE' && (node.firstChild?.nodeName ?? '') !== 'CODE',
    replacement: (_content, node) => {
      const text = (node as unknown as DomElement).textContent ?? '';
      return `\n\n${fence(text)}\n${text.replace(/\n$/, '')}\n${fence(text)}\n\n`;
    },
  });
  // Simple tables as Markdown tables; turndown alone flattens them into text.
  service.addRule('table', {
    filter: 'table',
    replacement: (_content, node) => `\n\n${table(node as unknown as DomElement)}\n\n`,
  });
  cached = service;
  return service;
}

/** A fence longer than any run of backticks in the text. */
function fence(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function table(element: DomElement): string {
  const rows = Array.from(element.querySelectorAll('tr'), (row) =>
    Array.from(row.querySelectorAll('th, td'), (cell) => cleanText(cell.textContent).replace(/\|/g, '\\|')),
  );
  const width = Math.max(0, ...rows.map((r) => r.length));
  if (width === 0) return cleanText(element.textContent);
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const [head = [], ...rest] = rows;
  return [line(head), line(Array.from({ length: width }, () => '---')), ...rest.map(line)].join('\n');
}

function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

/** No runs of blank lines and no trailing spaces, except inside code fences. */
function tidy(markdown: string): string {
  const out: string[] = [];
  let fenceMark: string | undefined;
  for (const raw of markdown.split('\n')) {
    const opening = /^(`{3,}|~{3,})/.exec(raw)?.[1];
    if (fenceMark) {
      out.push(raw);
      if (opening && raw.trim() === fenceMark) fenceMark = undefined;
      continue;
    }
    if (opening) fenceMark = opening;
    const line = raw.replace(/[ \t]+$/, '');
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  return out.join('\n').trim();
}
