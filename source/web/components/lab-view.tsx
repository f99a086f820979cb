/**
 * The Laboratory (`kt serve --mode lab-host`): its workers with their load
 * and labels, and the creatures placed on them with their graph, state and
 * epoch (how often the lab has placed them), so remote creatures show next
 * to local ones. Refreshed every few seconds while open.
 */
import type { LabView } from '../api.js';
import { useLab } from '../state/use-lab.js';

export function LabPage() {
  const { view, error } = useLab();
  return (
    <section className="lab">
      {error && (
        <p className="info tone-error" role="alert">
          {error}
        </p>
      )}
      {view ? <LabTables view={view} /> : !error && <p className="muted">Loading…</p>}
    </section>
  );
}

/** The lab's two tables, drawn from one answer of `GET /api/lab`. */
export function LabTables({ view }: { view: LabView }) {
  if (view.lab === null) return <p className="muted">This server hosts no lab.</p>;
  return (
    <>
      <h2>
        Lab <span className="muted">{view.lab}</span>
      </h2>
      <h3>Workers</h3>
      {view.workers.length === 0 ? (
        <p className="muted">No worker has joined yet.</p>
      ) : (
        <table className="table" aria-label="workers">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Status</th>
              <th>Load</th>
              <th>Labels</th>
            </tr>
          </thead>
          <tbody>
            {view.workers.map((w) => (
              <tr key={w.node}>
                <td>{w.node}</td>
                <td>
                  <span className={`badge state-${w.status}`}>{w.status}</span>
                </td>
                <td>{`${w.load}/${w.capacity}`}</td>
                <td>{labels(w.labels)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Creatures</h3>
      {view.creatures.length === 0 ? (
        <p className="muted">No creature placed.</p>
      ) : (
        <table className="table" aria-label="lab creatures">
          <thead>
            <tr>
              <th>Creature</th>
              <th>Worker</th>
              <th>Graph</th>
              <th>State</th>
              <th>Epoch</th>
            </tr>
          </thead>
          <tbody>
            {view.creatures.map((c) => (
              <tr key={`${c.graph}/${c.name}`}>
                <td>{c.name}</td>
                <td>{c.node}</td>
                {/* No replay link yet: GET /api/saved/{name} does not look in <sessions>/lab/ where graph files live. */}
                <td>{c.graph}</td>
                <td>
                  <span className={`badge state-${c.status}`}>{c.status}</span>
                </td>
                <td>{c.epoch}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function labels(set: Record<string, string>): string {
  const pairs = Object.entries(set).map(([k, v]) => `${k}=${v}`);
  return pairs.length ? pairs.join(', ') : '—';
}
