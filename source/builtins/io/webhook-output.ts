/**
 * `output: {type: webhook, url: ...}`: each turn's answer POSTed as JSON
 * `{creature, turnId, status, text, source}`. A 5xx answer or a network
 * error is retried with a doubling pause (at most `retries` times); what
 * still fails is thrown, which the router reports as a warning, so the
 * creature never stops over it. `${VAR}` in `headers` is filled in by the
 * config loader, so secrets stay in the environment.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { OutputDefinition } from '../../engine/io/catalog.js';
import type { OutputContext, OutputEndInfo, OutputModule } from '../../engine/io/output.js';
import { pause, systemClock } from '../../engine/util/clock.js';

const options = lazySchema(() => z
  .object({
    url: z.string().url('url must be an http(s) URL').refine((u) => /^https?:/i.test(u), 'url must be http or https'),
    headers: z.record(z.string(), z.string()).default({}),
    timeout_ms: z.number().int().positive().default(10_000),
    retries: z.number().int().min(0).max(10).default(3),
    backoff_ms: z.number().int().min(0).default(500),
  })
  .strict());
type WebhookOptions = z.infer<typeof options>;

export const webhookOutput: OutputDefinition<WebhookOptions> = {
  kind: 'webhook',
  description: 'POST each answer as JSON to a URL',
  options: options as unknown as z.ZodType<WebhookOptions>,
  create: (opts) => new WebhookOutput(opts),
};

export class WebhookOutput implements OutputModule {
  readonly kind = 'webhook';
  private ctx: OutputContext | undefined;

  constructor(private readonly options: WebhookOptions) {}

  describe(): string {
    return `POST ${this.options.url}`;
  }

  start(ctx: OutputContext): void {
    this.ctx = ctx;
  }

  async write(text: string, info: OutputEndInfo): Promise<void> {
    const body = JSON.stringify({ creature: this.ctx?.creature, turnId: info.turnId, status: info.status, text, source: info.source });
    const { retries, backoff_ms } = this.options;
    let problem = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0 && !(await pause(this.ctx?.clock ?? systemClock, backoff_ms * 2 ** (attempt - 1), this.ctx?.signal))) break;
      problem = await this.post(body);
      if (!problem) return;
      if (!problem.startsWith('retry:')) break;
    }
    throw new Error(`POST ${this.options.url} failed: ${problem.replace(/^retry:/, '')}`);
  }

  /** '' when delivered; `retry:<why>` for what another attempt may fix; else why it was refused. */
  private async post(body: string): Promise<string> {
    const signals = [AbortSignal.timeout(this.options.timeout_ms), ...(this.ctx ? [this.ctx.signal] : [])];
    try {
      const response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.options.headers },
        body,
        signal: AbortSignal.any(signals),
      });
      await response.body?.cancel();
      if (response.ok) return '';
      return `${response.status >= 500 ? 'retry:' : ''}HTTP ${response.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return `retry:${(error as Error).name === 'TimeoutError' ? `no answer in ${this.options.timeout_ms} ms` : (cause ?? (error as Error).message)}`;
    }
  }
}
