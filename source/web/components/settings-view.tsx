/**
 * Settings: the models kt knows, the providers with their API keys
 * (write-only: the page sets or removes a key, never reads one back), and
 * the MCP servers.
 */
import { useEffect, useState } from 'react';
import { api, type Model, type Provider } from '../api.js';
import { McpSettings } from './mcp-settings.js';

export function SettingsView() {
  const [models, setModels] = useState<Model[]>([]);
  const [providers, setProviders] = useState<Provider[]>([]);
  const [error, setError] = useState<string | null>(null);
  const fail = (err: Error) => setError(err.message);
  const refresh = () => api.providers().then((r) => setProviders(r.providers), fail);

  useEffect(() => {
    api.models().then((r) => setModels(r.models), fail);
    refresh();
  }, []);

  return (
    <section className="settings">
      {error && <p className="info tone-error" role="alert">{error}</p>}
      <h2>Providers</h2>
      <ul className="cards">
        {providers.map((p) => (
          <ProviderRow key={p.name} provider={p} onChange={() => refresh()} onError={fail} />
        ))}
      </ul>
      <h2>Models</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Preset</th>
            <th>Provider</th>
            <th>Model</th>
            <th>Context</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id}>
              <td>{m.id}</td>
              <td>{m.provider}</td>
              <td>{m.model}</td>
              <td>{m.maxContext?.toLocaleString() ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <McpSettings />
    </section>
  );
}

function ProviderRow({ provider, onChange, onError }: { provider: Provider; onChange: () => void; onError: (err: Error) => void }) {
  const [key, setKey] = useState('');
  return (
    <li className="traffic-row">
      <b>{provider.name}</b> <span className="muted">{provider.type}</span> <span className={`badge ${provider.hasKey ? 'state-ok' : 'state-error'}`}>{provider.hasKey ? 'key set' : 'no key'}</span>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (!key.trim()) return;
          api.setKey(provider.name, key.trim()).then(() => {
            setKey('');
            onChange();
          }, onError);
        }}
      >
        <input aria-label={`API key for ${provider.name}`} type="password" autoComplete="off" placeholder="New API key" value={key} onChange={(e) => setKey(e.target.value)} />
        <button type="submit">Save</button>
        {provider.hasKey && (
          <button type="button" className="danger" onClick={() => api.removeKey(provider.name).then(onChange, onError)}>
            Remove
          </button>
        )}
      </form>
    </li>
  );
}
