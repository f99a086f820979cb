/**
 * A background tool's result reaches the model where it did in the recording,
 * however fast the tool runs in the replay: one recorded job ends while the
 * next round runs (its result is told after that round, mid-turn), another
 * ends after its turn (it starts a turn of its own). In the replay the tool
 * finishes at once; both still land where they landed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { EventOf } from '../../../source/engine/events.js';
import type { LLMRequest, LLMStreamPart, Provider, StreamOptions } from '../../../source/engine/llm/provider.js';
import { formatDivergence } from '../../../source/engine/replay/diff.js';
import { replaySession } from '../../../source/engine/replay/replay-session.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { tool } from '../../../source/engine/tools/define.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';

/** A gate per job name: closed while recording, open (the tool finishes at once) when replaying. */
let gates = new Map<string, Promise<void>>();
const slow = tool({
  name: 'slow',
  description: 'Fetch something slowly.',
  input: z.object({ name: z.string() }),
  execute: async ({ name }) => {
    await gates.get(name);
    return `${name} fetched`;
  },
});
const build = { tools: [slow], catalog: new ToolCatalog(), projectInstructions: false };

/** Plays a script, running `before[n]` ahead of call n (the recording's gates are opened from there). */
class GatedLLM implements Provider {
  readonly id = 'scripted/test';
  readonly provider = 'scripted';
  readonly model = 'test';
  private calls = 0;
  private readonly inner: ScriptedLLM;

  constructor(script: ScriptEntry[], private readonly before: Record<number, () => Promise<void>>) {
    this.inner = new ScriptedLLM(script);
  }

  async *stream(request: LLMRequest, options: StreamOptions): AsyncIterable<LLMStreamPart> {
    await this.before[this.calls++]?.();
    yield* this.inner.stream(request, options);
  }
}

function deferred(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function record(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'kt-replay-bg-')), 'run.kohakutr');
  const first = deferred();
  const second = deferred();
  gates = new Map([['first', first.promise], ['second', second.promise]]);
  const jobEnded = new Map<string, ReturnType<typeof deferred>>([['first', deferred()], ['second', deferred()]]);
  const script: ScriptEntry[] = [
    { toolCalls: [{ id: 'b1', name: 'slow', args: { name: 'first', run_in_background: true } }] },
    // Round 2 runs while the first job ends: its result is told after this round.
    { text: 'Waiting for the first.' },
    { text: 'The first is fetched.' },
    { toolCalls: [{ id: 'b2', name: 'slow', args: { name: 'second', run_in_background: true } }] },
    { text: 'The second will come later.' },
    // The second job ends after its turn: a turn of its own.
    { text: 'The second is fetched too.' },
  ];
  const llm = new GatedLLM(script, {
    1: async () => {
      first.open();
      await jobEnded.get('first')!.promise;
    },
  });
  const agent = await Agent.build({ name: 'fetcher', system_prompt: 'You fetch.' }, { ...build, llm, pwd: mkdtempSync(join(tmpdir(), 'kt-replay-bg-pwd-')), session: path });
  const calls = new Map<string, string>();
  agent.on('job.start', (e: EventOf<'job.start'>) => e.callId && calls.set(e.jobId, e.callId));
  agent.on('job.end', (e: EventOf<'job.end'>) => jobEnded.get(calls.get(e.jobId) === 'b1' ? 'first' : 'second')!.open());
  const jobTurn = new Promise<void>((resolve) => agent.on('turn.end', (e) => e.agentPath.length === 1 && e.turnIndex === 3 && resolve()));
  await agent.run('Fetch the first.');
  await agent.run('Fetch the second.');
  second.open();
  await jobTurn;
  await agent.stop();
  gates = new Map();
  return path;
}

describe('background tools in a replay', () => {
  it('land where they landed in the recording, though the re-executed tool finishes at once', async () => {
    const path = await record();
    {
      using reader = new SessionReader(path);
      expect(reader.turns().map((t) => [t.source, t.assistantText])).toEqual([
        ['api', 'Waiting for the first.\n\nThe first is fetched.'],
        ['api', 'The second will come later.'],
        ['job', 'The second is fetched too.'],
      ]);
    }
    const rerun = await replaySession(path, { build });
    expect(rerun.divergences.map(formatDivergence)).toEqual([]);
    expect(rerun.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, replayed: { turns: 3, steps: 6 } });

    const recorded = await replaySession(path, { build, tools: 'recorded' });
    expect(recorded.divergences.map(formatDivergence)).toEqual([]);
    expect(recorded.creatures[0]).toMatchObject({ extraCalls: [], unserved: {}, replayed: { turns: 3, steps: 6 } });
  });
});
