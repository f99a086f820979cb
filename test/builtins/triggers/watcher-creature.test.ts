/** The bundled @kt-biome/creatures/watcher: a trigger-driven creature that reports file changes in its working folder. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';
import { until as gate } from '../../helpers/until.js';
import { tempDir, until } from './harness.js';

describe('@kt-biome/creatures/watcher', () => {
  it('wakes on a file change in its folder, tells the model which files, and can schedule its own checks', async () => {
    const pwd = tempDir();
    const clock = new FakeClock();
    const seen: string[] = [];
    const llm = new ScriptedLLM([], { defaultEntry: { text: 'notes.md gained a heading.' } });
    await using agent = await Agent.build('@kt-biome/creatures/watcher', { llm, pwd, clock, projectInstructions: false, env: withoutWatchPaths() });
    agent.on('turn.start', (e) => seen.push(typeof e.input === 'string' ? e.input : ''));
    expect(agent.tools).toEqual(expect.arrayContaining(['add_timer', 'add_schedule', 'list_triggers', 'delete_trigger', 'read', 'bash']));
    expect(agent.systemPrompt).toContain('Never push, and never force-push');
    await agent.start();
    expect(agent.triggers).toMatchObject([{ id: 'changes', kind: 'file_watch', origin: 'config' }]);
    writeFileSync(join(pwd, 'notes.md'), '# Notes\n');
    await gate(() => agent.triggers[0]!.description.includes('pending'), 'the change seen');
    await clock.advance(2000);
    await until(() => seen.length === 1);
    expect(seen[0]).toMatch(/^These files changed:\nnotes\.md\n/);
  });
});

function withoutWatchPaths(): NodeJS.ProcessEnv {
  const { KT_WATCH_PATHS: _ignored, ...env } = process.env;
  return env;
}
