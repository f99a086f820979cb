/**
 * `input: stdin_lines`: one turn per non-empty line of a stream (the
 * process's stdin by default). The next line waits until the previous turn
 * ended, so answers come out in line order; at the end of the stream the
 * input ends (`ctx.end`), and the creature stops once its turns are done.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { InputDefinition } from '../../engine/io/catalog.js';
import type { InputContext, InputModule } from '../../engine/io/input.js';

const options = lazySchema(() => z.object({}).strict() as unknown as z.ZodType<Record<string, never>>);

export const stdinLinesInput: InputDefinition<Record<string, never>> = {
  kind: 'stdin_lines',
  description: 'one turn per line of standard input',
  options,
  create: () => new StdinLinesInput(),
};

export class StdinLinesInput implements InputModule {
  readonly kind = 'stdin_lines';
  private reading: Promise<void> | undefined;
  private close: (() => void) | undefined;

  constructor(private readonly stream: Readable = process.stdin) {}

  describe(): string {
    return 'stdin (a turn per line)';
  }

  start(ctx: InputContext): void {
    const lines = createInterface({ input: this.stream, crlfDelay: Infinity });
    this.close = () => lines.close();
    this.reading = (async () => {
      try {
        for await (const line of lines) {
          if (ctx.signal.aborted) return;
          if (!line.trim()) continue;
          await ctx.submit(line).catch(() => undefined); // the creature stopped meanwhile: the loop ends below
        }
      } catch (error) {
        ctx.warn(`reading stdin failed: ${(error as Error).message}`);
      }
      if (!ctx.signal.aborted) ctx.end('stdin closed');
    })();
  }

  /** Stop reading. The turn of the current line is not waited for: the creature cancels it right after. */
  stop(): void {
    this.close?.();
  }

  /** Resolves when the reading loop has ended (tests). */
  get done(): Promise<void> {
    return this.reading ?? Promise.resolve();
  }
}
