/**
 * The typed error hierarchy. Every error the framework raises on purpose is a
 * `KTError`, so callers can branch on `instanceof` or on the stable `code`
 * string (which survives JSON, unlike the class).
 *
 * Expected outcomes of a turn (interrupt, timeout, limits) are statuses on
 * `TurnResult`, not exceptions; these classes are for misuse and failures.
 */
import { redact } from './util/redact.js';

export interface SerializedError {
  name: string;
  code: string;
  message: string;
  hint?: string;
  status?: number;
  retryable?: boolean;
  errorClass?: string;
}

export interface KTErrorOptions {
  code?: string;
  hint?: string;
  cause?: unknown;
}

export class KTError extends Error {
  readonly code: string;
  /** What the user can do about it, one sentence. */
  readonly hint: string | undefined;

  constructor(message: string, options: KTErrorOptions = {}) {
    // A provider may echo the credential it was sent; no typed error carries it on.
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    // The class's name as written: a bundler renames a class that refers to
    // itself (`_ConfigError`) or clashes with another (`ConfigError2`).
    this.name = new.target.name.replace(/^_+|\d+$/g, '');
    this.code = options.code ?? 'KT_ERROR';
    this.hint = options.hint === undefined ? undefined : redact(options.hint);
  }

  toJSON(): SerializedError {
    const out: SerializedError = { name: this.name, code: this.code, message: this.message };
    if (this.hint) out.hint = this.hint;
    return out;
  }
}

/** Where in which file a configuration problem sits. */
export interface ConfigLocation {
  file?: string;
  keyPath?: ReadonlyArray<string | number>;
  line?: number;
  column?: number;
}

export function formatKeyPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${part}` : part;
  }
  return out;
}

/** A creature config, profile or flag is wrong. The message names file, line and key. */
export class ConfigError extends KTError {
  readonly file: string | undefined;
  readonly keyPath: ReadonlyArray<string | number> | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, location: ConfigLocation = {}, options: KTErrorOptions = {}) {
    super(ConfigError.compose(detail, location), { code: 'CONFIG_ERROR', ...options });
    this.detail = detail;
    this.file = location.file;
    this.keyPath = location.keyPath;
    this.line = location.line;
    this.column = location.column;
  }

  private static compose(detail: string, loc: ConfigLocation): string {
    let where = '';
    if (loc.file) where = loc.line ? `${loc.file}:${loc.line}` : loc.file;
    const key = loc.keyPath && loc.keyPath.length ? formatKeyPath(loc.keyPath) : '';
    const parts = [where, key ? `key '${key}'` : ''].filter(Boolean).join(' ');
    return parts ? `${parts}: ${detail}` : detail;
  }
}

/** A `@package/...` reference that does not resolve. */
export class PackageNotFoundError extends ConfigError {
  constructor(detail: string, location: ConfigLocation = {}, options: KTErrorOptions = {}) {
    super(detail, location, { code: 'PACKAGE_NOT_FOUND', ...options });
  }
}

/** The API or CLI was used wrongly (run after stop, bad flag value, ...). */
export class UsageError extends KTError {
  constructor(message: string, options: KTErrorOptions = {}) {
    super(message, { code: 'USAGE_ERROR', ...options });
  }
}

/**
 * How a provider failure should be treated. `rate_limit`, `server` and
 * `transient` are retried by default; the others are not.
 */
export type ProviderErrorClass =
  | 'rate_limit'
  | 'server'
  | 'transient'
  | 'overflow'
  | 'auth'
  | 'user'
  | 'protocol'
  | 'unknown';

export interface ProviderErrorOptions extends KTErrorOptions {
  provider: string;
  errorClass: ProviderErrorClass;
  status?: number;
  retryable?: boolean;
  /** Server-advised wait before retrying (from `retry-after` / `retry-after-ms`). */
  retryAfterMs?: number;
  /** How many attempts were made before this error surfaced. */
  attempts?: number;
}

export class ProviderError extends KTError {
  readonly provider: string;
  readonly status: number | undefined;
  readonly errorClass: ProviderErrorClass;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  attempts: number;

  constructor(message: string, options: ProviderErrorOptions) {
    super(message, { code: `PROVIDER_${options.errorClass.toUpperCase()}`, ...options });
    this.provider = options.provider;
    this.status = options.status;
    this.errorClass = options.errorClass;
    this.retryable =
      options.retryable ??
      (options.errorClass === 'rate_limit' || options.errorClass === 'server' || options.errorClass === 'transient');
    this.retryAfterMs = options.retryAfterMs;
    this.attempts = options.attempts ?? 1;
  }

  override toJSON(): SerializedError {
    const out = super.toJSON();
    if (this.status !== undefined) out.status = this.status;
    out.retryable = this.retryable;
    out.errorClass = this.errorClass;
    return out;
  }
}

/** A tool failed in a way the tool itself chose to report as an error. */
export class ToolError extends KTError {
  readonly tool: string | undefined;

  constructor(message: string, options: KTErrorOptions & { tool?: string } = {}) {
    super(message, { code: 'TOOL_ERROR', ...options });
    this.tool = options.tool;
  }
}

export class TimeoutError extends KTError {
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options: KTErrorOptions = {}) {
    super(message, { code: 'TIMEOUT', ...options });
    this.timeoutMs = timeoutMs;
  }
}

export class SessionError extends KTError {
  constructor(message: string, options: KTErrorOptions = {}) {
    super(message, { code: 'SESSION_ERROR', ...options });
  }
}

/** A session file another process owns (is writing to): one writer per file. */
export class SessionBusyError extends SessionError {
  /** The owning process. */
  readonly pid: number;
  readonly hostname: string;

  constructor(name: string, owner: { pid: number; hostname: string }, options: KTErrorOptions = {}) {
    super(`session ${name} is in use by process ${owner.pid}`, { code: 'SESSION_BUSY', ...options });
    this.pid = owner.pid;
    this.hostname = owner.hostname;
  }
}

/**
 * Thrown by a plugin's `pre*` hook to stop the operation: the tool call,
 * sub-agent run or model call does not happen, and this message becomes its
 * result, so the model sees why.
 */
export class PluginBlockError extends KTError {
  /** The plugin that blocked; filled in by the chain runner when the plugin leaves it out. */
  plugin: string | undefined;

  constructor(message: string, options: KTErrorOptions & { plugin?: string } = {}) {
    super(message, { code: 'PLUGIN_BLOCKED', ...options });
    this.plugin = options.plugin;
  }
}

/** A creature asked a question and nobody can answer it (no interactive surface is attached). */
export class NoAnswerError extends KTError {
  constructor(kind: string) {
    super(`nobody can answer this ${kind} request: no interactive surface is attached`, { code: 'NO_ANSWER' });
  }
}

/** The surface answering a creature's question failed; the asker gets this, never a made-up answer. */
export class InteractionFailedError extends KTError {
  constructor(message: string) {
    super(message, { code: 'INTERACTION_FAILED' });
  }
}

/** Why a turn's AbortSignal fired; carried as `signal.reason`. */
export type AbortKind = 'interrupted' | 'cancelled' | 'timeout';

/** The reason object placed on aborted signals, so every layer can tell why it stopped. */
export class AbortReason extends KTError {
  readonly kind: AbortKind;

  constructor(kind: AbortKind, message?: string) {
    super(message ?? `turn ${kind}`, { code: `ABORT_${kind.toUpperCase()}` });
    this.kind = kind;
  }
}

/** True for any error produced by an aborted signal (ours, DOM AbortError, SDK abort errors). */
export function isAbortError(error: unknown): boolean {
  if (error instanceof AbortReason) return true;
  if (!error || typeof error !== 'object') return false;
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || name === 'APIUserAbortError';
}

/** Serialise anything thrown into the shape carried by `error` events and `TurnResult.error`. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof KTError) return error.toJSON();
  if (error instanceof Error) return { name: error.name, code: 'INTERNAL', message: error.message };
  return { name: 'Error', code: 'INTERNAL', message: String(error) };
}
