/**
 * `kt sessions` (also `kt resume --list`): recent sessions, newest first.
 */
import { sessionHome } from '../../engine/home.js';
import { listSessions, whoOf } from '../../engine/session/listing.js';
import { formatAge } from '../../ui/format.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt sessions [--json] [--limit <n>]

  Sessions in the session folder (${'$'}KT_SESSION_DIR, default ~/.kohakuterrarium/sessions),
  most recently active first: name, creature (or team: its name and size), last active,
  turns, first prompt.
  Resume one with kt resume <name>.
`;

export async function sessionsCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, argv, { json: { type: 'boolean', default: false }, limit: { type: 'number', default: 20 } }, 'kt sessions');
  const { sessions, skipped } = listSessions(sessionHome());
  const shown = sessions.slice(0, Math.max(1, cli.flags.limit));
  if (cli.flags.json) {
    printJson(shown);
    return 0;
  }
  for (const s of skipped) process.stderr.write(`kt: warning: skipped ${s.path}: ${s.reason}\n`);
  if (!shown.length) {
    process.stdout.write(`No sessions yet in ${sessionHome()}.\n`);
    return 0;
  }
  const rows = shown.map((s) => [s.name, whoOf(s), formatAge(s.lastActive), String(s.turns), oneLine(s.firstPrompt ?? '', 50)]);
  process.stdout.write(table(rows, ['NAME', 'CREATURE', 'ACTIVE', 'TURNS', 'FIRST PROMPT']));
  return 0;
}

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}
