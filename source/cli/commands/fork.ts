/**
 * `kt fork <session> [--at <event>]`: copy a session (up to an event) into
 * a new file, to take it somewhere else without touching the original.
 */
import { dirname } from 'node:path';
import { sessionHome } from '../../engine/home.js';
import { UsageError } from '../../engine/errors.js';
import { forkSession } from '../../engine/session/fork.js';
import { findSession, newSessionPath } from '../../engine/session/listing.js';
import { SessionStore } from '../../engine/session/store.js';
import { parseArgs } from '../args.js';

const HELP = `
Usage
  $ kt fork <session> [--at <event id>] [--name <name>]

  Copies the session's log (up to the event, default: all of it) into a new
  session file beside it and prints its name; resume the copy with kt resume.
  A cut inside a tool call (called, no result yet) is refused.
`;

export async function forkCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { at: { type: 'number' }, name: { type: 'string' } }, 'kt fork');
  const [ref] = cli.input;
  if (!ref) throw new UsageError('which session? kt fork <session> (kt sessions lists them)');
  const source = findSession(ref, sessionHome());
  const store = SessionStore.open(source, { readonly: true });
  const creature = store.meta.agents[0] ?? 'session';
  store.close();
  const target = newSessionPath(dirname(source), cli.flags.name ?? `${creature}-fork`);
  const fork = forkSession(source, target, cli.flags.at !== undefined ? { upTo: cli.flags.at } : {});
  process.stdout.write(`Forked ${fork.events} events into ${fork.path}\n`);
  return 0;
}
