/**
 * The one place keys enter the UI: raw bytes from stdin go through our
 * parser (bracketed paste kept whole, a lone Esc told apart from Alt+key by
 * a short timeout) and come out as key events for the handler. Ink's own
 * input hooks are not used, so no component reads keys behind our back.
 */
import { useStdin, useStdout } from 'ink';
import { useEffect, useRef } from 'react';
import { KeypressParser, type KeyEvent } from '../input/index.js';

/** How long a lone ESC waits for the rest of a sequence before it counts as Escape. */
const ESCAPE_TIMEOUT_MS = 40;
const PASTE_ON = '\u001b[?2004h';
const PASTE_OFF = '\u001b[?2004l';

export function useRawInput(onKey: (event: KeyEvent) => void): void {
  const { stdin } = useStdin();
  const { stdout } = useStdout();
  const handler = useRef(onKey);
  handler.current = onKey;

  useEffect(() => {
    const parser = new KeypressParser();
    let timer: NodeJS.Timeout | undefined;
    const deliver = (events: KeyEvent[]) => {
      for (const event of events) handler.current(event);
    };
    const onData = (chunk: string | Buffer) => {
      if (timer) clearTimeout(timer);
      deliver(parser.push(typeof chunk === 'string' ? chunk : new Uint8Array(chunk)));
      timer = setTimeout(() => deliver(parser.flush()), ESCAPE_TIMEOUT_MS);
    };
    const raw = stdin as NodeJS.ReadStream;
    raw.setRawMode?.(true);
    raw.setEncoding?.('utf8');
    raw.on('data', onData);
    raw.resume?.();
    stdout.write(PASTE_ON);
    return () => {
      if (timer) clearTimeout(timer);
      raw.off('data', onData);
      raw.setRawMode?.(false);
      raw.pause?.();
      stdout.write(PASTE_OFF);
    };
  }, [stdin, stdout]);
}
