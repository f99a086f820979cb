/**
 * `/approvals` and `/model` as the screen runs them (through `submitLine`),
 * against a real creature: the mode is shown and set and the footer's view
 * follows it; `/model` alone offers the catalogue's models as a numbered
 * choice and switches to the pick; `/help` names tui's own keys in tui only.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Agent } from '../../source/index.js';
import { ScriptedLLM } from '../../source/testing/index.js';
import { nextApprovalMode, parseSlash } from '../../source/ui/commands.js';
import { submitLine } from '../../source/ui/components/submit-line.js';
import { AgentSlot } from '../../source/ui/state/agent-slot.js';
import { ViewStore } from '../../source/ui/state/store.js';
import { initialView } from '../../source/ui/state/view.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-approvals-'));

afterEach(() => vi.unstubAllEnvs());

async function setUp() {
  const config = dir();
  // The picker reads the catalogue as `kt model list` does, from the process's config home: an empty one.
  vi.stubEnv('KT_CONFIG_DIR', config);
  vi.stubEnv('OPENAI_API_KEY', 'sk-test');
  const env = { KT_CONFIG_DIR: config, OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' };
  const agent = await Agent.build({ name: 'helper' }, { llm: new ScriptedLLM([]), pwd: dir(), env });
  await agent.setApprovalMode('default');
  const store = new ViewStore(initialView(), { safeSplit: () => 0, maxLiveLines: 50, frameMs: 0 });
  const notes: string[] = [];
  const offered: string[][] = [];
  const context = {
    slot: new AgentSlot(agent),
    store,
    note: (text: string) => void notes.push(text),
    onExit: () => undefined,
    choose: async (_question: string, choices: readonly string[]) => {
      offered.push([...choices]);
      return 'openai/gpt-4o-mini';
    },
  };
  return { agent, store, notes, offered, context };
}

describe('/approvals', () => {
  it('shows the mode, sets a named one, refuses an unknown one; the view follows the creature', async () => {
    const { agent, store, notes, context } = await setUp();
    await submitLine('/approvals', context);
    expect(notes.pop()).toMatch(/^approval mode: default \(asks before edits and commands\)\. Set it with \/approvals <default\|auto-edit\|plan\|yolo> or cycle with Shift\+Tab\.$/);
    await submitLine('/approvals plan', context);
    expect(notes.pop()).toMatch(/^Approval mode: plan \(reads only/);
    expect(agent.approvalMode).toBe('plan');
    expect(store.getState().approvalMode).toBe('plan');
    await submitLine('/approvals sometimes', context);
    expect(notes.pop()).toBe('Unknown approval mode "sometimes"; choose one of default, auto-edit, plan, yolo.');
    expect(agent.approvalMode).toBe('plan');
    await agent.stop();
  });

  it('Shift+Tab steps default → auto-edit → plan → yolo → default', () => {
    const seen = ['default' as const];
    for (let i = 0; i < 4; i++) seen.push(nextApprovalMode(seen.at(-1)!) as never);
    expect(seen).toEqual(['default', 'auto-edit', 'plan', 'yolo', 'default']);
  });
});

describe('/model', () => {
  it('with no name offers the models kt model list shows, and switches to the one picked', async () => {
    const { agent, notes, offered, context } = await setUp();
    await submitLine('/model', context);
    expect(offered[0]).toContain('openai/gpt-4o-mini');
    // At most 12, so the dialog fits; models whose key is set come first.
    expect(offered[0]!.length).toBeLessThanOrEqual(12);
    expect(offered[0]![0]).toMatch(/^openai\//);
    expect(notes.pop()).toBe('Switched from scripted/test to openai/gpt-4o-mini; the conversation carries over.');
    expect(agent.model).toBe('openai/gpt-4o-mini');
    // Declined: nothing changes.
    await submitLine('/model', { ...context, choose: async () => undefined });
    expect(notes.pop()).toBe('Nothing chosen.');
    expect(agent.model).toBe('openai/gpt-4o-mini');
    await agent.stop();
  });
});

describe('/help', () => {
  it('names PageUp/PageDown, F2 and Alt+←/→ in tui mode only', async () => {
    const { agent } = await setUp();
    const help = parseSlash('/help')!.command!;
    const tui = await help.run(agent, '', { mode: 'tui' });
    const cli = await help.run(agent, '', { mode: 'cli' });
    expect(tui).toMatchObject({ text: expect.stringMatching(/PageUp\/PageDown[^\n]*F2 side panes[^\n]*Alt\+←\/→/) });
    expect(cli).toMatchObject({ text: expect.not.stringMatching(/F2/) });
    expect(cli).toMatchObject({ text: expect.stringMatching(/Shift\+Tab cycle the approval mode/) });
    await agent.stop();
  });
});
