/**
 * Plain mode on a terminal without `-p`: a line-per-prompt loop. Ctrl+C
 * interrupts a running turn, or leaves at the prompt; Ctrl+D and /exit leave.
 */
import { createInterface } from 'node:readline';

export interface ReplHandlers {
  /** Run one prompt to completion. */
  submit(line: string): Promise<void>;
  /** Interrupt the running turn; false when nothing was running. */
  interrupt(): boolean;
}

const EXIT_WORDS = new Set(['/exit', '/quit', 'exit', 'quit']);

export async function runRepl(handlers: ReplHandlers, input = process.stdin, output = process.stdout): Promise<void> {
  const rl = createInterface({ input, output, prompt: '> ', terminal: true });
  let busy = false;
  rl.on('SIGINT', () => {
    if (busy && handlers.interrupt()) return;
    rl.close();
  });
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (EXIT_WORDS.has(line)) break;
    if (line) {
      busy = true;
      try {
        await handlers.submit(line);
      } finally {
        busy = false;
      }
    }
    rl.prompt();
  }
  rl.close();
}
