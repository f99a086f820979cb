/**
 * `/sessions` lists the saved sessions (this folder's first), `/resume
 * <name>` finds one and says how to continue it: the creature is built by
 * the command that started the app, so switching means leaving this one
 * (it is saved) and running `kt resume <name>`.
 */
import { dirname } from 'node:path';
// The library loads on first use: this module is part of the app's first frame, which comes before the engine.
import type { Agent, SessionSummary } from '../../index.js';
import type { CommandOutcome, SlashCommand } from '../commands.js';

const SHOWN = 15;

async function sessionsOf(agent: Agent): Promise<{ sessions: SessionSummary[]; formatAge: (ms: number) => string }> {
  const { formatAge, listSessions, sessionHome } = await import('../../index.js');
  const dir = agent.sessionPath ? dirname(agent.sessionPath) : sessionHome();
  const { sessions } = listSessions(dir);
  // This folder's sessions first, each group most recent first (listSessions' order).
  return { sessions: [...sessions.filter((s) => s.pwd === agent.cwd), ...sessions.filter((s) => s.pwd !== agent.cwd)], formatAge };
}

function table(agent: Agent, sessions: SessionSummary[], formatAge: (ms: number) => string, now: number): string {
  const shown = sessions.slice(0, SHOWN);
  const nameWidth = Math.max(4, ...shown.map((s) => s.name.length));
  const header = `  ${'name'.padEnd(nameWidth)}  ${'active'.padEnd(8)}  turns  first prompt`;
  const rows = shown.map((s) => {
    const mark = s.path === agent.sessionPath ? '●' : ' ';
    const prompt = (s.firstPrompt ?? '').split('\n')[0]!.slice(0, 60);
    const here = s.pwd === agent.cwd ? '' : `  (${s.pwd})`;
    return `${mark} ${s.name.padEnd(nameWidth)}  ${formatAge(now - s.lastActive).padEnd(8)}  ${String(s.turns).padStart(5)}  ${prompt}${here}`;
  });
  const more = sessions.length > SHOWN ? [`  … ${sessions.length - SHOWN} more (kt resume lists them all)`] : [];
  return [header, ...rows, ...more].join('\n');
}

export const sessionsCommand: SlashCommand = {
  name: 'sessions',
  summary: 'List saved sessions (● this one)',
  async run(agent: Agent): Promise<CommandOutcome> {
    const { sessions, formatAge } = await sessionsOf(agent);
    if (!sessions.length) return { kind: 'note', text: 'No saved sessions.' };
    return { kind: 'note', text: `${table(agent, sessions, formatAge, Date.now())}\n/resume <name> to continue one.` };
  },
};

export const resumeCommand: SlashCommand = {
  name: 'resume',
  args: '[name]',
  summary: 'Continue a saved session',
  async run(agent: Agent, args: string): Promise<CommandOutcome> {
    const wanted = args.trim();
    const { sessions, formatAge } = await sessionsOf(agent);
    if (!wanted) {
      if (!sessions.length) return { kind: 'note', text: 'No saved sessions.' };
      return { kind: 'note', text: `${table(agent, sessions, formatAge, Date.now())}\n/resume <name> to continue one.` };
    }
    const found = sessions.find((s) => s.name === wanted) ?? sessions.find((s) => s.name.startsWith(wanted));
    if (!found) return { kind: 'note', tone: 'warning', text: `No session named ${wanted}; /sessions lists them.` };
    if (found.path === agent.sessionPath) return { kind: 'note', text: `${found.name} is this session.` };
    const where = found.pwd === agent.cwd ? '' : ` (it was started in ${found.pwd})`;
    return {
      kind: 'note',
      text: `${found.name}: ${found.turns} turns with ${found.creature}${where}. To continue it, leave this session (/exit; it is saved) and run:
  kt resume ${found.name}`,
    };
  },
};
