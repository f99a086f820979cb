/**
 * Plain mode's JSON output: the result line is the last one of a run (events
 * that follow a turn's end come before it) and names the session file.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../source/engine/events.js';
import type { TurnResult } from '../../source/engine/creature/turn-result.js';
import { PlainRenderer } from '../../source/ui/plain/renderer.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, lines: () => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const event = (type: string, extra: Record<string, unknown> = {}) => ({ type, seq: 0, ts: 0, creatureId: 'c', agentPath: ['swe'], ...extra }) as unknown as AgentEvent;
const result = (text: string) => ({ status: 'completed', text, sessionId: 's1', steps: 1 }) as unknown as TurnResult;
const session = { name: 'swe_20260101-120000_abcd', path: '/tmp/s/swe_20260101-120000_abcd.kohakutr' };

describe('PlainRenderer stream-json', () => {
  it('holds each result until the next turn starts or the run ends, so it is the last line', () => {
    const out = capture();
    const renderer = new PlainRenderer({ stdout: out.stream, stderr: new PassThrough(), format: 'stream-json', verbose: false, session });
    renderer.handle(event('turn.start'));
    renderer.handle(event('turn.end'));
    renderer.endTurn(result('first'));
    renderer.handle(event('turn.start'));
    renderer.handle(event('turn.end'));
    renderer.endTurn(result('second'));
    renderer.handle(event('creature.stop'));
    renderer.finish();
    expect(out.lines().map((l) => (l.type === 'result' ? `result:${l.text}` : l.type))).toEqual([
      'turn.start',
      'turn.end',
      'result:first',
      'turn.start',
      'turn.end',
      'creature.stop',
      'result:second',
    ]);
    expect(out.lines().at(-1)).toMatchObject({ type: 'result', sessionId: 's1', sessionName: session.name, sessionPath: session.path });
  });

  it('json names the session too; without a session only the id is there', () => {
    const out = capture();
    new PlainRenderer({ stdout: out.stream, stderr: new PassThrough(), format: 'json', verbose: false, session }).endTurn(result('a'));
    expect(out.lines()[0]).toMatchObject({ text: 'a', sessionName: session.name, sessionPath: session.path });
    const bare = capture();
    new PlainRenderer({ stdout: bare.stream, stderr: new PassThrough(), format: 'json', verbose: false }).endTurn(result('b'));
    expect(bare.lines()[0]).not.toHaveProperty('sessionPath');
  });
});

describe('PlainRenderer and triggers', () => {
  const text = () => {
    const stream = new PassThrough();
    let written = '';
    stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
    return { stream, text: () => written };
  };

  it('text: a trigger turn and missed runs are named on stderr; the answer alone goes to stdout', () => {
    const out = text();
    const err = text();
    const renderer = new PlainRenderer({ stdout: out.stream, stderr: err.stream, format: 'text', verbose: false });
    renderer.handle(event('trigger.added', { triggerId: 'timer-1', kind: 'timer', name: 'standup', origin: 'config', description: 'daily', resumable: false }));
    renderer.handle(event('trigger.missed', { triggerId: 'timer-1', kind: 'timer', name: 'standup', count: 3, since: 0 }));
    renderer.handle(event('turn.start', { source: 'trigger', origin: { kind: 'timer', name: 'standup', triggerId: 'timer-1' }, input: 'Post the standup\nwith details' }));
    renderer.handle(event('text.delta', { text: 'Posted.' }));
    renderer.handle(event('turn.start', { source: 'user', input: 'typed' }));
    renderer.endTurn(result('Posted.'));
    expect(out.text()).toBe('Posted.\n');
    expect(err.text()).toBe("kt: ⏰ missed 3 runs of 'standup' while kt was not running\n⏰ timer 'standup' Post the standup\n");
  });

  it('stream-json: trigger events are lines of their own', () => {
    const out = capture();
    const renderer = new PlainRenderer({ stdout: out.stream, stderr: new PassThrough(), format: 'stream-json', verbose: false });
    renderer.handle(event('trigger.fired', { triggerId: 'timer-1', kind: 'timer', name: 'standup', content: 'go', queued: false }));
    renderer.handle(event('turn.start', { source: 'trigger', origin: { kind: 'timer', name: 'standup', triggerId: 'timer-1' }, input: 'go' }));
    expect(out.lines()).toMatchObject([{ type: 'trigger.fired', name: 'standup' }, { type: 'turn.start', origin: { kind: 'timer' } }]);
  });
});
