/**
 * `/sessions` lists the saved sessions (this folder's first) and offers them
 * to pick; `/resume <name>` finds one. Either asks the app to switch to it
 * (`switch`): the command that started the app builds the creature, the one
 * here stops (its session is saved), and the transcript becomes the chosen
 * session's. An app that cannot switch says how to (`kt resume <name>`).
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

/** Leave this session for `found`, unless it is this one. */
function switchTo(agent: Agent, found: SessionSummary): CommandOutcome {
  if (found.path === agent.sessionPath) return { kind: 'note', text: `${found.name} is this session.` };
  // A team runs in its own app: this one holds a single creature.
  if (found.kind === 'terrarium') return { kind: 'note', text: `${found.name} is the session of the team ${found.creature}: leave and run kt resume ${found.name}` };
  return { kind: 'switch', session: found.path, name: found.name };
}

/** A session by its name or the start of it. */
function named(sessions: readonly SessionSummary[], wanted: string): SessionSummary | undefined {
  return sessions.find((s) => s.name === wanted) ?? sessions.find((s) => s.name.startsWith(wanted));
}

/** The table, then a numbered choice of the sessions shown (this one left out); picking one switches to it. */
function picker(agent: Agent, sessions: SessionSummary[], formatAge: (ms: number) => string): CommandOutcome {
  const now = Date.now();
  const others = sessions.slice(0, SHOWN).filter((s) => s.path !== agent.sessionPath);
  if (!others.length) return { kind: 'note', text: `${table(agent, sessions, formatAge, now)}\nNo other session to switch to.` };
  const choices = others.map((s) => `${s.name} · ${s.turns} turn${s.turns === 1 ? '' : 's'} · ${formatAge(now - s.lastActive)}`);
  return {
    kind: 'choose',
    question: `${table(agent, sessions, formatAge, now)}\nSwitch to (a number or a name; this session is saved):`,
    choices,
    pick: (answer) => {
      const index = choices.indexOf(answer);
      const found = index >= 0 ? others[index] : named(sessions, answer.trim());
      if (!found) return { kind: 'note', tone: 'warning', text: `No session named ${answer.trim()}; /sessions lists them.` };
      return switchTo(agent, found);
    },
  };
}

export const sessionsCommand: SlashCommand = {
  name: 'sessions',
  summary: 'List saved sessions (● this one) and switch to one',
  async run(agent: Agent): Promise<CommandOutcome> {
    const { sessions, formatAge } = await sessionsOf(agent);
    if (!sessions.length) return { kind: 'note', text: 'No saved sessions.' };
    return picker(agent, sessions, formatAge);
  },
};

export const resumeCommand: SlashCommand = {
  name: 'resume',
  args: '[name]',
  summary: 'Switch to a saved session (this one is saved)',
  async run(agent: Agent, args: string): Promise<CommandOutcome> {
    const wanted = args.trim();
    const { sessions, formatAge } = await sessionsOf(agent);
    if (!sessions.length) return { kind: 'note', text: 'No saved sessions.' };
    if (!wanted) return picker(agent, sessions, formatAge);
    const found = named(sessions, wanted);
    if (!found) return { kind: 'note', tone: 'warning', text: `No session named ${wanted}; /sessions lists them.` };
    return switchTo(agent, found);
  },
};
