/** A real server on a free loopback port, with a scripted (gated) model and temp folders for everything it writes. */
import { pino } from 'pino';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../../source/index.js';
import { startServer, type RunningServer, type ServerOptions } from '../../source/server/server.js';
import { ScriptedLLM, type ScriptStep } from '../../source/testing/scripted-llm.js';
import { configHome, tempTree } from '../helpers/temp-tree.js';

/** A scripted model that, when `hold()` was called, waits at the next call until `release()`. */
export class GatedLLM implements Provider {
  readonly id = 'scripted/test';
  readonly provider = 'scripted';
  readonly model = 'test';
  private readonly inner: ScriptedLLM;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;
  private arrived: (() => void) | undefined;
  calls = 0;

  constructor(script: ScriptStep[], fallback = 'ok') {
    this.inner = new ScriptedLLM(script, { defaultEntry: { text: fallback } });
  }

  /** The next call waits; resolves when it has started waiting. */
  hold(): Promise<void> {
    this.gate = new Promise((resolve) => (this.open = resolve));
    return new Promise((resolve) => (this.arrived = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async *stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart> {
    this.calls++;
    if (this.gate) {
      const gate = this.gate;
      this.arrived?.();
      await gate;
    }
    yield* this.inner.stream(request, options);
  }
}

export interface Harness {
  server: RunningServer;
  url: string;
  workspace: string;
  llm: GatedLLM;
  env: Record<string, string>;
  close(): Promise<void>;
}

export const CREATURE = 'creatures/t';

export async function startHarness(options: { script?: ScriptStep[]; server?: Partial<ServerOptions> } = {}): Promise<Harness> {
  const workspace = tempTree({ 'creatures/t/config.yaml': 'name: t\nsystem_prompt: You are a test creature.\ntools: []\n' });
  const env = { ...configHome(), PATH: process.env.PATH ?? '' };
  const llm = new GatedLLM(options.script ?? []);
  const server = await startServer({
    port: 0,
    log: pino({ level: 'silent' }),
    studio: { env, workspace, llm },
    ...options.server,
  });
  return { server, url: server.url, workspace, llm, env, close: () => server.close(2_000) };
}

export async function api(h: { url: string }, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    redirect: 'manual',
  });
  const text = await response.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}
