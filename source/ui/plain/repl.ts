/**
 * Plain mode on a terminal without `-p`: a line-per-prompt loop. Ctrl+C
 * interrupts a running turn (or drops a pending question), or leaves at the
 * prompt; Ctrl+D and /exit leave.
 *
 * Event-driven rather than `for await` over lines, because a line can mean
 * three things: the next prompt, the answer to an `ask_user` question the
 * running turn is waiting on, or — typed while a turn runs — a prompt queued
 * for after it.
 */
import { createInterface } from 'node:readline';
import type { AskOptions } from '../../engine/tools/runtime.js';

export interface ReplHandlers {
  /** Run one prompt to completion. */
  submit(line: string): Promise<void>;
  /** Interrupt the running turn; false when nothing was running. */
  interrupt(): boolean;
}

export interface Repl {
  /** Ends when the user leaves. */
  done: Promise<void>;
  /** Put a question to the user; resolves with their answer line. */
  ask(question: string, options?: AskOptions): Promise<string>;
  /** End it from outside (the creature stopped by itself). */
  close(): void;
}

const EXIT_WORDS = new Set(['/exit', '/quit', 'exit', 'quit']);
const PROMPT = '> ';

interface Question {
  choices?: readonly string[] | undefined;
  resolve(answer: string): void;
  reject(error: Error): void;
}

export function startRepl(handlers: ReplHandlers, input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): Repl {
  const rl = createInterface({ input, output, prompt: PROMPT, terminal: true });
  const queue: string[] = [];
  let busy = false;
  let closed = false;
  let question: Question | undefined;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));

  const leave = () => {
    if (closed) return;
    closed = true;
    question?.reject(new Error('the user left'));
    question = undefined;
    rl.close();
  };

  const next = async () => {
    while (!busy && !closed && queue.length) {
      const line = queue.shift()!;
      if (EXIT_WORDS.has(line)) return leave();
      busy = true;
      try {
        await handlers.submit(line);
      } catch (error) {
        output.write(`kt: ${(error as Error).message}\n`);
      } finally {
        busy = false;
      }
    }
    if (!closed && !busy) rl.prompt();
  };

  rl.on('line', (raw) => {
    const line = raw.trim();
    if (question) {
      const { choices, resolve } = question;
      question = undefined;
      rl.setPrompt(PROMPT);
      resolve(pickChoice(line, choices));
      return;
    }
    if (!line) {
      if (!busy) rl.prompt();
      return;
    }
    queue.push(line);
    if (busy) output.write(`(queued: runs after the current turn)\n`);
    void next();
  });
  rl.on('SIGINT', () => {
    if (question) {
      const pending = question;
      question = undefined;
      rl.setPrompt(PROMPT);
      output.write('\n');
      pending.reject(new Error('the user declined to answer'));
      return;
    }
    if (busy && handlers.interrupt()) return;
    leave();
  });
  rl.on('close', () => {
    closed = true;
    question?.reject(new Error('the user left'));
    finish();
  });

  rl.prompt();

  const ask = (text: string, options: AskOptions = { signal: new AbortController().signal }): Promise<string> => {
    if (closed) return Promise.reject(new Error('the user left'));
    if (question) return Promise.reject(new Error('another question is waiting for an answer'));
    return new Promise<string>((resolve, reject) => {
      const current: Question = { choices: options.choices, resolve, reject };
      question = current;
      const onAbort = () => {
        if (question !== current) return;
        question = undefined;
        rl.setPrompt(PROMPT);
        output.write('\n(question withdrawn)\n');
        reject(new Error('withdrawn'));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const choiceLines = options.choices?.map((choice, i) => `  ${i + 1}. ${choice}`).join('\n');
      output.write(`\n? ${text}\n${choiceLines ? `${choiceLines}\n` : ''}`);
      rl.setPrompt(options.choices ? 'answer (number or text)> ' : 'answer> ');
      rl.prompt();
    });
  };

  return { done, ask,
    close: leave,
  };
}

/** A bare number picks that choice; anything else is the answer as typed. */
function pickChoice(line: string, choices: readonly string[] | undefined): string {
  if (!choices || !/^\d+$/.test(line)) return line;
  return choices[Number(line) - 1] ?? line;
}

/** Run the loop until the user leaves (no questions asked). */
export async function runRepl(handlers: ReplHandlers, input?: NodeJS.ReadableStream, output?: NodeJS.WritableStream): Promise<void> {
  await startRepl(handlers, input, output).done;
}
