/**
 * The creature's open question, answered here: an approval (once, always,
 * deny with a reason), a free-text or multiple-choice question, a
 * confirmation, a choice. The reply shapes are the ones the engine reads
 * (permgate's answer: 'once' | 'deny' | {decision,...}; ask: the text).
 */
import { useState } from 'react';
import type { Interaction } from '../state/chat.js';
import { argsSummary } from './chat-items.js';

export function InteractionDialog({ interaction, onAnswer }: { interaction: Interaction; onAnswer: (reply: unknown) => void }) {
  const [text, setText] = useState('');
  const p = interaction.payload;
  const choices = Array.isArray(p['choices']) ? p['choices'].map(String) : Array.isArray(p['options']) ? p['options'].map(String) : [];
  return (
    <div className="dialog" role="dialog" aria-modal="false" aria-labelledby={`q-${interaction.id}`}>
      {interaction.kind === 'approval' ? (
        <>
          <h3 id={`q-${interaction.id}`}>
            Allow <b>{String(p['tool'] ?? 'tool')}</b>
            {p['effect'] === 'edit' ? ' to edit' : ' to run'}?
          </h3>
          <pre className="approval-args">{argsSummary(p['args'])}</pre>
          <input aria-label="Reason for denying (optional)" placeholder="Reason for denying (optional)" value={text} onChange={(e) => setText(e.target.value)} />
          <div className="actions">
            <button className="primary" onClick={() => onAnswer('once')}>
              Approve
            </button>
            <button onClick={() => onAnswer('always')}>Always</button>
            <button className="danger" onClick={() => onAnswer(text.trim() ? { decision: 'deny', message: text.trim() } : 'deny')}>
              Deny
            </button>
          </div>
        </>
      ) : (
        <>
          <h3 id={`q-${interaction.id}`}>{String(p['question'] ?? p['message'] ?? p['prompt'] ?? 'The creature asks')}</h3>
          {interaction.kind === 'confirm' ? (
            <div className="actions">
              <button className="primary" onClick={() => onAnswer(true)}>
                Yes
              </button>
              <button onClick={() => onAnswer(false)}>No</button>
            </div>
          ) : choices.length > 0 ? (
            <div className="actions">
              {choices.map((choice) => (
                <button key={choice} onClick={() => onAnswer(choice)}>
                  {choice}
                </button>
              ))}
            </div>
          ) : (
            <form
              className="actions"
              onSubmit={(e) => {
                e.preventDefault();
                if (text.trim()) onAnswer(text);
              }}
            >
              <input aria-label="Answer" autoFocus value={text} onChange={(e) => setText(e.target.value)} />
              <button className="primary" type="submit">
                Answer
              </button>
            </form>
          )}
        </>
      )}
    </div>
  );
}
