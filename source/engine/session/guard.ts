/**
 * SQLite failures on a session file become a `SessionError` naming the file
 * and saying what is wrong in words (not "SQLITE_CORRUPT").
 */
import { SessionError } from '../errors.js';

export function guard<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SessionError) throw error;
    const code = (error as { code?: string }).code ?? '';
    const reason =
      code === 'SQLITE_NOTADB'
        ? 'not an SQLite database'
        : code.startsWith('SQLITE_CORRUPT')
          ? 'the file is damaged'
          : code === 'SQLITE_BUSY'
            ? 'another process holds it locked'
            : (error as Error).message;
    throw new SessionError(`cannot use session ${path}: ${reason}`, { cause: error });
  }
}
