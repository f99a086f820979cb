/**
 * The start page: start a creature or terrarium, the live sessions, the saved
 * ones, and search across saved sessions (the server runs the same hybrid
 * search as `kt search`).
 */
import { useEffect, useState } from 'react';
import { api, type Catalog, type LiveSession, type SavedSession, type SearchResult } from '../api.js';
import { navigate } from '../router.js';

export function SessionList() {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [live, setLive] = useState<LiveSession[]>([]);
  const [saved, setSaved] = useState<SavedSession[]>([]);
  const [ref, setRef] = useState('');
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<SearchResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fail = (err: Error) => setError(err.message);

  useEffect(() => {
    api.catalog().then(setCatalog, fail);
    api.liveSessions().then((r) => setLive(r.sessions), fail);
    api.savedSessions().then((r) => setSaved(r.sessions), fail);
  }, []);

  const start = (e: React.FormEvent) => {
    e.preventDefault();
    if (!ref.trim()) return;
    api.startSession(startRequest(ref.trim(), catalog)).then((s) => navigate(`/chat/${s.id}`), fail);
  };
  const search = (e: React.FormEvent) => {
    e.preventDefault();
    if (query.trim()) api.search(query.trim()).then(setResult, fail);
  };

  return (
    <section className="sessions">
      {error && (
        <p className="info tone-error" role="alert">
          {error}
        </p>
      )}
      <form className="row" onSubmit={start}>
        <input aria-label="Creature or terrarium" list="catalog" placeholder="@kt-biome/creatures/swe" value={ref} onChange={(e) => setRef(e.target.value)} />
        <datalist id="catalog">
          {[...(catalog?.creatures ?? []), ...(catalog?.terrariums ?? [])].map((c) => (
            <option key={c.ref} value={c.ref}>
              {c.name}
            </option>
          ))}
        </datalist>
        <button className="primary" type="submit">
          Start
        </button>
      </form>

      <h2>Running</h2>
      {live.length === 0 ? (
        <p className="muted">Nothing running.</p>
      ) : (
        <ul className="cards">
          {live.map((s) => (
            <li key={s.id}>
              <a href={`#/chat/${encodeURIComponent(s.id)}`}>
                <b>{s.creature}</b> <span className={`badge state-${s.state}`}>{s.state}</span>
                {s.pending.length > 0 && <span className="badge state-error">{s.pending.length} waiting</span>}
                <div className="muted">
                  {s.model} · {s.turns} turns · {s.name}
                </div>
              </a>
            </li>
          ))}
        </ul>
      )}

      <h2>Saved</h2>
      <form className="row" role="search" onSubmit={search}>
        <input aria-label="Search sessions" type="search" placeholder="Search every saved session" value={query} onChange={(e) => setQuery(e.target.value)} />
        <button type="submit">Search</button>
      </form>
      {result && (
        <ul className="cards hits">
          {result.warnings.map((w) => (
            <li key={w} className="info tone-warning">
              {w}
            </li>
          ))}
          {result.hits.length === 0 && <li className="muted">No match in {result.searched} sessions.</li>}
          {result.hits.map((hit) => (
            <li key={`${hit.session}:${hit.eventId}`}>
              <a href={`#/replay/${encodeURIComponent(hit.session)}?at=${hit.eventId}`}>
                <b>{hit.session}</b> <span className="muted">{hit.score.toFixed(2)}</span>
                <div className="hit-text">{hit.text}</div>
              </a>
            </li>
          ))}
        </ul>
      )}
      <ul className="cards">
        {saved.map((s) => (
          <li key={s.name}>
            <a href={`#/replay/${encodeURIComponent(s.name)}`}>
              <b>{s.name}</b> <span className="muted">{s.creature}</span>
              <div className="muted">
                {new Date(s.lastActive).toLocaleString()} · {s.turns} turns{s.firstPrompt ? ` · ${s.firstPrompt}` : ''}
              </div>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A terrarium's ref starts as a recipe: the catalog says which refs are terrariums; a path naming a terrariums folder counts too. */
export function startRequest(ref: string, catalog: Catalog | null): { creature: string } | { recipe: string } {
  const terrarium = catalog?.terrariums.some((t) => t.ref === ref) || /(^|\/)terrariums\//.test(ref);
  return terrarium ? { recipe: ref } : { creature: ref };
}
