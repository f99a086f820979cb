/**
 * file_watch with real files and a FakeClock for the debounce. The fs event
 * itself is real: the test waits for the trigger to report pending changes
 * (its description counts them) before moving the clock.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../source/testing/fake-clock.js';
import { until as gate } from '../../helpers/until.js';
import { build, tempDir, until } from './harness.js';

describe('file_watch trigger', () => {
  it('batches changes under a folder within the debounce window into one fire, ignoring node_modules', async () => {
    const pwd = tempDir();
    mkdirSync(join(pwd, 'notes', 'node_modules'), { recursive: true });
    const clock = new FakeClock();
    const b = await build({ clock, pwd });
    await b.agent.addTrigger({ type: 'file_watch', paths: ['notes'], debounce_ms: 500, prompt: 'Changed:\n{files}' });
    writeFileSync(join(pwd, 'notes', 'node_modules', 'dep.js'), 'x');
    writeFileSync(join(pwd, 'notes', 'b.md'), 'b');
    writeFileSync(join(pwd, 'notes', 'a.md'), 'a');
    await gate(() => b.agent.triggers[0]!.description.endsWith('(2 changes pending)'), 'both changes seen');
    expect(b.fired()).toEqual([]);
    await clock.advance(500);
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(['Changed:\nnotes/a.md\nnotes/b.md']);
    await b.agent.stop();
  });

  it('matches globs relative to the working directory', async () => {
    const pwd = tempDir();
    mkdirSync(join(pwd, 'src', 'deep'), { recursive: true });
    const clock = new FakeClock();
    const b = await build({ clock, pwd });
    await b.agent.addTrigger({ type: 'file_watch', paths: ['src/**/*.ts'] });
    writeFileSync(join(pwd, 'src', 'deep', 'skip.txt'), 'no');
    writeFileSync(join(pwd, 'src', 'deep', 'x.ts'), 'yes');
    await gate(() => b.agent.triggers[0]!.description.includes('pending'), 'the .ts change seen');
    await clock.advance(500);
    await until(() => b.ends().length === 1);
    expect(b.fired()).toEqual(['Files changed:\nsrc/deep/x.ts']);
    await b.agent.stop();
  });

  it('a missing folder is a clear error', async () => {
    const b = await build();
    await expect(b.agent.addTrigger({ type: 'file_watch', paths: ['nowhere/*.md'] })).rejects.toThrow(/cannot watch nowhere: no such folder/);
    await b.agent.stop();
  });
});
