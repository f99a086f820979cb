/** The README's recipe, read from README.md itself: it builds the team it describes. */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

function readmeRecipe(): string {
  const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
  const block = /```yaml\n(# my-team\/terrarium\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('the recipe example is missing from README.md');
  return block;
}

describe('the README recipe', () => {
  it('builds: root hears the channels but not the tasks queue, coder is wired to reviewer and pings root', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'kt-readme-team-')), 'my-team');
    mkdirSync(join(folder, 'prompts'), { recursive: true });
    writeFileSync(join(folder, 'terrarium.yaml'), readmeRecipe());
    writeFileSync(join(folder, 'prompts', 'reviewer.md'), 'Review carefully.');
    await using team = await Terrarium.fromRecipe(folder, { pwd: folder, llm: new ScriptedLLM([]), build: { projectInstructions: false } });
    const t = team.topology;
    expect(team.name).toBe('review_team');
    expect(team.listCreatures().map((m) => [m.name, m.privileged])).toEqual([['root', true], ['coder', false], ['reviewer', false]]);
    expect(t.channel('tasks')).toMatchObject({ type: 'queue', description: 'work items, one coder each' });
    expect(t.channel('chat')?.description).toBe('talk between coder and reviewer');
    // Everything but the tasks queue the coder works from, members' direct channels included.
    expect(t.listensTo('root').sort()).toEqual(['chat', 'coder', 'feedback', 'report_to_root', 'results', 'reviewer', 'root']);
    expect(t.wiresFrom('coder').map((w) => [w.to, w.withContent])).toEqual([['reviewer', true], ['root', false]]);
    expect(t.sendsTo('coder').sort()).toEqual(['chat', 'report_to_root']);
  });
});
