/**
 * Replay: the chat as it stood after the first `position` events of a
 * finished session. Folding from the start each time keeps it exact; a
 * checkpoint every CHECKPOINT events keeps scrubbing a long session cheap.
 */
import type { AgentEvent } from '../../engine/events.js';
import { emptyChat, reduceChat, type ChatState } from './chat.js';

export const CHECKPOINT = 500;

export interface Replay {
  events: readonly AgentEvent[];
  /** checkpoints[i] is the chat after i * CHECKPOINT events. */
  checkpoints: ChatState[];
}

export function prepareReplay(events: readonly AgentEvent[]): Replay {
  const checkpoints: ChatState[] = [emptyChat];
  let state = emptyChat;
  events.forEach((event, i) => {
    state = reduceChat(state, event);
    if ((i + 1) % CHECKPOINT === 0) checkpoints.push(state);
  });
  return { events, checkpoints };
}

export function chatAt(replay: Replay, position: number): ChatState {
  const at = Math.max(0, Math.min(position, replay.events.length));
  const index = Math.floor(at / CHECKPOINT);
  let state = replay.checkpoints[index] ?? emptyChat;
  for (let i = index * CHECKPOINT; i < at; i++) state = reduceChat(state, replay.events[i] as AgentEvent);
  return state;
}

/** The position just after the event with seq `seq` (a search hit's event), or the end. */
export function positionOf(replay: Replay, seq: number): number {
  const i = replay.events.findIndex((e) => e.seq >= seq);
  return i < 0 ? replay.events.length : i + 1;
}
