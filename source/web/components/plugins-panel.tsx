/**
 * A chat's plugins, folded away until opened: the ones the creature loaded
 * and the catalog ones it has not, each with a switch. Enabling a catalog
 * plugin loads it; the server answers with the plugin as it now is.
 */
import { useState } from 'react';
import { api, type Plugin } from '../api.js';

export function PluginsPanel({ sessionId }: { sessionId: string }) {
  const [plugins, setPlugins] = useState<Plugin[] | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () => api.plugins(sessionId).then((r) => setPlugins(r.plugins), (err: Error) => setError(err.message));
  const toggle = (plugin: Plugin) => {
    setBusy(plugin.name);
    setError(null);
    api.setPlugin(sessionId, plugin.name, !plugin.enabled).then(
      (now) => {
        setPlugins((list) => list?.map((p) => (p.name === now.name ? now : p)) ?? null);
        setBusy(null);
      },
      (err: Error) => {
        setError(err.message);
        setBusy(null);
      },
    );
  };

  return (
    <details className="plugins" onToggle={(e) => (e.currentTarget.open && plugins === null ? void load() : undefined)}>
      <summary>Plugins{plugins ? ` (${plugins.filter((p) => p.enabled).length} on)` : ''}</summary>
      {error && (
        <p className="info tone-error" role="alert">
          {error}
        </p>
      )}
      {plugins?.length === 0 && <p className="muted">No plugins.</p>}
      <ul className="plugin-list">
        {plugins?.map((p) => (
          <li key={p.name}>
            <label>
              <input type="checkbox" checked={p.enabled} disabled={busy === p.name} onChange={() => toggle(p)} /> <b>{p.name}</b>
              {!p.loaded && <span className="muted"> · not loaded</span>}
            </label>
            {p.description && <div className="muted small-print">{p.description}</div>}
          </li>
        ))}
      </ul>
    </details>
  );
}
