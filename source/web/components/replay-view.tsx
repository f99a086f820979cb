/**
 * A finished session, scrubbed: a slider over its events, the chat as it
 * stood at that point, and the event under the cursor.
 */
import { useEffect, useMemo, useState } from 'react';
import type { AgentEvent } from '../../engine/events.js';
import { api } from '../api.js';
import { chatAt, positionOf, prepareReplay } from '../state/replay.js';
import { ChatItems } from './chat-items.js';

export function ReplayView({ name, at }: { name: string; at?: number }) {
  const [events, setEvents] = useState<AgentEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [position, setPosition] = useState(0);
  const replay = useMemo(() => (events ? prepareReplay(events) : null), [events]);

  useEffect(() => {
    api.savedEvents(name).then(
      (page) => setEvents(page.events),
      (err: Error) => setError(err.message),
    );
  }, [name]);
  useEffect(() => {
    if (replay) setPosition(at ? positionOf(replay, at) : replay.events.length);
  }, [replay, at]);

  if (error) return <p className="info tone-error" role="alert">{error}</p>;
  if (!replay) return <p className="muted">Loading {name}…</p>;
  const chat = chatAt(replay, position);
  const current = replay.events[position - 1];
  return (
    <section className="replay">
      <header className="chat-head">
        <h2>{name}</h2>
        <span className="muted">
          event {position} of {replay.events.length}
        </span>
      </header>
      <div className="scrubber">
        <button aria-label="Previous event" onClick={() => setPosition((p) => Math.max(0, p - 1))}>
          ◀
        </button>
        <input aria-label="Position" type="range" min={0} max={replay.events.length} value={position} onChange={(e) => setPosition(Number(e.target.value))} />
        <button aria-label="Next event" onClick={() => setPosition((p) => Math.min(replay.events.length, p + 1))}>
          ▶
        </button>
      </div>
      {current && (
        <p className="muted event-at">
          {new Date(current.ts).toLocaleTimeString()} · {current.agentPath.join(' › ')} · <code>{current.type}</code>
        </p>
      )}
      {Object.values(chat.creatures).map((creature) => (
        <div key={creature.creatureId}>
          {Object.keys(chat.creatures).length > 1 && <h3>{creature.name}</h3>}
          <ChatItems items={creature.items} />
        </div>
      ))}
    </section>
  );
}
