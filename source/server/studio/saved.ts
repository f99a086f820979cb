/** Saved sessions as the API shows them: no host paths, read-only turns. */
import { SessionReader, type SessionSummary } from '../../index.js';

export function savedSummary(s: SessionSummary, live: boolean) {
  return {
    name: s.name,
    sessionId: s.sessionId,
    creature: s.creature,
    lastActive: s.lastActive,
    turns: s.turns,
    ...(s.firstPrompt ? { firstPrompt: s.firstPrompt } : {}),
    ...(s.model ? { model: s.model } : {}),
    configRef: s.configRef,
    live,
  };
}

export function savedDetail(path: string, live: boolean) {
  using reader = new SessionReader(path);
  const meta = reader.meta;
  const name = path.replace(/^.*[\\/]/, '').replace(/\.kohakutr$/, '');
  return {
    session: savedSummary(
      { path, name, sessionId: meta.sessionId, creature: meta.agents[0] ?? '', lastActive: meta.lastActive, turns: meta.turns, ...(meta.firstPrompt ? { firstPrompt: meta.firstPrompt } : {}), ...(meta.model ? { model: meta.model } : {}), pwd: meta.pwd, configRef: meta.configRef },
      live,
    ),
    pwd: meta.pwd,
    createdAt: meta.createdAt,
    agents: meta.agents,
    turns: reader.turns().map((t) => ({
      index: t.index,
      input: t.userText,
      text: t.assistantText,
      ...(t.status ? { status: t.status } : {}),
      startedAt: t.startedAt,
      toolCalls: t.toolCalls.map((c) => ({ name: c.name, args: c.args, ...(c.result !== undefined ? { output: c.result } : {}), error: c.error })),
    })),
  };
}
