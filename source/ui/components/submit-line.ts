/**
 * What Enter does with a finished prompt: a `/command`, a `!shell` line, or
 * a message to the creature (with `@file` mentions attached). No React here;
 * the prompt area calls it with what it needs.
 */
import type { Agent } from '../../index.js';
import { parseSlash, pluginSlashCommand, type CommandOutcome } from '../commands.js';
import type { AgentSlot } from '../state/agent-slot.js';
import type { ViewStore } from '../state/store.js';
import type { Tone, ViewState } from '../state/view.js';
import { addItem } from '../state/reduce.js';
import { inlineMentions } from './mentions.js';
import { runShellEscape, withShellContext } from './shell-escape.js';

export interface SubmitContext {
  slot: AgentSlot;
  store: ViewStore;
  note(text: string, tone?: Tone): void;
  onExit(): void;
  /** `/rewind`: put a turn's message back in the prompt (`offer`); the next message sent replaces that turn (`take`). */
  rewind?: { offer(turn: number, input: string): void; take(): number | undefined };
  /** The screen commands run in (`/help` names tui's own keys there). */
  mode?: 'cli' | 'tui';
  /** Show a numbered choice as the `ask_user` dialog does; undefined when the person declined. */
  choose?(question: string, choices: readonly string[]): Promise<string | undefined>;
}

export async function submitLine(raw: string, context: SubmitContext): Promise<void> {
  const line = raw.trim();
  if (!line) return;
  const { note } = context;
  // Typed while the creature was still being built: it goes as soon as the creature is ready.
  const agent: Agent = context.slot.agent ?? (await context.slot.ready);
  const slash = parseSlash(line, agent);
  if (slash) {
    const command = slash.command ?? pluginSlashCommand(agent, slash.name);
    if (!command) return note(`Unknown command /${slash.name}; /help lists them.`, 'warning');
    await apply(await command.run(agent, slash.args, { mode: context.mode ?? 'cli' }), context);
    // A command may have changed the approval mode (`/approvals`): the footer follows the creature.
    const mode = agent.approvalMode;
    if (mode && mode !== context.store.getState().approvalMode) context.store.update((s) => ({ ...s, approvalMode: mode }));
    return;
  }
  if (line.startsWith('!')) {
    const result = await runShellEscape(line.slice(1).trim(), agent.cwd);
    context.slot.shellContext.push(result.context);
    return note(result.text, result.ok ? 'info' : 'warning');
  }
  // The files go to the model; the transcript's user line names them (`@notes.txt (12 lines)`).
  const { text } = await inlineMentions(raw, agent.cwd);
  const rewindTo = context.rewind?.take();
  const input = withShellContext(text, context.slot.shellContext.splice(0));
  // Not awaited: the turn streams into the view store, and a prompt sent meanwhile queues behind it.
  const turn = rewindTo !== undefined ? agent.editTurn(rewindTo, input, { source: 'user' }) : agent.run(input, { source: 'user' });
  void turn.catch((error: unknown) => note((error as Error).message, 'error'));
}

/** Do what a command's outcome asks of the screen. */
async function apply(outcome: CommandOutcome, context: SubmitContext): Promise<void> {
  const { note } = context;
  if (outcome.kind === 'note') note(outcome.text, outcome.tone);
  else if (outcome.kind === 'exit') context.onExit();
  else if (outcome.kind === 'switch') {
    if (context.slot.switchSession) return context.slot.switchSession(outcome.session, outcome.name);
    note(`To continue ${outcome.name}, leave this session (/exit; it is saved) and run:\n  kt resume ${outcome.name}`);
  }  else if (outcome.kind === 'clear') {
    context.store.update(clearedView);
    context.store.flush(); // the screen is wiped now, before anything renders the new epoch
  } else if (outcome.kind === 'turn') void outcome.run().catch((error: unknown) => note((error as Error).message, 'error'));
  else if (outcome.kind === 'rewind') {
    if (!context.rewind) return note(`This screen cannot rewind; /edit ${outcome.turn} <text> replaces that turn.`, 'warning');
    context.rewind.offer(outcome.turn, outcome.input);
    note(`Rewinding to turn ${outcome.turn}: its message is back in the prompt. Send it (edited or not) to replace turn ${outcome.turn} and what came after; Ctrl+C cancels.`);
  } else if (outcome.kind === 'choose') {
    const answer = context.choose ? await context.choose(outcome.question, outcome.choices) : undefined;
    if (answer === undefined) return note(context.choose ? 'Nothing chosen.' : `${outcome.question} ${outcome.choices.join(', ')}`);
    await apply(await outcome.pick(answer), context);
  }
}

/** After `/clear`: a new epoch wipes the screen; only what comes next is shown, starting with why it is empty. */
function clearedView(s: ViewState): ViewState {
  const fresh = { ...s, shownFrom: s.committed.length, epoch: s.epoch + 1, usage: { ...s.usage, contextTokens: 0 } };
  return addItem(fresh, { kind: 'info', tone: 'info', text: 'Cleared. A fresh conversation starts here; the session log keeps the earlier turns.' });
}
