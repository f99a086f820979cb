/**
 * `output: {type: file, path: answers.md}`: each turn's answer appended with
 * a header line (`mode: answer`), or every event as one JSON line
 * (`mode: events`, credentials masked as in session files). The path is
 * relative to the config's folder; parent folders are made, and a new file
 * is readable by its owner only, since answers and events can hold private
 * text.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { OutputDefinition } from '../../engine/io/catalog.js';
import type { OutputContext, OutputEndInfo, OutputModule } from '../../engine/io/output.js';
import { redactDeep } from '../../engine/util/redact.js';

const options = lazySchema(() => z
  .object({
    path: z.string().min(1, 'path is required'),
    mode: z.enum(['answer', 'events']).default('answer'),
  })
  .strict());
type FileOptions = z.infer<typeof options>;

export const fileOutput: OutputDefinition<FileOptions> = {
  kind: 'file',
  description: 'append each answer (or every event as JSON lines) to a file',
  options: options as unknown as z.ZodType<FileOptions>,
  create: (opts, env) => new FileOutput(resolve(env.folder || env.cwd, opts.path), opts.mode),
};

export class FileOutput implements OutputModule {
  readonly kind = 'file';
  private ctx: OutputContext | undefined;
  private ready: Promise<unknown> | undefined;

  constructor(
    readonly path: string,
    readonly mode: 'answer' | 'events',
  ) {}

  describe(): string {
    return `${this.mode === 'events' ? 'events' : 'answers'} → ${this.path}`;
  }

  start(ctx: OutputContext): void {
    this.ctx = ctx;
  }

  async write(text: string, info: OutputEndInfo): Promise<void> {
    if (this.mode !== 'answer') return;
    const when = new Date(this.ctx?.clock.now() ?? Date.now()).toISOString();
    const by = info.origin ? `${info.source}: ${info.origin.name ?? info.origin.kind}` : info.source;
    await this.append(`## ${when} · turn ${info.turnIndex} (${by}) · ${info.status}\n\n${text}\n\n`);
  }

  async onEvent(event: Parameters<NonNullable<OutputModule['onEvent']>>[0]): Promise<void> {
    if (this.mode === 'events') await this.append(`${JSON.stringify(redactDeep(event))}\n`);
  }

  private async append(text: string): Promise<void> {
    this.ready ??= mkdir(dirname(this.path), { recursive: true });
    await this.ready;
    // `mode` applies only when the file is created; an existing file keeps its permissions.
    await appendFile(this.path, text, { mode: 0o600 });
  }
}
