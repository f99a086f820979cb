/**
 * `output: {type: tts, command: [espeak-ng]}`: each answer spoken by a
 * command, as plain text (markdown stripped) on its stdin or as its last
 * argument (`arg_mode: argv`). One at a time (the router's queue sees to
 * that); the command runs in its own process group, so stopping the
 * creature kills it and everything it started.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { OutputDefinition } from '../../engine/io/catalog.js';
import type { OutputContext, OutputModule } from '../../engine/io/output.js';

const options = lazySchema(() => z
  .object({
    command: z.union([z.string().min(1), z.array(z.string()).min(1)]),
    arg_mode: z.enum(['stdin', 'argv']).default('stdin'),
  })
  .strict());
type TtsOptions = z.infer<typeof options>;

export const ttsOutput: OutputDefinition<TtsOptions> = {
  kind: 'tts',
  description: 'speak each answer with a command (espeak-ng, say, piper ...)',
  options: options as unknown as z.ZodType<TtsOptions>,
  create: (opts) => new TtsOutput(opts),
};

/** How long a killed command may take to exit before it gets SIGKILL. */
const KILL_GRACE_MS = 2000;

export class TtsOutput implements OutputModule {
  readonly kind = 'tts';
  private ctx: OutputContext | undefined;
  private running: { pid: number | undefined; done: Promise<unknown> } | undefined;
  private stopped = false;

  constructor(private readonly options: TtsOptions) {}

  describe(): string {
    return `speak with ${this.argv()[0]}`;
  }

  start(ctx: OutputContext): void {
    this.ctx = ctx;
  }

  /** The pid of the command speaking now (tests check it is gone after stop). */
  get pid(): number | undefined {
    return this.running?.pid;
  }

  async write(text: string): Promise<void> {
    // Loaded on the first answer: marked stays out of every creature's start-up.
    const { markdownToPlain } = await import('./plain-text.js');
    const plain = markdownToPlain(text);
    if (!plain || this.stopped) return;
    const { execa } = await import('execa');
    const [file, ...args] = this.argv();
    const byArg = this.options.arg_mode === 'argv';
    const child = execa(file as string, byArg ? [...args, plain] : args, {
      ...(byArg ? { stdin: 'ignore' as const } : { input: plain }),
      stdout: 'ignore',
      stderr: 'pipe',
      reject: false,
      cwd: this.ctx?.cwd ?? process.cwd(),
      // A group of its own, so stop() reaches whatever the command started.
      killDescendants: true,
      detached: true,
    });
    this.running = { pid: child.pid, done: child };
    try {
      const result = await child;
      if (result.failed && !this.stopped) throw new Error(result.shortMessage);
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const running = this.running;
    if (!running?.pid) return;
    signalGroup(running.pid, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), KILL_GRACE_MS)));
    if ((await Promise.race([running.done, grace])) === 'late') signalGroup(running.pid, 'SIGKILL');
    clearTimeout(timer);
    await running.done;
  }

  private argv(): string[] {
    const { command } = this.options;
    if (Array.isArray(command)) return command;
    return command.split(/\s+/).filter(Boolean);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
