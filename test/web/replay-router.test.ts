import { describe, expect, it } from 'vitest';
import type { AgentEvent, EventDraft } from '../../source/engine/events.js';
import { emptyChat, reduceChat } from '../../source/web/state/chat.js';
import { CHECKPOINT, chatAt, positionOf, prepareReplay } from '../../source/web/state/replay.js';
import { parseRoute } from '../../source/web/router.js';

let seq = 0;
const ev = (draft: EventDraft): AgentEvent => ({ seq: ++seq, ts: 0, sessionId: 's', creatureId: 'c', turnId: null, agentPath: ['c'], ...draft }) as AgentEvent;

describe('replay', () => {
  it('shows the chat as it stood at any position, across checkpoints', () => {
    seq = 0;
    const events = [ev({ type: 'turn.start', turnIndex: 1, branch: 1, input: 'q', source: 'user' })];
    for (let i = 0; i < CHECKPOINT * 2 + 10; i++) events.push(ev({ type: 'text.delta', step: 1, text: `${i % 10}` }));
    const replay = prepareReplay(events);
    expect(replay.checkpoints).toHaveLength(3);
    for (const position of [0, 1, 2, CHECKPOINT, CHECKPOINT + 1, events.length - 1, events.length]) {
      expect(chatAt(replay, position), `at ${position}`).toEqual(events.slice(0, position).reduce(reduceChat, emptyChat));
    }
    expect(chatAt(replay, 1e9)).toEqual(chatAt(replay, events.length));
    expect(positionOf(replay, 5)).toBe(5);
    expect(positionOf(replay, 1e9)).toBe(events.length);
  });
});

describe('routes', () => {
  it('reads the view from the hash', () => {
    expect(parseRoute('')).toEqual({ view: 'sessions' });
    expect(parseRoute('#/chat/abc%2Fd')).toEqual({ view: 'chat', id: 'abc/d' });
    expect(parseRoute('#/graph/x')).toEqual({ view: 'graph', id: 'x' });
    expect(parseRoute('#/replay/my-session?at=42')).toEqual({ view: 'replay', name: 'my-session', at: 42 });
    expect(parseRoute('#/replay/my-session?at=zz')).toEqual({ view: 'replay', name: 'my-session' });
    expect(parseRoute('#/settings')).toEqual({ view: 'settings' });
    expect(parseRoute('#/lab')).toEqual({ view: 'lab' });
    expect(parseRoute('#/nowhere')).toEqual({ view: 'sessions' });
  });
});
