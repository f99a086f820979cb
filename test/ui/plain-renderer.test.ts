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
