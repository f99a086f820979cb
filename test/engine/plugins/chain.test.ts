import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, PluginBlockError } from '../../../source/engine/errors.js';
import type { EventDraft } from '../../../source/engine/events.js';
import { HookChain } from '../../../source/engine/plugins/chain.js';
import { plugin } from '../../../source/engine/plugins/define.js';
import type { ToolCallInfo } from '../../../source/engine/plugins/hooks.js';
import { loadPlugins, type PluginHost } from '../../../source/engine/plugins/load.js';

function setup(model = 'openai/gpt-test') {
  const warnings: EventDraft[] = [];
  const chain = new HookChain({ emit: (d) => warnings.push(d), scope: () => ({ agent: 'alpha', model }) });
  const state = new Map<string, unknown>();
  const host: PluginHost = {
    agentName: 'alpha',
    cwd: '/tmp',
    emit: (d) => warnings.push(d),
    state: { get: <T>(k: string) => state.get(k) as T | undefined, set: (k, v) => void state.set(k, v) },
    now: () => 0,
  };
  return { chain, warnings, host, state };
}

const toolInfo = (toolName = 'bash'): ToolCallInfo => ({ agentPath: ['alpha'], model: 'openai/gpt-test', turnId: 'turn_1', callId: 'c1', toolName, background: false });

describe('HookChain', () => {
  it('runs pre hooks lowest priority first and post hooks highest first, each seeing the previous value', async () => {
    const { chain, host } = setup();
    const seen: string[] = [];
    const tagger = (name: string, priority: number) =>
      plugin({
        name,
        priority,
        setup: () => ({
          preToolExecute(args) {
            seen.push(`pre:${name}`);
            return { ...(args as object), trail: `${(args as { trail?: string }).trail ?? ''}${name}` };
          },
          postToolExecute(result) {
            seen.push(`post:${name}`);
            return { ...result, output: `${result.output as string}${name}` };
          },
        }),
      });
    await loadPlugins(chain, [{ definition: tagger('b', 20) }, { definition: tagger('a', 10) }, { definition: tagger('c', 20) }], host);
    const args = await chain.transform('preToolExecute', {}, toolInfo());
    expect(args).toEqual({ trail: 'abc' });
    const result = await chain.transform('postToolExecute', { output: '', isError: false }, { ...toolInfo(), args });
    expect(result.output).toBe('cba');
    expect(seen).toEqual(['pre:a', 'pre:b', 'pre:c', 'post:c', 'post:b', 'post:a']);
  });

  it('keeps the value when a hook returns nothing, and awaits async hooks', async () => {
    const { chain, host } = setup();
    await loadPlugins(
      chain,
      [
        { definition: plugin({ name: 'quiet', setup: () => ({ preSubagentRun() {} }) }) },
        { definition: plugin({ name: 'slow', priority: 60, setup: () => ({ preSubagentRun: async (task) => `${task}!` }) }) },
      ],
      host,
    );
    const task = await chain.transform('preSubagentRun', 'go', { agentPath: ['alpha'], model: 'm', turnId: null, name: 'explore', jobId: 'j', background: false });
    expect(task).toBe('go!');
  });

  it('lets a PluginBlockError from a pre hook through, naming the plugin', async () => {
    const { chain, host } = setup();
    await loadPlugins(
      chain,
      [
        {
          definition: plugin({
            name: 'guard',
            setup: () => ({
              preToolExecute() {
                throw new PluginBlockError('not here');
              },
            }),
          }),
        },
      ],
      host,
    );
    const error = await chain.transform('preToolExecute', {}, toolInfo()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginBlockError);
    expect((error as PluginBlockError).plugin).toBe('guard');
  });

  it('turns other errors into warnings, skips the plugin for that call, and disables it after maxErrors failures in a row', async () => {
    const { chain, host, warnings } = setup();
    await loadPlugins(
      chain,
      [
        {
          definition: plugin({
            name: 'broken',
            priority: 1,
            setup: () => ({
              preToolExecute() {
                throw new Error('boom');
              },
            }),
          }),
        },
        { definition: plugin({ name: 'fine', setup: () => ({ preToolExecute: (args) => ({ ...(args as object), ok: true }) }) }) },
      ],
      host,
    );
    for (let i = 0; i < 4; i++) expect(await chain.transform('preToolExecute', {}, toolInfo())).toEqual({ ok: true });
    const codes = warnings.map((w) => (w.type === 'warning' ? w.code : w.type));
    expect(codes).toEqual(['PLUGIN_ERROR', 'PLUGIN_ERROR', 'PLUGIN_ERROR', 'PLUGIN_DISABLED']);
    expect(chain.list().find((p) => p.name === 'broken')?.enabled).toBe(false);
    expect(chain.setEnabled('broken', true)).toBe(true);
    expect(chain.list().find((p) => p.name === 'broken')?.enabled).toBe(true);
  });

  it('a blocking error from a post hook is an ordinary failure, not a block', async () => {
    const { chain, host, warnings } = setup();
    await loadPlugins(
      chain,
      [
        {
          definition: plugin({
            name: 'late',
            setup: () => ({
              postToolExecute() {
                throw new PluginBlockError('too late');
              },
            }),
          }),
        },
      ],
      host,
    );
    const out = await chain.transform('postToolExecute', { output: 'x', isError: false }, { ...toolInfo(), args: {} });
    expect(out.output).toBe('x');
    expect(warnings).toHaveLength(1);
  });

  it('applies a plugin only to the agents and models it names', async () => {
    const { chain, host } = setup();
    const calls: string[] = [];
    await loadPlugins(
      chain,
      [
        { definition: plugin({ name: 'only-beta', appliesTo: { agents: ['beta'] }, setup: () => ({ preToolExecute: () => void calls.push('beta') }) }) },
        { definition: plugin({ name: 'only-claude', appliesTo: { models: ['^anthropic/'] }, setup: () => ({ preToolExecute: () => void calls.push('claude') }) }) },
      ],
      host,
    );
    await chain.transform('preToolExecute', {}, toolInfo());
    await chain.transform('preToolExecute', {}, { ...toolInfo(), agentPath: ['alpha', 'beta'] });
    await chain.transform('preToolExecute', {}, { ...toolInfo(), model: 'anthropic/claude-x' });
    expect(calls).toEqual(['beta', 'claude']);
  });

  it('validates options with the plugin schema, filling defaults and naming a bad key', async () => {
    const { chain, host } = setup();
    const seen: unknown[] = [];
    const budget = plugin({
      name: 'budget',
      options: z.object({ turns: z.tuple([z.number(), z.number()]).default([10, 20]), alert: z.boolean().default(true) }).strict(),
      setup: (ctx) => {
        seen.push(ctx.options);
        return {};
      },
    });
    await loadPlugins(chain, [{ definition: budget, options: { alert: false } }], host);
    expect(seen).toEqual([{ turns: [10, 20], alert: false }]);
    const bad = await loadPlugins(setup().chain, [{ definition: budget, options: { turns: 'many' }, location: { file: 'config.yaml', line: 7, keyPath: ['plugins', 0] } }], host).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ConfigError);
    expect((bad as ConfigError).message).toMatch(/^config\.yaml:7 key 'plugins\[0\]\.options\.turns': plugin 'budget'/);
  });

  it('reports a plugin whose setup throws as a ConfigError and loads none of the list', async () => {
    const { chain, host } = setup();
    const error = await loadPlugins(
      chain,
      [
        { definition: plugin({ name: 'ok', setup: () => ({}) }) },
        {
          definition: plugin({
            name: 'bad',
            setup: () => {
              throw new Error('missing API token');
            },
          }),
        },
      ],
      host,
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain("plugin 'bad' failed to set up: missing API token");
    expect(chain.size).toBe(0);
  });

  it('keeps each plugin state under its own namespace', async () => {
    const { chain, host, state } = setup();
    await loadPlugins(
      chain,
      [
        {
          definition: plugin({
            name: 'counter',
            setup: (ctx) => ({
              onAgentStart() {
                ctx.state.set('runs', (ctx.state.get<number>('runs') ?? 0) + 1);
              },
            }),
          }),
        },
      ],
      host,
    );
    await chain.notify('onAgentStart');
    await chain.notify('onAgentStart');
    expect([...state]).toEqual([['plugin:counter:runs', 2]]);
  });

  it('collects vetoes, prompt sections, termination votes and services', async () => {
    const { chain, host } = setup();
    await loadPlugins(
      chain,
      [
        { definition: plugin({ name: 'first', priority: 1, setup: () => ({ promptContent: () => 'A', runtimeServices: () => ({ runner: 'a', extra: 1 }) }) }) },
        {
          definition: plugin({
            name: 'second',
            setup: () => ({
              promptContent: () => 'B',
              runtimeServices: () => ({ runner: 'b' }),
              onCompactStart: (tokens) => tokens < 100,
              terminationCheck: (ctx) => (ctx.lastText.includes('DONE') ? { stop: true, reason: 'said done' } : undefined),
            }),
          }),
        },
      ],
      host,
    );
    expect(chain.promptSections()).toEqual(['A', 'B']);
    expect(chain.services()).toEqual({ runner: 'b', extra: 1 });
    expect(await chain.vetoCompaction(50)).toBeUndefined();
    expect(await chain.vetoCompaction(500)).toBe('second');
    const ctx = { agentPath: ['alpha'], model: 'm', turnId: 'turn_1', turnIndex: 1, steps: 1, toolCalls: 0, elapsedMs: 1, lastText: 'all DONE' };
    expect(chain.termination(ctx)).toEqual({ stop: true, reason: 'said done', plugin: 'second' });
    expect(chain.termination({ ...ctx, lastText: 'more' })).toBeUndefined();
  });

  it('delivers events raised during onEvent after the current one, in order, without recursion', async () => {
    const { chain, host } = setup();
    const seen: string[] = [];
    let raised = false;
    await loadPlugins(
      chain,
      [
        {
          definition: plugin({
            name: 'echo',
            setup: () => ({
              onEvent(event) {
                seen.push(event.type);
                if (!raised) {
                  raised = true;
                  chain.event({ ...event, type: 'warning', message: 'nested' } as never);
                  seen.push('after-nested-call');
                }
              },
            }),
          }),
        },
      ],
      host,
    );
    chain.event({ type: 'creature.stop', reason: 'x', seq: 1, ts: 0, sessionId: 's', creatureId: 'c', turnId: null, agentPath: ['alpha'] });
    expect(seen).toEqual(['creature.stop', 'after-nested-call', 'warning']);
  });

  it('reports time spent per hook once, and has() is false for hooks nobody implements', async () => {
    const { chain, host } = setup();
    await loadPlugins(chain, [{ definition: plugin({ name: 'p', setup: () => ({ preToolExecute: () => undefined }) }) }], host);
    expect(chain.has('preToolExecute')).toBe(true);
    expect(chain.has('preLlmCall')).toBe(false);
    await chain.transform('preToolExecute', {}, toolInfo());
    expect(Object.keys(chain.drainTimings() ?? {})).toEqual(['preToolExecute']);
    expect(chain.drainTimings()).toBeUndefined();
  });
});
