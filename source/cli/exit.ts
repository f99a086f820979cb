/**
 * How kt ends: one clear line on stderr and an exit code a script can test.
 *   0 success · 1 the run failed · 2 bad usage, config or session file · 130 interrupted
 */
import { ConfigError, KTError, SessionError, UsageError } from '../engine/errors.js';
import type { TurnStatus } from '../engine/events.js';
import { redact } from '../engine/util/redact.js';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** Print an error as one line (plus its hint) and return the exit code it deserves. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof KTError && error.hint ? ` (${error.hint})` : '';
  stderr.write(redact(`kt: ${message}${hint}\n`));
  if (error instanceof ConfigError || error instanceof UsageError || error instanceof SessionError) return EXIT.usage;
  if (!(error instanceof KTError) && process.env.KT_DEBUG && error instanceof Error && error.stack) stderr.write(redact(`${error.stack}\n`));
  return EXIT.failed;
}

export function exitCodeFor(status: TurnStatus): number {
  if (status === 'completed') return EXIT.ok;
  if (status === 'interrupted') return EXIT.interrupted;
  return EXIT.failed;
}

/** Flush stdout/stderr, then exit (keep-alive sockets must not hold the process open). */
export async function exitWhenFlushed(code: number): Promise<never> {
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(code);
}

function drain(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writableNeedDrain) return resolve();
    stream.once('drain', () => resolve());
    stream.once('error', () => resolve());
  });
}
