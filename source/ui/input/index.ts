/** The terminal input layer: raw bytes → key events → commands → prompt edits. See README.md. */
export { KeypressParser, parseKeys } from './keypress.js';
export type { KeyEvent, KeyPress, PasteEvent } from './key-event.js';
export {
  BINDABLE_COMMANDS,
  DEFAULT_BINDINGS,
  buildKeymap,
  defaultKeymap,
  keysFor,
  loadKeymap,
  resolveCommand,
  type BindableCommand,
  type Command,
  type Keymap,
  type LoadedKeymap,
} from './keymap.js';
export { chordOf, parseChord } from './chords.js';
export { bufferActionFor } from './edit-commands.js';
export {
  TAB_WIDTH,
  atFirstLine,
  atLastLine,
  backslashNewline,
  createBuffer,
  cursorDisplayColumn,
  displayWidth,
  expandPastes,
  isEmpty,
  reduceBuffer,
  text,
  type BufferAction,
  type TextBuffer,
} from './text-buffer.js';
export { PASTE_MAX_CHARS, PASTE_MAX_LINES } from './pasted-text.js';
export { PromptHistory, type HistoryMatch } from './history.js';
