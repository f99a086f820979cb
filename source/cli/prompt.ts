/**
 * Terminal prompts for CLI commands: a line of input, or a secret typed
 * without echo (API keys). Both need a terminal; commands offer `--key -` /
 * flags for scripts instead.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { UsageError } from '../engine/errors.js';

export function requireTerminal(what: string): void {
  if (!process.stdin.isTTY) throw new UsageError(`no terminal to ask for ${what}`);
}

/** Ask a question and return the answer line (trimmed). */
export async function ask(question: string, signal?: AbortSignal): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
  try {
    return (await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new UsageError('cancelled')));
      rl.question(question, signal ? { signal } : {}, resolve);
      signal?.addEventListener('abort', () => reject(new UsageError('cancelled')), { once: true });
    })).trim();
  } finally {
    rl.close();
  }
}

/** Ask for a secret; what is typed is not shown. */
export async function askSecret(question: string): Promise<string> {
  // readline echoes through its output stream: give it one that swallows the echo.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  // The interface turns the terminal's own echo off (raw mode): made before
  // the question shows, so nothing typed or pasted at once can be echoed.
  const rl = createInterface({ input: process.stdin, output: silent, terminal: true });
  process.stderr.write(question);
  try {
    return (await new Promise<string>((resolve, reject) => {
      rl.once('SIGINT', () => reject(new UsageError('cancelled')));
      rl.question('', resolve);
    })).trim();
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

export async function confirm(question: string): Promise<boolean> {
  return /^y(es)?$/i.test(await ask(`${question} [y/N] `));
}
