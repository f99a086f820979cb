/** A gated tool call waits for an `approval` interaction that the client answers over HTTP: allowed runs it, denied does not. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/until.js';
import { api, startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    script: [
      { match: 'allow', toolCalls: [{ name: 'write', args: { path: 'allowed.txt', content: 'yes' } }] },
      { match: 'allow', text: 'wrote it' },
      { match: 'deny', toolCalls: [{ name: 'write', args: { path: 'denied.txt', content: 'no' } }] },
      { match: 'deny', text: 'did not write' },
    ],
  });
  mkdirSync(join(h.workspace, 'creatures', 'w'), { recursive: true });
  writeFileSync(join(h.workspace, 'creatures', 'w', 'config.yaml'), 'name: w\nsystem_prompt: You write files.\ntools: [write]\n');
});
afterAll(async () => h?.close());

async function pendingApproval(id: string) {
  return until(async () => (await api(h, 'GET', `/api/sessions/${id}`)).json.pending.find((p: { kind: string }) => p.kind === 'approval'), 'an approval request');
}

async function turnEnd(id: string) {
  return until(async () => (await api(h, 'GET', `/api/sessions/${id}/events?since=0`)).json.events.find((e: { type: string }) => e.type === 'turn.end'), 'turn.end');
}

describe('approvals over HTTP', () => {
  it('runs the tool once the client allows it', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: 'creatures/w' });
    await api(h, 'POST', `/api/sessions/${s.id}/input`, { text: 'allow: write a file' });
    const request = await pendingApproval(s.id);
    expect(request.payload).toMatchObject({ tool: 'write' });
    expect(existsSync(join(h.workspace, 'allowed.txt'))).toBe(false);
    expect((await api(h, 'POST', `/api/sessions/${s.id}/interactions/${request.id}`, { reply: 'once' })).status).toBe(200);
    await turnEnd(s.id);
    expect(readFileSync(join(h.workspace, 'allowed.txt'), 'utf8')).toBe('yes');
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });

  it('does not run it when the client denies it', async () => {
    const { json: s } = await api(h, 'POST', '/api/sessions', { creature: 'creatures/w' });
    await api(h, 'POST', `/api/sessions/${s.id}/input`, { text: 'deny: write a file' });
    const request = await pendingApproval(s.id);
    await api(h, 'POST', `/api/sessions/${s.id}/interactions/${request.id}`, { reply: 'deny' });
    await turnEnd(s.id);
    expect(existsSync(join(h.workspace, 'denied.txt'))).toBe(false);
    await api(h, 'DELETE', `/api/sessions/${s.id}`);
  });
});
