/**
 * A team's session at a path the host names (`kt run <recipe> --session
 * FILE`), instead of a generated name in `sessionDir`. The file is created
 * when the first member joins, exactly as with `sessionDir`; a file that is
 * there already is refused here, before anything is built (continuing one
 * is `Terrarium.resume`).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { SessionError } from '../errors.js';
import { SharedSessionFile } from '../session/shared-file.js';
import { TeamSession } from './graph-session.js';
import type { Terrarium } from './terrarium.js';

export function keepSessionAt(team: Terrarium, path: string): void {
  const file = resolve(team.pwd, path);
  if (existsSync(file)) throw new SessionError(`a session file already exists at ${file}`, { code: 'SESSION_EXISTS', hint: 'continue it with kt resume, or name a new file' });
  const session: TeamSession = new TeamSession(
    // Read when the first member joins: by then the recipe (and so the team's name) is known.
    SharedSessionFile.create(file, () => ({ kind: 'terrarium', terrariumName: team.name, configRef: session.recipeRef ?? '<terrarium>', pwd: team.pwd })),
  );
  team.adoptSession(session);
}
