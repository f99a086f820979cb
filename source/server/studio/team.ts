/**
 * Terrariums in the studio: a recipe (or a saved team session) runs as a
 * Terrarium, and each member is hosted as a live session of its own
 * (`<team session id>~<member>`), with its own event stream and seq, so the
 * same routes and socket serve a team member and a lone creature. Stopping
 * any member's session stops the whole team (one session file, one lock).
 */
import { basename } from 'node:path';
import { Terrarium, type ApprovalMode, type Env, type Provider } from '../../index.js';
import { LiveSession, type TeamLink } from './live-session.js';

export interface HostedTeam {
  terrarium: Terrarium;
  sessions: LiveSession[];
}

export interface TeamStart {
  pwd: string;
  env: Env;
  llm: string | Provider | undefined;
  owner: string | undefined;
  /** Every member's approval mode, set before it starts. */
  approvalMode: ApprovalMode;
  replayBuffer?: number | undefined;
  onTurnError: (error: unknown, sessionId: string) => void;
}

/** A recipe started fresh into `sessionDir`, or a team session file resumed. */
export async function hostTeam(source: { recipe: string; sessionDir: string } | { resume: string }, start: TeamStart): Promise<HostedTeam> {
  // The terrarium's members are the input's surface here: no member reads the server's stdin.
  const common = {
    pwd: start.pwd,
    env: start.env,
    ...(start.llm ? { llm: start.llm } : {}),
    build: { input: 'none' as const, env: start.env },
    prepareMember: (member: { agent: { setApprovalMode(mode: ApprovalMode): Promise<void> } }) => member.agent.setApprovalMode(start.approvalMode),
  };
  const terrarium = 'recipe' in source ? await Terrarium.fromRecipe(source.recipe, { ...common, sessionDir: source.sessionDir }) : await Terrarium.resume(source.resume, common);
  const path = terrarium.sessionPath ?? '';
  const name = basename(path, '.kohakutr');
  const sessions: LiveSession[] = [];
  const link: TeamLink = { name: terrarium.name, members: () => sessions.map((s) => ({ name: s.agent.name, id: s.id })) };
  for (const member of terrarium.listCreatures()) {
    const session = new LiveSession(member.agent, 'recipe' in source ? source.recipe : path, name, start.owner, (error) => start.onTurnError(error, member.agent.sessionId), link, start.replayBuffer);
    session.historyPath = path || undefined;
    sessions.push(session);
  }
  return { terrarium, sessions };
}
