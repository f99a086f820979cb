/**
 * Triggers on screen: the transcript's mark of a trigger turn, the footer's
 * trigger summary, and `/triggers` listing and deleting against a real
 * creature with a code trigger.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { TriggerCatalog } from '../../../source/engine/triggers/catalog.js';
import type { Trigger, TriggerContext } from '../../../source/engine/triggers/trigger.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { completeSlashArgs, parseSlash } from '../../../source/ui/commands.js';
import { Footer } from '../../../source/ui/components/footer.js';
import { TranscriptItem } from '../../../source/ui/components/transcript-item.js';
import { initialView } from '../../../source/ui/state/view.js';
import { frame } from '../../helpers/frames.js';

const MINUTE = 60_000;

describe('triggers on screen', () => {
  it('a trigger turn shows its mark and the first lines of what it handed the creature, dim and cut', () => {
    const text = ['Post the standup summary', 'x'.repeat(200), 'third', 'fourth', 'fifth'].join('\n');
    const shown = render(<TranscriptItem item={{ kind: 'trigger', id: 1, label: "⏰ timer 'standup'", text }} width={40} />).lastFrame()!;
    expect(shown.split('\n')).toEqual(['', "⏰ timer 'standup'", '  Post the standup summary', `  ${'x'.repeat(37)}…`, '  third', '  … 2 more lines']);
  });

  it('the footer counts triggers and names the next fire; without triggers it says nothing of them', async () => {
    const view = initialView({ model: 'm' });
    const none = render(<Footer view={view} />);
    expect(none.lastFrame()).not.toMatch(/trigger/);
    none.unmount();
    const triggers = [
      { id: 'w', kind: 'webhook', name: 'hook', origin: 'config' as const },
      { id: 't', kind: 'timer', name: 'standup', origin: 'config' as const, nextFireAt: Date.now() + 4 * MINUTE + 20_000 },
    ];
    const app = render(<Footer view={{ ...view, triggers }} />);
    await frame(app, /⏰ 2 triggers · next 'standup' in 4m/);
    app.unmount();
  });

  it('/triggers lists id, kind, name, description, next fire, fired count and origin; delete removes one; ids complete', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kt-ui-trig-'));
    const agent = await Agent.build({ name: 'waker' }, { llm: new ScriptedLLM([{ text: 'posted' }]), pwd: folder, catalog: new ToolCatalog(), triggerCatalog: new TriggerCatalog() });
    let ctx: TriggerContext | undefined;
    const next = Date.now() + 90 * MINUTE;
    const timer: Trigger = { kind: 'timer', describe: () => 'every day at 09:00', nextFireAt: () => next, start: (c) => void (ctx = c) };
    const id = await agent.addTrigger(timer, { name: 'standup' });
    await agent.start();
    await ctx!.fire({ content: 'standup' }).done;
    const slash = async (line: string) => {
      const parsed = parseSlash(line)!;
      return parsed.command!.run(agent, parsed.args);
    };
    const listed = await slash('/triggers');
    expect(listed).toMatchObject({ kind: 'note' });
    const text = (listed as { text: string }).text;
    expect(text).toContain(`⏰ ${id}  timer 'standup'`);
    expect(text).toContain('every day at 09:00');
    expect(text).toMatch(/next in 1h 30m \(.+\) · fired 1 time · from code/);

    expect(completeSlashArgs(agent, '/triggers ').map((c) => c.label)).toEqual(['/triggers list', '/triggers delete']);
    expect(completeSlashArgs(agent, '/triggers rm ').map((c) => c.label)).toEqual([`/triggers rm ${id}`]);
    expect(await slash('/triggers delete nope')).toMatchObject({ tone: 'warning', text: "No trigger 'nope'; /triggers lists them." });
    expect(await slash(`/triggers rm ${id}`)).toMatchObject({ text: `Deleted trigger ${id} (timer 'standup'); it will not fire again.` });
    expect(agent.triggers).toEqual([]);
    expect(await slash('/triggers')).toMatchObject({ text: expect.stringMatching(/^No triggers\./) });
    await agent.stop();
  });
});
