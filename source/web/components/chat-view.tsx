/**
 * A live session: one tab per creature in it (a terrarium has several), the
 * streamed chat, the open question, and the prompt box.
 */
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../state/use-session.js';
import { ChatItems } from './chat-items.js';
import { InteractionDialog } from './interaction-dialog.js';
import { PluginsPanel } from './plugins-panel.js';

export function ChatView({ sessionId }: { sessionId: string }) {
  const { chat, status, send } = useSession(sessionId);
  const [focus, setFocus] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const end = useRef<HTMLDivElement>(null);
  const ids = Object.keys(chat.creatures);
  const current = chat.creatures[focus ?? ids[0] ?? ''];
  const question = chat.interactions[0];

  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [current?.items]);

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    send({ type: 'input', text }).catch((err: Error) => setError(err.message));
  };

  return (
    <section className="chat">
      <header className="chat-head">
        <h2>{current?.name ?? sessionId}</h2>
        {current?.model && <span className="muted">{current.model}</span>}
        <span className={`badge socket-${status}`} aria-label="connection">
          {status}
        </span>
        <a href={`#/graph/${encodeURIComponent(sessionId)}`}>graph</a>
      </header>
      <PluginsPanel sessionId={sessionId} />
      {ids.length > 1 && (
        <nav className="tabs" aria-label="creatures">
          {ids.map((id) => (
            <button key={id} aria-pressed={current?.creatureId === id} onClick={() => setFocus(id)}>
              {chat.creatures[id]?.name ?? id}
              {chat.creatures[id]?.turnActive ? ' •' : ''}
            </button>
          ))}
        </nav>
      )}
      <div className="chat-scroll" aria-live="polite">
        {current ? <ChatItems items={current.items} /> : <p className="muted">Waiting for the creature…</p>}
        <div ref={end} />
      </div>
      {question && (
        <InteractionDialog
          key={question.id}
          interaction={question}
          onAnswer={(reply) => send({ type: 'answer', id: question.id, reply }).catch((err: Error) => setError(err.message))}
        />
      )}
      {error && (
        <p className="info tone-error" role="alert">
          {error}
        </p>
      )}
      <form className="composer" onSubmit={submit}>
        <textarea
          aria-label="Message"
          placeholder="Message the creature (Enter sends, Shift+Enter for a new line)"
          value={draft}
          rows={2}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) submit(e);
          }}
        />
        <div className="composer-actions">
          <button className="primary" type="submit">
            Send
          </button>
          {current?.turnActive && (
            <button type="button" onClick={() => send({ type: 'interrupt' }).catch((err: Error) => setError(err.message))}>
              Stop
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
