/** The README's trigger example, read from README.md itself: it loads, and both triggers fire. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { until as gate } from '../../helpers/until.js';
import { tempDir, toolCatalog, triggerCatalogWith, until } from './harness.js';
import { Agent } from '../../../source/engine/creature/agent.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

function readmeExample(): string {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const block = /```yaml\n(# creatures\/notes-watcher\/config\.yaml[^\n]*\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('the notes-watcher example is missing from README.md');
  return block;
}

describe('the README trigger example', () => {
  it('builds, watches notes/ and runs the digest timer', async () => {
    const root = tempDir();
    const folder = join(root, 'creatures', 'notes-watcher');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'config.yaml'), readmeExample());
    const pwd = tempDir();
    mkdirSync(join(pwd, 'notes'));
    const clock = new FakeClock();
    const agent = await Agent.build(folder, { llm: new ScriptedLLM([], { defaultEntry: { text: 'ok' } }), pwd, clock, catalog: toolCatalog(), triggerCatalog: triggerCatalogWith() });
    const fired: string[] = [];
    agent.on('trigger.fired', (e) => fired.push(e.content));
    await agent.start();
    expect(agent.warnings).toEqual([]);
    expect(agent.triggers.map((t) => [t.id, t.kind, t.description])).toEqual([
      ['notes', 'file_watch', 'changes in notes'],
      ['digest', 'timer', 'every 10m'],
    ]);
    writeFileSync(join(pwd, 'notes', 'monday.md'), 'met Ana');
    await gate(() => agent.triggers[0]!.description.includes('pending'), 'the change seen');
    await clock.advance(2000);
    await until(() => fired.length === 1);
    expect(fired[0]).toBe('These files changed:\nnotes/monday.md\nSummarise the changes in CHANGES.md.');
    // A late second fs event for the same write may add one more file batch; the digest must come regardless.
    await clock.advance(600_000);
    const digest = 'Every ten minutes, tidy CHANGES.md into a short digest.';
    await until(() => fired.includes(digest));
    expect(fired.filter((f) => f !== digest).every((f) => f === fired[0])).toBe(true);
    await agent.stop();
  });
});
