/**
 * The editing half of the pipeline: which commands change the prompt, and
 * the text-buffer action each one is. Everything else (submit, history,
 * scrolling, interrupt…) is the UI's to handle.
 */
import type { KeyEvent } from './key-event.js';
import type { Command } from './keymap.js';
import type { BufferAction, BufferActionType } from './text-buffer.js';

/** Commands that map one-to-one onto a text-buffer action of the same name. */
const EDITS = new Set<string>([
  'newline', 'left', 'right', 'up', 'down', 'home', 'end', 'wordLeft', 'wordRight',
  'backspace', 'delete', 'deleteWordBackward', 'killToEnd', 'killToStart',
] satisfies Array<Command & BufferActionType>);

/**
 * The buffer action for `command` triggered by `event`, or undefined when
 * the command is not an edit. `up`/`down` are edits only off the first/last
 * line; the UI checks `atFirstLine`/`atLastLine` first.
 */
export function bufferActionFor(command: Command, event: KeyEvent): BufferAction | undefined {
  if (command === 'paste') return event.kind === 'paste' ? { type: 'paste', text: event.text } : undefined;
  if (command === 'insert') return event.kind === 'key' ? { type: 'insert', text: event.sequence } : undefined;
  return EDITS.has(command) ? ({ type: command } as BufferAction) : undefined;
}
