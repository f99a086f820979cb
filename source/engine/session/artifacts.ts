/**
 * Binary things a session holds (pasted images, files a tool produced) live
 * in a folder beside the session file, `<name>.artifacts/`, not inside the
 * event log: the log stays small and searchable, and an image pasted into
 * ten turns is stored once (files are named by their content hash).
 *
 * In the log, a large base64 `data:` URL becomes `kt-artifact:<file>;<media type>`;
 * reading the log turns it back into the same data URL.
 */
import { createHash } from 'node:crypto';
import { randomHex } from '../util/random-id.js';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../home.js';
import { SessionError } from '../errors.js';
import { replaceStrings } from './text-refs.js';

const SCHEME = 'kt-artifact:';
/** Inline data below this many characters stays in the log. */
const INLINE_LIMIT = 2048;
const DATA_URL = /^data:([^;,]+);base64,/;

/** `runs/a.kohakutr` → `runs/a.artifacts`. */
export function artifactsDir(sessionPath: string): string {
  return join(dirname(sessionPath), `${basename(sessionPath).replace(/\.kohakutr$/, '')}.artifacts`);
}

/**
 * Could this JSON hold a data URL large enough to move out? Only a string
 * longer than the limit is moved (its JSON is at least 2 longer), and every
 * one holds `;base64,`. Searching for that rather than `"data:` matters: the
 * search starts at each occurrence of the pattern's first character, and
 * JSON is full of quotes.
 */
export function mayHoldLargeData(json: string): boolean {
  return json.length > INLINE_LIMIT + 2 && json.includes(';base64,');
}

export class Artifacts {
  constructor(readonly dir: string) {}

  /** JSON of `value`, with large inline data moved into the folder. */
  pack(value: unknown): string {
    const json = JSON.stringify(value);
    // Most events hold no data URL: a length and a substring check keep appends fast.
    if (!mayHoldLargeData(json)) return json;
    return JSON.stringify(this.map(value, (text) => this.externalize(text)));
  }

  /** The value `pack` was given, data URLs restored. A missing file leaves its reference in place. */
  unpack<T = unknown>(json: string): T {
    const value = JSON.parse(json) as unknown;
    // Without the leading quote: a cheaper search (see mayHoldLargeData); a false hit only costs a walk.
    if (!json.includes(SCHEME)) return value as T;
    // The parsed value is ours: restore it in place rather than copying it.
    return replaceStrings(value, (text) => this.internalize(text)) as T;
  }

  /**
   * Store a file under `name` in the folder and return its path. Names are
   * plain file names: a path that would leave the folder is refused.
   */
  write(name: string, data: Uint8Array | string): string {
    const target = resolve(this.dir, name);
    if (!name || dirname(target) !== resolve(this.dir) || name.includes(sep) || name.includes('/')) {
      throw new SessionError(`artifact name '${name}' must be a plain file name inside ${this.dir}`);
    }
    ensurePrivateDir(this.dir);
    // Write then rename: a crash leaves either the old file or the new one, never half of one.
    const temporary = `${target}.${randomHex(4)}.tmp`;
    writePrivateFile(temporary, data);
    renameSync(temporary, target);
    return target;
  }

  private externalize(text: string): string {
    const match = text.length > INLINE_LIMIT ? DATA_URL.exec(text) : null;
    if (!match) return text;
    const mediaType = match[1] as string;
    const bytes = Buffer.from(text.slice(match[0].length), 'base64');
    const file = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.${extensionOf(mediaType)}`;
    if (!existsSync(join(this.dir, file))) this.write(file, bytes);
    return `${SCHEME}${file};${mediaType}`;
  }

  private internalize(text: string): string {
    if (!text.startsWith(SCHEME)) return text;
    const [file = '', mediaType = 'application/octet-stream'] = text.slice(SCHEME.length).split(';');
    try {
      return `data:${mediaType};base64,${readFileSync(join(this.dir, basename(file))).toString('base64')}`;
    } catch {
      return text;
    }
  }

  private map(value: unknown, fn: (text: string) => string): unknown {
    if (typeof value === 'string') return fn(value);
    if (Array.isArray(value)) return value.map((item) => this.map(item, fn));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.map(item, fn)]));
    }
    return value;
  }
}

function extensionOf(mediaType: string): string {
  const subtype = mediaType.split('/')[1] ?? 'bin';
  return (subtype === 'jpeg' ? 'jpg' : subtype.replace(/[^a-z0-9]/gi, '')) || 'bin';
}
