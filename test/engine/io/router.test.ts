/** The output router through a real Agent: call order, per-module queues, failures as warnings, named blocks, setOutputHandler. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { IoCatalog } from '../../../source/engine/io/catalog.js';
import type { OutputModule } from '../../../source/engine/io/output.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-io-'));
const build = (texts: string[], extra: Parameters<typeof Agent.build>[1] = {}, config: Record<string, unknown> = { name: 'echo' }) =>
  Agent.build(config, { llm: new ScriptedLLM(texts.map((text) => ({ text }))), pwd: dir(), catalog: new ToolCatalog(), ...extra });

/** A module that logs every call it gets. */
function recorder(log: string[]): OutputModule {
  return {
    kind: 'recorder',
    start: () => void log.push('start'),
    onProcessingStart: (info) => void log.push(`processing.start ${info.turnIndex}`),
    writeStream: (delta) => void log.push(`stream ${delta}`),
    flush: () => void log.push('flush'),
    write: (text, info) => void log.push(`write ${text} ${info.status}`),
    onProcessingEnd: (info) => void log.push(`processing.end ${info.status}`),
    stop: () => void log.push('stop'),
  };
}

describe('output router', () => {
  it('calls a module in event order: start, stream, flush, write, end, stop', async () => {
    const log: string[] = [];
    const agent = await build(['hello there'], { outputs: [recorder(log)] });
    await agent.run('hi');
    await agent.stop();
    const streamed = log.filter((l) => l.startsWith('stream ')).map((l) => l.slice(7)).join('');
    expect(streamed).toBe('hello there');
    expect(log.filter((l) => !l.startsWith('stream '))).toEqual(['start', 'processing.start 1', 'flush', 'write hello there completed', 'processing.end completed', 'stop']);
  });

  it('a failing module is a warning naming it; the answer still reaches the result, the handler and the next turn', async () => {
    const writes: string[] = [];
    let calls = 0;
    const failing: OutputModule = {
      kind: 'flaky',
      write: (text) => {
        calls++;
        if (calls === 1) throw new Error('disk full');
        writes.push(text);
      },
    };
    const agent = await build(['one', 'two'], { outputs: [failing] });
    const handled: string[] = [];
    agent.setOutputHandler((text) => void handled.push(text));
    const warnings: AgentEvent[] = [];
    agent.on('warning', (w) => void warnings.push(w));
    const first = await agent.run('a');
    await agent.run('b');
    await agent.stop();
    expect(first.text).toBe('one');
    expect(handled).toEqual(['one', 'two']);
    expect(writes).toEqual(['two']);
    const warning = warnings.find((w) => w.type === 'warning' && w.code === 'OUTPUT_ERROR');
    expect(warning && warning.type === 'warning' ? warning.message : '').toMatch(/output 'flaky' failed in write: disk full/);
  });

  it('a slow module never holds up the turns or the other outputs', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: string[] = [];
    const agent = await build(['one', 'two'], { outputs: [{ kind: 'slow', write: async (t) => { await gate; slow.push(t); } }] });
    const quick: string[] = [];
    agent.setOutputHandler((t) => void quick.push(t));
    const seen = new Promise<void>((resolve) => agent.setOutputHandler((t) => (t === 'two' ? resolve() : undefined)));
    await agent.run('a');
    await agent.run('b');
    await seen;
    expect(quick).toEqual(['one', 'two']);
    expect(slow).toEqual([]);
    release();
    await agent.stop();
    expect(slow).toEqual(['one', 'two']);
  });

  it('setOutputHandler with replaceDefault takes the configured output out until unsubscribed', async () => {
    const log: string[] = [];
    const agent = await build(['one', 'two'], { outputs: [{ kind: 'main', write: (t) => void log.push(`main ${t}`) }] });
    const off = agent.setOutputHandler((t) => void log.push(`handler ${t}`), { replaceDefault: true });
    await agent.run('a');
    off();
    await agent.run('b');
    await agent.stop();
    expect(log).toEqual(['handler one', 'main two']);
  });

  it('routes [/output_x] blocks to their named output and the rest to the main one; unknown names warn', async () => {
    const named: string[] = [];
    const catalog = new IoCatalog();
    catalog.outputs.register({ kind: 'memo', description: 'test', options: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never, create: () => ({ kind: 'memo', write: (t) => void named.push(t) }) });
    catalog.outputs.register({ kind: 'stdout', description: 'test', options: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never, create: () => ({ kind: 'stdout' }) });
    const answer = 'Saved it.\n\n[/output_notes]\nbuy milk\n@@not=an arg\n[output_notes/]\n\n[/output_nope]x[output_nope/]\n\nAnything else?';
    const agent = await build([answer], { ioCatalog: catalog }, { name: 'keeper', output: { type: 'stdout', named_outputs: { notes: { type: 'memo' } } } });
    expect(agent.systemPrompt).toContain('## Named outputs');
    expect(agent.systemPrompt).toContain('`output_notes` (memo)');
    const main: string[] = [];
    agent.setOutputHandler((t) => void main.push(t));
    const warnings: string[] = [];
    agent.on('warning', (w) => void warnings.push(w.message));
    const result = await agent.run('remember to buy milk');
    await agent.stop();
    expect(result.text).toBe(answer);
    expect(named).toEqual(['buy milk\n@@not=an arg']);
    expect(main).toEqual(['Saved it.\n\nAnything else?']);
    expect(warnings.some((w) => w.includes("output named 'nope'"))).toBe(true);
  });

  it('a resumed session hands its turns to outputs that show history (onResume), once, after they started', async () => {
    const session = join(dir(), 'history.kohakutr');
    const first = await build(['first answer'], { session });
    await first.run('first question');
    await first.stop();
    const calls: string[] = [];
    let history: readonly AgentEvent[] = [];
    const shower: OutputModule = {
      kind: 'shower',
      start: () => void calls.push('start'),
      onResume: (events) => {
        calls.push('resume');
        history = events;
      },
    };
    const again = await build(['second answer'], { session, outputs: [shower] });
    await again.run('second question');
    await again.stop();
    expect(calls).toEqual(['start', 'resume']);
    expect(history.map((e) => (e.type === 'turn.start' ? `> ${String(e.input)}` : e.type === 'turn.end' ? `< ${e.text}` : e.type))).toEqual(['> first question', '< first answer']);
  });
});
