/**
 * The `Headers` kt's bundle gives the OpenAI SDK for the requests it builds
 * (scripts/openai-slim.mjs puts it in place of the global in the two SDK
 * modules that make and format request headers).
 *
 * Node's own `Headers` is undici's: the first use of the global loads all of
 * undici, about a twelfth of a one-turn `kt run`, although kt's requests go
 * out through node:http (http-fetch.ts). A maintained polyfill
 * (headers-polyfill) was tried first: it avoids the load, but its name check
 * builds an array for every character, which added ~1.4 M instructions to
 * every tool round (the SDK builds each request's headers a few times).
 *
 * This class has the interface and the observable behaviour of the
 * standard one for what a request needs (a test runs random operations on
 * both and compares them): names are case-insensitive and must be HTTP
 * tokens, values lose leading and trailing whitespace and may not hold
 * NUL, CR, LF or characters beyond Latin-1, repeated values are joined with ", " except Set-Cookie's,
 * and iteration is by name in order. It is iterable, so the global fetch
 * (used when a proxy is configured) takes it as it takes any list of pairs.
 */

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// NUL, CR and LF, and anything outside Latin-1 (a header value is a byte string).
const FORBIDDEN_IN_VALUE = /[\0\r\n\u0100-\uffff]/;

type Init = Iterable<readonly [string, string]> | Record<string, string> | RequestHeaders;

function headerName(name: string): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Invalid header name: "${text}"`);
  return text.toLowerCase();
}

function headerValue(value: string): string {
  const text = String(value).replace(EDGE_WHITESPACE, '');
  if (FORBIDDEN_IN_VALUE.test(text)) throw new TypeError(`Invalid header value: "${text}"`);
  return text;
}

export class RequestHeaders {
  /** Lower-cased name → its values in the order they were added. */
  readonly #values = new Map<string, string[]>();

  constructor(init?: Init) {
    if (init === undefined || init === null) return;
    if (typeof init !== 'object') throw new TypeError('Headers init must be an object');
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<readonly [string, string]>) {
        if (!pair || typeof pair !== 'object' || (pair as readonly unknown[]).length !== 2) throw new TypeError('Each header pair must be [name, value]');
        this.append(pair[0], pair[1]);
      }
    } else {
      for (const [name, value] of Object.entries(init)) this.append(name, value);
    }
  }

  append(name: string, value: string): void {
    const key = headerName(name);
    const text = headerValue(value);
    const list = this.#values.get(key);
    if (list) list.push(text);
    else this.#values.set(key, [text]);
  }

  set(name: string, value: string): void {
    this.#values.set(headerName(name), [headerValue(value)]);
  }

  delete(name: string): void {
    this.#values.delete(headerName(name));
  }

  get(name: string): string | null {
    return this.#values.get(headerName(name))?.join(', ') ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(headerName(name));
  }

  getSetCookie(): string[] {
    return [...(this.#values.get('set-cookie') ?? [])];
  }

  forEach(callback: (value: string, name: string, headers: RequestHeaders) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of [...this.#values.keys()].sort()) {
      const values = this.#values.get(name)!;
      // Set-Cookie values cannot be joined (they may hold commas): each is its own entry.
      if (name === 'set-cookie') for (const value of values) yield [name, value];
      else yield [name, values.join(', ')];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return 'Headers';
  }
}
