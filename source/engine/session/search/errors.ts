/**
 * The search's own failures.
 */
import { KTError, SessionError } from '../../errors.js';

/**
 * Semantic search was asked for, but the session holds no vectors. Not a
 * `SessionError`: the file is fine, the search could not run (the CLI
 * exits 1 for it, as the original does, not 2 as for a bad session file).
 */
export class NoVectorsError extends KTError {
  constructor(where: string) {
    super(`${where} has no embeddings, so semantic search cannot run`, {
      code: 'NO_VECTORS',
      hint: 'run kt embedding <session> first, or search with --mode fts',
    });
  }
}

/** An SQLite failure while indexing or searching `path`, as a `SessionError` that says what it means. */
export function sqliteFailure(path: string, error: unknown): unknown {
  if (error instanceof SessionError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const reason =
    code === 'SQLITE_BUSY'
      ? 'another process holds it locked'
      : code === 'SQLITE_READONLY'
        ? 'the file is read-only'
        : code.startsWith('SQLITE_CORRUPT')
          ? 'the file is damaged'
          : (error as Error).message;
  return new SessionError(`cannot index or search ${path}: ${reason}`, { cause: error, code: code === 'SQLITE_BUSY' ? 'SESSION_BUSY' : 'SESSION_ERROR' });
}

/** Run `fn`, turning SQLite failures into `SessionError`s naming `path`. */
export function guarded<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw sqliteFailure(path, error);
  }
}
