/**
 * Images pasted into a session are kept once, in `<name>.artifacts/` beside
 * the file; the log holds a reference, and every reader gets the image back.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Agent } from '../../../source/engine/creature/agent.js';
import type { ContentPart } from '../../../source/engine/llm/messages.js';
import { Artifacts, artifactsDir } from '../../../source/engine/session/artifacts.js';
import { forkSession } from '../../../source/engine/session/fork.js';
import { SessionReader } from '../../../source/engine/session/reader.js';
import { SessionStore } from '../../../source/engine/session/store.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

const dir = () => mkdtempSync(join(tmpdir(), 'kt-artifacts-'));
const png = `data:image/png;base64,${Buffer.alloc(6000, 7).toString('base64')}`;
const withImage: ContentPart[] = [
  { type: 'text', text: 'What is in this picture?' },
  { type: 'image', url: png },
];

describe('session artifacts', () => {
  it('moves a pasted image out of the log, stores it once, and gives it back on replay, resume and fork', async () => {
    const folder = dir();
    const path = join(folder, 'pic.kohakutr');
    const build = (text: string) =>
      Agent.build({ name: 'viewer' }, { llm: new ScriptedLLM([{ text }]), catalog: new ToolCatalog(), pwd: folder, session: path });
    const agent = await build('A grey square.');
    await agent.run(withImage);
    await agent.stop();

    const files = readdirSync(artifactsDir(path));
    expect(files).toEqual([expect.stringMatching(/^[0-9a-f]{24}\.png$/)]);
    const store = SessionStore.open(path, { readonly: true });
    const raw = store.database.prepare("SELECT payload FROM events WHERE type = 'turn.start'").get() as { payload: string };
    const snapshot = store.database.prepare('SELECT messages FROM snapshots').get() as { messages: string };
    store.close();
    expect(raw.payload).not.toContain('base64');
    expect(raw.payload).toContain(`kt-artifact:${files[0]};image/png`);
    expect(snapshot.messages).not.toContain('base64');

    using reader = new SessionReader(path);
    expect(reader.conversation()[1]).toEqual({ role: 'user', content: withImage });

    const again = await build('Still grey.');
    expect(again.messages[1]).toEqual({ role: 'user', content: withImage });
    await again.run(withImage);
    await again.stop();
    expect(readdirSync(artifactsDir(path))).toEqual(files);

    const copy = join(folder, 'copy.kohakutr');
    forkSession(path, copy);
    rmSync(artifactsDir(path), { recursive: true });
    using forked = new SessionReader(copy);
    expect(forked.conversation()[1]).toEqual({ role: 'user', content: withImage });
    // With the folder gone, the original still opens; the image becomes its reference.
    using orphan = new SessionReader(path);
    expect(JSON.stringify(orphan.conversation()[1])).toContain('kt-artifact:');
  });

  it('small inline data stays in the log; names that leave the folder are refused', () => {
    const artifacts = new Artifacts(join(dir(), 'x.artifacts'));
    const small = { url: 'data:image/png;base64,AAAA' };
    expect(artifacts.pack(small)).toBe(JSON.stringify(small));
    expect(existsSync(artifacts.dir)).toBe(false);
    for (const name of ['../escape.txt', '/etc/passwd', 'a/b.txt', '']) expect(() => artifacts.write(name, 'x')).toThrow(/must be a plain file name/);
    expect(artifacts.write('report.txt', 'ok')).toBe(join(artifacts.dir, 'report.txt'));
  });

  it('moves a data URL only when it is longer than the limit, wherever it sits in the payload', () => {
    const artifacts = new Artifacts(join(dir(), 'y.artifacts'));
    const head = 'data:image/png;base64,';
    const url = (length: number) => head + 'A'.repeat(length - head.length);
    // A long payload whose data URL is at the limit: left as it is.
    const atLimit = { note: 'x'.repeat(5000), parts: [{ url: url(2048) }] };
    expect(artifacts.pack(atLimit)).toBe(JSON.stringify(atLimit));
    const over = { note: 'short', parts: [{ url: url(2050) }] };
    const packed = artifacts.pack(over);
    expect(packed).toMatch(/"kt-artifact:[0-9a-f]{24}\.png;image\/png"/);
    expect(artifacts.unpack(packed)).toEqual(over);
  });
});
