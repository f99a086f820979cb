/**
 * Everything the keyboard drives: the prompt box, history and reverse
 * search, completions, the `ask_user` dialog, and the keys that act on the
 * creature (Esc interrupts, Ctrl+B backgrounds, Ctrl+C / Ctrl+D leave).
 *
 * It owns the typing state, so a keystroke re-renders this component only;
 * the transcript and the live region read the view store on their own.
 */
import { Box, Text, useWindowSize } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApprovalMode } from '../../index.js';
import type { AgentSlot } from '../state/agent-slot.js';
import { completeSlash, completeSlashArgs, nextApprovalMode } from '../commands.js';
import {
  atFirstLine,
  atLastLine,
  backslashNewline,
  bufferActionFor,
  createBuffer,
  expandPastes,
  isEmpty,
  reduceBuffer,
  resolveCommand,
  text as bufferText,
  type Command,
  type KeyEvent,
  type Keymap,
  type PromptHistory,
  type TextBuffer,
} from '../input/index.js';
import { addItem } from '../state/reduce.js';
import type { ViewStore } from '../state/store.js';
import { ApprovalDialog } from './approval-dialog.js';
import { AskDialog } from './ask-dialog.js';
import { Composer } from './composer.js';
import { completePath, mentionAt } from './mentions.js';
import { submitLine } from './submit-line.js';
import { Suggestions, type Suggestion } from './suggestions.js';
import { answerFor, approvalStep, searchStep, type ApprovalChoice, type SearchState } from './dialog-keys.js';
import { useAttention } from './use-attention.js';
import { useCreatureDialogs, type Approving, type Asking } from './use-creature-dialogs.js';
import { useRawInput } from './use-raw-input.js';
import { useAgent, useView } from './use-view.js';

export interface PromptAreaProps {
  /** The creature; it may still be building when the prompt first shows. */
  slot: AgentSlot;
  store: ViewStore;
  keymap: Keymap;
  history: PromptHistory;
  /** Leave the app (Ctrl+D, /exit, a second Ctrl+C). */
  onExit: () => void;
  /** Clear the screen and reprint the transcript (Ctrl+L). */
  onRedraw: () => void;
  /** When to ask before edits and commands. */
  approvalMode?: ApprovalMode;
  /** Scroll the transcript (tui mode: PageUp/PageDown by `page`, the wheel by 3 lines); cli mode leaves it to the terminal. */
  onScroll?: (lines: number | 'pageUp' | 'pageDown') => void;
  /** Keys the layout handles itself (tui: F2 toggles the side panes); true when consumed. `empty`: the prompt holds nothing. */
  onLayoutKey?: (event: KeyEvent, prompt: { empty: boolean }) => boolean;
  /** A finished line the screen handles itself (a team's `@name`); true when consumed. */
  onSubmitLine?: (raw: string) => boolean;
  /** Which screen this is (`/help` names tui's own keys there). */
  mode?: 'cli' | 'tui';
}

/** A second Ctrl+C within this long leaves. */
const DOUBLE_PRESS_MS = 2000;


export function PromptArea({ slot, store, keymap, history, onExit, onRedraw, approvalMode = 'default', onScroll, onLayoutKey, onSubmitLine, mode = 'cli' }: PromptAreaProps) {
  const { columns } = useWindowSize();
  const agent = useAgent(slot);
  const cwd = agent?.cwd ?? process.cwd();
  const turnActive = useView(store, (s) => s.turnActive);
  const running = useView(store, (s) => s.running);
  const [buffer, setBufferState] = useState<TextBuffer>(() => createBuffer());
  const [asking, setAskingState] = useState<Asking | undefined>();
  const [answer, setAnswerState] = useState<TextBuffer>(() => createBuffer());
  const [search, setSearchState] = useState<SearchState | undefined>();
  const [approving, setApprovingState] = useState<Approving | undefined>();
  const [choice, setChoiceState] = useState<ApprovalChoice>({ selected: 0, instead: undefined });
  const [paths, setPaths] = useState<Suggestion[]>([]);
  const [hint, setHint] = useState<string | undefined>();
  const lastCtrlC = useRef(0);
  /** The turn a `/rewind` will replace with the next message sent. */
  const rewindTo = useRef<number | undefined>(undefined);
  // Handlers run from the stdin listener, outside React's render, and one chunk of input can hold
  // several keys (typed text and Enter): they read and write the current state through this ref,
  // so the second key sees what the first did before React renders.
  const state = useRef({ buffer, asking, answer, search, approving, choice, turnActive, running, paths });
  state.current.turnActive = turnActive;
  state.current.running = running;
  state.current.paths = paths;
  const setBuffer = (next: TextBuffer) => {
    state.current.buffer = next;
    setBufferState(next);
  };
  const setAnswer = (next: TextBuffer) => {
    state.current.answer = next;
    setAnswerState(next);
  };
  const setAsking = (next: Asking | undefined) => {
    state.current.asking = next;
    setAskingState(next);
  };
  const setApproving = (next: Approving | undefined) => {
    state.current.approving = next;
    setApprovingState(next);
    setChoice({ selected: 0, instead: undefined });
  };
  const setChoice = (next: ApprovalChoice) => {
    state.current.choice = next;
    setChoiceState(next);
  };
  const setSearch = (next: SearchState | undefined) => {
    state.current.search = next;
    setSearchState(next);
  };

  const note = useCallback((text: string, tone: 'info' | 'warning' | 'error' | 'success' = 'info') => store.update((s) => addItem(s, { kind: 'info', text, tone })), [store]);

  useAttention(agent);
  useCreatureDialogs(agent, approvalMode, {
    current: () => state.current,
    setAsking: (next) => setAsking(next),
    setApproving: (next) => setApproving(next),
    resetAnswer: () => setAnswer(createBuffer()),
  });

  // Path completions follow the `@word` under the cursor.
  useEffect(() => {
    const line = buffer.lines[buffer.row] ?? '';
    const mention = mentionAt(line, buffer.col);
    if (!mention) {
      // Unchanged when there were none: a new empty list would cost every keystroke a second frame.
      setPaths((shown) => (shown.length > 0 ? [] : shown));
      return;
    }
    let live = true;
    void completePath(mention.partial, cwd).then((found) => live && setPaths(found.map((label) => ({ label: `@${label}` }))));
    return () => {
      live = false;
    };
  }, [buffer, cwd]);

  const submit = useCallback(
    (raw: string) => {
      if (raw.trim()) history.add(raw);
      if (onSubmitLine?.(raw)) return Promise.resolve();
      return submitLine(raw, {
        slot,
        store,
        note,
        onExit,
        mode,
        // A command's numbered choice (`/model` with no name) is drawn as the ask_user dialog.
        choose: (question, choices) =>
          new Promise<string | undefined>((resolve) => {
            setAnswer(createBuffer());
            setAsking({ question, choices, resolve, reject: () => resolve(undefined) });
          }),
        rewind: {
          offer: (turn, input) => {
            rewindTo.current = turn;
            setBuffer(reduceBuffer(createBuffer(), { type: 'set', text: input }));
          },
          take: () => {
            const turn = rewindTo.current;
            rewindTo.current = undefined;
            return turn;
          },
        },
      });
    },
    [slot, history, note, onExit, store, mode, onSubmitLine],
  );

  const onKey = useCallback(
    (event: KeyEvent) => {
      const current = state.current;
      // Rendered with this key's echo (one frame for both), not in a frame of its own right after it.
      store.flushPending();
      setHint(undefined);
      if (onLayoutKey?.(event, { empty: isEmpty(current.buffer) && !current.asking && !current.approving && !current.search })) return;
      const command = resolveCommand(event, keymap);
      if (!command) return;

      if (current.approving) return approvalKey(event, command);
      if (current.asking) return answerKey(event, command);
      if (current.search) return searchKey(event, command);

      switch (command) {
        case 'submit': {
          const continued = backslashNewline(current.buffer);
          if (continued) return setBuffer(continued);
          const raw = expandPastes(current.buffer);
          setBuffer(createBuffer());
          history.reset();
          void submit(raw);
          return;
        }
        case 'interrupt':
          if (current.turnActive) slot.agent?.interrupt();
          return;
        case 'ctrlC': {
          if (rewindTo.current !== undefined) {
            rewindTo.current = undefined;
            setBuffer(createBuffer());
            return setHint('Rewind cancelled');
          }
          if (!isEmpty(current.buffer)) return setBuffer(createBuffer());
          if (current.turnActive && slot.agent?.interrupt()) return;
          const now = Date.now();
          if (now - lastCtrlC.current < DOUBLE_PRESS_MS) return onExit();
          lastCtrlC.current = now;
          return setHint('Press Ctrl+C again to exit');
        }
        case 'exit':
          if (isEmpty(current.buffer)) onExit();
          else setBuffer(reduceBuffer(current.buffer, { type: 'delete' }));
          return;
        case 'background': {
          const tool = current.running[0];
          if (!tool) return setHint('No running tool to send to the background');
          if (!slot.agent?.promote(tool.callId)) setHint(`${tool.name} cannot move to the background`);
          return;
        }
        case 'expandToolOutput':
          return store.update((s) => ({ ...s, expanded: !s.expanded }));
        case 'redraw':
          return onRedraw();
        case 'cycleApprovalMode': {
          const agent = slot.agent;
          if (!agent) return setHint('The creature is still starting');
          const next = nextApprovalMode(store.getState().approvalMode);
          // The footer shows the mode once the creature has taken it.
          void agent.setApprovalMode(next).then(
            () => store.update((s) => ({ ...s, approvalMode: next })),
            (error: unknown) => note((error as Error).message, 'error'),
          );
          return;
        }
        case 'reverseSearch':
          return setSearch({ query: '', match: undefined, index: undefined });
        case 'historyPrev':
          return recall(history.previous(bufferText(current.buffer)));
        case 'historyNext':
          return recall(history.next() ?? '');
        case 'up':
          if (atFirstLine(current.buffer)) return recall(history.previous(bufferText(current.buffer)));
          break;
        case 'down':
          if (atLastLine(current.buffer)) return recall(history.next() ?? '');
          break;
        case 'complete':
          return complete(current.buffer);
        case 'scrollUp':
        case 'scrollDown': {
          // cli mode has the terminal's own scrollback; tui mode scrolls its transcript pane.
          const wheel = event.kind === 'key' && event.name.startsWith('wheel');
          const up = command === 'scrollUp';
          onScroll?.(wheel ? (up ? -3 : 3) : up ? 'pageUp' : 'pageDown');
          return;
        }
        default:
          break;
      }
      const action = bufferActionFor(command, event);
      if (action) setBuffer(reduceBuffer(state.current.buffer, action));
    },
    // The handlers below read state through `state.current`; only stable values are listed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [slot, history, keymap, onExit, onRedraw, onScroll, onLayoutKey, store, submit],
  );

  function recall(entry: string | undefined): void {
    if (entry !== undefined) setBuffer(reduceBuffer(createBuffer(), { type: 'set', text: entry }));
  }

  function complete(current: TextBuffer): void {
    const line = current.lines[current.row] ?? '';
    const mention = mentionAt(line, current.col);
    const first = state.current.paths[0];
    if (mention && first) {
      const replaced = `${line.slice(0, mention.start)}${first.label}${line.slice(current.col)}`;
      const lines = [...current.lines];
      lines[current.row] = replaced;
      setBuffer(reduceBuffer(reduceBuffer(createBuffer(), { type: 'set', text: lines.join('\n') }), { type: 'end' }));
      return;
    }
    if (current.lines.length === 1 && line.startsWith('/') && !line.includes(' ')) {
      const [match] = completeSlash(line);
      if (match) setBuffer(reduceBuffer(createBuffer(), { type: 'set', text: `/${match.name} ` }));
      return;
    }
    // A command that knows its arguments (`/triggers delete <id>`): the first one that fits.
    const [args] = current.lines.length === 1 ? completeSlashArgs(slot.agent, line) : [];
    if (args) setBuffer(reduceBuffer(reduceBuffer(createBuffer(), { type: 'set', text: args.label }), { type: 'end' }));
  }

  function approvalKey(event: KeyEvent, command: Command): void {
    const pending = state.current.approving!;
    const step = approvalStep(state.current.choice, event, command, pending.rules);
    if (step.kind === 'decide') pending.decide(step.answer);
    else if (step.kind === 'update') setChoice(step.choice);
  }

  function answerKey(event: KeyEvent, command: Command): void {
    const pending = state.current.asking!;
    if (command === 'interrupt' || command === 'ctrlC') {
      setAsking(undefined);
      pending.reject(new Error('the user declined to answer'));
    } else if (command === 'submit') {
      setAsking(undefined);
      pending.resolve(answerFor(expandPastes(state.current.answer), pending.choices));
    } else {
      const action = bufferActionFor(command, event);
      if (action) setAnswer(reduceBuffer(state.current.answer, action));
    }
  }

  function searchKey(event: KeyEvent, command: Command): void {
    const step = searchStep(state.current.search!, event, command, history);
    if (step.kind === 'update') setSearch(step.search);
    else if (step.kind === 'close') {
      if (step.recall !== undefined) recall(step.recall);
      setSearch(undefined);
    }
  }

  useRawInput(onKey);

  const width = Math.max(20, columns);
  if (approving) return <ApprovalDialog request={approving.request} width={width} rules={approving.rules} choice={choice} />;
  if (asking) return <AskDialog question={asking} buffer={answer} width={width} />;
  const line = buffer.lines[0] ?? '';
  const slashes =
    buffer.lines.length !== 1 || !line.startsWith('/')
      ? []
      : !line.includes(' ')
        ? completeSlash(line).map((c) => ({ label: `/${c.name}`, detail: c.summary }))
        : completeSlashArgs(agent, line).filter((c) => c.label !== line.trimEnd());
  return (
    <Box flexDirection="column">
      <Composer
        buffer={buffer}
        busy={turnActive}
        width={width}
        placeholder={turnActive ? 'Esc to interrupt · type to queue a message' : 'Ask anything · / commands · @ files · ! shell'}
      />
      {search ? (
        <Box paddingLeft={2}>
          <Text>
            <Text dimColor>(reverse search) </Text>
            <Text color="cyan">{search.query}</Text>
            <Text dimColor>: </Text>
            <Text>{search.match ?? (search.query ? 'no match' : '')}</Text>
          </Text>
        </Box>
      ) : null}
      <Suggestions items={slashes.length ? slashes : paths} />
      {hint ? (
        <Box paddingLeft={2}>
          <Text color="yellow">{hint}</Text>
        </Box>
      ) : null}
    </Box>
  );
}
