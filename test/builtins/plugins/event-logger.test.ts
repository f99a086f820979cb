import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventLoggerPlugin } from '../../../source/builtins/plugins/event-logger.js';
import type { AgentEvent } from '../../../source/engine/events.js';
import { loaded } from './harness.js';

const envelope = { ts: 1, sessionId: 's', creatureId: 'c', turnId: null, agentPath: ['alpha'] };

describe('event_logger plugin', () => {
  it('appends the chosen events as JSON lines to a private file under the working directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kt-evlog-'));
    const { chain } = await loaded([{ definition: eventLoggerPlugin, options: { path: 'log/../events.jsonl', types: ['tool.', 'warning'] } }], dir);
    const events: AgentEvent[] = [
      { ...envelope, seq: 1, type: 'tool.call', callId: 'a', name: 'read', args: {}, step: 1, background: false },
      { ...envelope, seq: 2, type: 'text.delta', step: 1, text: 'skip me' },
      { ...envelope, seq: 3, type: 'warning', message: 'careful' },
    ];
    for (const e of events) chain.event(e);
    await chain.notify('onUnload');
    chain.event({ ...envelope, seq: 4, type: 'warning', message: 'after close' });
    const path = join(dir, 'events.jsonl');
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AgentEvent);
    expect(lines.map((e) => e.seq)).toEqual([1, 3]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
