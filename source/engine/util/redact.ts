/**
 * Keeping credentials out of everything kt prints or saves. The engine
 * remembers every secret it learns (stored API keys, provider environment
 * variables, OAuth tokens) in one process-wide set, and `redact` replaces
 * each occurrence of one with a masked form. The event bus, typed errors and
 * the CLI's error printer all pass their text through here, so a provider
 * that echoes a key back ("Incorrect API key provided: sk-...") cannot put it
 * on the screen or into a session file.
 */

/** Shorter values are too likely to be ordinary words or numbers to hunt for. */
const MIN_SECRET_LENGTH = 8;

const secrets = new Set<string>();
/** Longest first, so a secret that contains another is masked whole. */
let ordered: string[] = [];

/** Remember a credential so that `redact` hides it from now on. Short or empty values are ignored. */
export function rememberSecret(value: string | undefined | null): void {
  const secret = value?.trim();
  if (!secret || secret.length < MIN_SECRET_LENGTH || secrets.has(secret)) return;
  secrets.add(secret);
  ordered = [...secrets].sort((a, b) => b.length - a.length);
}

/** Forget every remembered secret (tests). */
export function forgetSecrets(): void {
  secrets.clear();
  ordered = [];
}

/** How a secret is shown: the last four characters of a long one, nothing of a short one. */
export function maskSecret(secret: string): string {
  return secret.length >= 24 ? `[redacted …${secret.slice(-4)}]` : '[redacted]';
}

/** `text` with every remembered secret masked. */
export function redact(text: string): string {
  if (ordered.length === 0) return text;
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join(maskSecret(secret));
  return out;
}

/**
 * `value` with every string in it redacted, walking plain objects and arrays.
 * Returns the same object when nothing needed masking, so the common case
 * allocates nothing.
 */
export function redactDeep<T>(value: T): T {
  if (ordered.length === 0) return value;
  return walk(value, 0) as T;
}

function walk(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redact(value);
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  // Every event on the bus passes through here: plain loops, no per-object
  // entry arrays or closures, so a clean event costs no garbage.
  if (Array.isArray(value)) {
    let changed: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = walk(item, depth + 1);
      if (next !== item) (changed ??= [...value])[i] = next;
    }
    return changed ?? value;
  }
  // Only plain records: class instances (Errors, Uint8Arrays) are left to their own serialisers.
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  const record = value as Record<string, unknown>;
  let changed: Record<string, unknown> | undefined;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const item = record[key];
    const next = walk(item, depth + 1);
    if (next !== item) (changed ??= { ...record })[key] = next;
  }
  return changed ?? value;
}
