/** Graceful shutdown finishes a running turn within the grace period, or stops it and keeps the session resumable; the daemon log rotates. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionReader } from '../../source/index.js';
import { RotatingLog } from '../../source/server/host/rotating-log.js';
import { tempTree } from '../helpers/temp-tree.js';
import { api, CREATURE, startHarness } from './harness.js';

function savedPath(h: Awaited<ReturnType<typeof startHarness>>, name: string) {
  return join(h.server.studio.sessionDir(), `${name}.kohakutr`);
}

describe('graceful shutdown', () => {
  it('lets a running turn finish within the grace period', async () => {
    const h = await startHarness({ script: [{ text: 'finished properly' }] });
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const waiting = h.llm.hold();
    await api(h, 'POST', `/api/sessions/${s.id}/input`, { text: 'go' });
    await waiting;
    const closing = h.server.close(60_000);
    expect((await api(h, 'GET', '/readyz').catch(() => ({ status: 0 }))).status).not.toBe(200);
    h.llm.release();
    await closing;
    using reader = new SessionReader(savedPath(h, s.name));
    expect(reader.turns()[0]).toMatchObject({ status: 'completed', assistantText: 'finished properly' });
  });

  it('stops a turn still running after the grace period and records it, so the session resumes', async () => {
    const h = await startHarness({ script: [{ text: 'never said' }] });
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: CREATURE });
    const waiting = h.llm.hold();
    await api(h, 'POST', `/api/sessions/${s.id}/input`, { text: 'go' });
    await waiting;
    await h.server.close(0);
    h.llm.release();
    using reader = new SessionReader(savedPath(h, s.name));
    const turn = reader.turns()[0];
    expect(turn?.status).toMatch(/cancelled|interrupted/);
    // A new server over the same folder resumes it.
    const again = await startHarness({ server: { studio: { env: h.env, workspace: h.workspace, llm: h.llm, sessionDir: h.server.studio.sessionDir() } } });
    try {
      const resumed = await api(again, 'POST', `/api/saved/${s.name}/resume`, {});
      expect(resumed.status).toBe(201);
    } finally {
      await again.close();
    }
  });
});

describe('daemon log', () => {
  it('rotates past its size and keeps a bounded number of files', async () => {
    const file = join(tempTree(), 'server.log');
    const log = new RotatingLog(file, 1000, 2);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 50; i++) log.write(line);
    await new Promise<void>((resolve) => log.end(resolve));
    expect(statSync(file).size).toBeLessThanOrEqual(1000);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    expect(readFileSync(`${file}.1`, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
  });
});
