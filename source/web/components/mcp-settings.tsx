/**
 * Settings → MCP servers: the global catalog (the file `kt config mcp`
 * edits). Env and header values arrive masked; the page can add, replace,
 * delete and test an entry (a test starts the server, lists its tools and
 * shows what came back, or why it failed).
 */
import { useEffect, useState } from 'react';
import { api, type McpServer, type McpTest } from '../api.js';

type TestState = McpTest | 'testing';

export function McpSettings() {
  const [servers, setServers] = useState<McpServer[] | null>(null);
  const [file, setFile] = useState('');
  const [tests, setTests] = useState<Record<string, TestState>>({});
  const [error, setError] = useState<string | null>(null);
  const fail = (err: Error) => setError(err.message);
  const refresh = () =>
    api.mcpServers().then((r) => {
      setServers(r.servers);
      setFile(r.file);
    }, fail);
  useEffect(() => void refresh(), []);

  const test = (name: string) => {
    setTests((t) => ({ ...t, [name]: 'testing' }));
    api.testMcpServer(name).then(
      (result) => setTests((t) => ({ ...t, [name]: result })),
      (err: Error) => setTests((t) => ({ ...t, [name]: { name, ok: false, tools: [], error: err.message } })),
    );
  };
  const remove = (name: string) =>
    api.deleteMcpServer(name).then(() => {
      setTests(({ [name]: _gone, ...rest }) => rest);
      return refresh();
    }, fail);

  return (
    <section className="mcp" aria-label="MCP servers">
      <h2>MCP servers</h2>
      {file && <p className="muted small-print">{file}</p>}
      {error && (
        <p className="info tone-error" role="alert">
          {error}
        </p>
      )}
      {servers?.length === 0 && <p className="muted">No MCP servers yet.</p>}
      <ul className="cards">
        {servers?.map((s) => (
          <li key={s.name} className="traffic-row mcp-server">
            <b>{s.name}</b> <span className="badge">{s.transport}</span>
            <div className="hit-text">
              <code>{s.transport === 'stdio' ? [s.command, ...(s.args ?? [])].join(' ') : s.url}</code>
            </div>
            {s.env && Object.keys(s.env).length > 0 && (
              <div className="muted env">
                {Object.entries(s.env).map(([k, v]) => (
                  <code key={k}>
                    {k}={v}{' '}
                  </code>
                ))}
              </div>
            )}
            <div className="actions">
              <button type="button" onClick={() => test(s.name)} disabled={tests[s.name] === 'testing'}>
                Test
              </button>
              <button type="button" className="danger" onClick={() => void remove(s.name)}>
                Delete
              </button>
            </div>
            <TestResult state={tests[s.name]} />
          </li>
        ))}
      </ul>
      <AddMcpServer
        onAdded={() => {
          setError(null);
          void refresh();
        }}
        onError={fail}
      />
    </section>
  );
}

function TestResult({ state }: { state: TestState | undefined }) {
  if (!state) return null;
  if (state === 'testing') return <p className="info muted">Testing…</p>;
  if (!state.ok)
    return (
      <p className="info tone-error test-result" role="status">
        Failed: {state.error}
      </p>
    );
  return (
    <p className="info test-result" role="status">
      <span className="state-ok">Connected</span> · {state.tools.length} tools{state.tools.length ? `: ${state.tools.join(', ')}` : ''}
    </p>
  );
}

/** `KEY=value` lines into a record; a line without `=` is refused, naming it. */
export function parseEnvLines(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`env line ${i + 1} is not KEY=value: ${line}`);
    env[line.slice(0, at).trim()] = line.slice(at + 1);
  }
  return env;
}

function AddMcpServer({ onAdded, onError }: { onAdded: () => void; onError: (err: Error) => void }) {
  const [name, setName] = useState('');
  const [transport, setTransport] = useState<McpServer['transport']>('stdio');
  const [command, setCommand] = useState('');
  const [args, setArgs] = useState('');
  const [url, setUrl] = useState('');
  const [env, setEnv] = useState('');

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    let server: McpServer;
    try {
      const values = parseEnvLines(env);
      const argv = args
        .split('\n')
        .map((a) => a.trim())
        .filter(Boolean);
      server = {
        name: name.trim(),
        transport,
        ...(transport === 'stdio' ? { command: command.trim(), ...(argv.length ? { args: argv } : {}) } : { url: url.trim() }),
        ...(Object.keys(values).length ? { env: values } : {}),
      };
    } catch (err) {
      return onError(err as Error);
    }
    api.putMcpServer(server).then(() => {
      setName('');
      setCommand('');
      setArgs('');
      setUrl('');
      setEnv('');
      onAdded();
    }, onError);
  };

  return (
    <form className="stack mcp-add" onSubmit={submit} aria-label="Add MCP server">
      <h3>Add or replace</h3>
      <label>
        Name
        <input required pattern="[A-Za-z0-9_\-]+" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Transport
        <select value={transport} onChange={(e) => setTransport(e.target.value as McpServer['transport'])}>
          <option value="stdio">stdio</option>
          <option value="streamable_http">streamable_http</option>
          <option value="sse">sse</option>
        </select>
      </label>
      {transport === 'stdio' ? (
        <>
          <label>
            Command
            <input required value={command} onChange={(e) => setCommand(e.target.value)} />
          </label>
          <label>
            Arguments (one a line)
            <textarea rows={2} value={args} onChange={(e) => setArgs(e.target.value)} />
          </label>
        </>
      ) : (
        <label>
          URL
          <input required type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
      )}
      <label>
        Environment (KEY=value, one a line)
        <textarea rows={2} autoComplete="off" value={env} onChange={(e) => setEnv(e.target.value)} />
      </label>
      <button className="primary" type="submit">
        Save server
      </button>
    </form>
  );
}
