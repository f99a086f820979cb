/**
 * A team killed with SIGKILL mid-turn resumes from its session file: every
 * finished turn is there, the lock of the dead process is taken over, and
 * the members continue their conversations.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { contentText } from '../../../source/engine/llm/messages.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { bundleChild, REPO_NODE_MODULES } from '../../helpers/bundle-child.js';
import { RECIPE, requestsOf, teamModel } from './team-model.js';

let child = '';

beforeAll(async () => {
  child = await bundleChild(join(import.meta.dirname, 'fixtures', 'team-kill-child.ts'));
}, 60_000);

/** Run the child until it is mid-turn, kill it with SIGKILL, and return its session file. */
function runAndKill(recipe: string, pwd: string, sessions: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, recipe, pwd, sessions], { env: { ...process.env, NODE_PATH: REPO_NODE_MODULES }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let ready: string | undefined;
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const line = /^ready (.*)$/m.exec(stdout);
      if (line && !ready) {
        ready = line[1] as string;
        proc.kill('SIGKILL');
      }
    });
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      if (signal !== 'SIGKILL' || !ready) return reject(new Error(`the child ended with ${code ?? signal} before it was killed: ${stderr}`));
      resolve(ready);
    });
  });
}

describe('a terrarium killed mid-turn', () => {
  it('resumes with every finished turn, and its members continue', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kt-team-kill-'));
    const recipe = join(root, 'crew');
    mkdirSync(recipe);
    writeFileSync(join(recipe, 'terrarium.yaml'), RECIPE);
    const path = await runAndKill(recipe, root, join(root, 'sessions'));
    expect(path).toMatch(/crew-[0-9a-f]{8}\.kohakutr$/);

    const llm = teamModel();
    const team = await Terrarium.resume(path, { llm, build: { catalog: new ToolCatalog(), projectInstructions: false } });
    try {
      const editor = team.getCreature('editor')!;
      expect(editor.agent.messages.slice(1).map((m) => contentText(m.content))).toEqual([
        '[output-wire from writer] writer: got remember the word apple',
        'editor: got [output-wire from writer] writer: got remember the word apple',
      ]);
      await team.getCreature('writer')!.run('which word?');
      const texts = requestsOf(llm, 'writer')[0]?.messages.map((m) => contentText(m.content)) ?? [];
      expect(texts.slice(1, 3)).toEqual(['remember the word apple', 'writer: got remember the word apple']);
      expect(texts.at(-1)).toBe('which word?');
    } finally {
      await team.shutdown();
    }
  }, 60_000);
});
