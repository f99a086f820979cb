import { describe, expect, it, onTestFinished } from 'vitest';
import type { AgentEvent } from '../../../source/index.js';
import { findSafeSplitPoint } from '../../../source/ui/markdown/index.js';
import { ViewStore } from '../../../source/ui/state/store.js';
import { initialView } from '../../../source/ui/state/view.js';

const delta = { type: 'text.delta', step: 0, text: 'words', seq: 1, ts: 0, sessionId: 's', creatureId: 'c', turnId: 't', agentPath: ['c'] } as unknown as AgentEvent;

describe('ViewStore', () => {
  it('flushPending tells subscribers only when a frame is pending', () => {
    // A frame a minute away: nothing reaches subscribers unless asked.
    const store = new ViewStore(initialView(), { safeSplit: findSafeSplitPoint, maxLiveLines: 20, frameMs: 60_000 });
    onTestFinished(() => store.flush());
    let told = 0;
    store.subscribe(() => told++);
    store.flushPending();
    expect(told).toBe(0);
    store.dispatch(delta);
    expect(told).toBe(0);
    store.flushPending();
    expect(told).toBe(1);
    expect(store.getState().streaming).toBe('words');
    // The pending frame was drawn: nothing is left to tell.
    store.flushPending();
    expect(told).toBe(1);
  });
});
