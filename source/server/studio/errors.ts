/** The studio's own failures, typed so routes map them to HTTP statuses. */
import { KTError } from '../../index.js';

/** A session, saved session, user or interaction that does not exist (or is not the caller's). */
export class NotFoundError extends KTError {
  constructor(what: string) {
    super(`${what} not found`, { code: 'NOT_FOUND' });
    this.name = 'NotFoundError';
  }
}
