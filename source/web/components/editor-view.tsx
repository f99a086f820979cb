/**
 * The creature / recipe editor: load a creature's config by reference (or
 * start blank), edit its YAML, see the server's validation as you type
 * (problems with their line), and save it to a file in the workspace.
 */
import { useEffect, useState } from 'react';
import { api, type Validation } from '../api.js';

/** Validation waits this long after the last keystroke (one request per pause, not per key). */
const VALIDATE_AFTER_MS = 400;

export function EditorView() {
  const [kind, setKind] = useState<'creature' | 'recipe'>('creature');
  const [ref, setRef] = useState('');
  const [yaml, setYaml] = useState('');
  const [path, setPath] = useState('');
  const [validation, setValidation] = useState<Validation | null>(null);
  const [message, setMessage] = useState<{ tone: 'info' | 'error'; text: string } | null>(null);
  const fail = (err: Error) => setMessage({ tone: 'error', text: err.message });

  useEffect(() => {
    if (!yaml.trim()) return setValidation(null);
    let current = true;
    const timer = setTimeout(() => {
      api.validate(kind, yaml).then((v) => current && setValidation(v), fail);
    }, VALIDATE_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [kind, yaml]);

  const load = (e: React.FormEvent) => {
    e.preventDefault();
    if (!ref.trim()) return;
    api.creatureConfig(ref.trim()).then((config) => {
      setKind('creature');
      setYaml(config.yaml ?? '');
      setPath(config.configFile ?? `creatures/${config.name}/config.yaml`);
      setMessage({ tone: 'info', text: config.yaml ? `Loaded ${config.ref}.` : `${config.ref} has no config file to edit (layers: ${config.layers.join(', ')}).` });
    }, fail);
  };
  const save = (e: React.FormEvent) => {
    e.preventDefault();
    api.saveFile(kind, yaml, path).then((saved) => {
      setValidation(saved.validation);
      setMessage({ tone: 'info', text: `Saved ${saved.path}.` });
    }, fail);
  };

  return (
    <section className="editor">
      <form className="row" onSubmit={load}>
        <input aria-label="Creature to load" placeholder="@kt-biome/creatures/swe" value={ref} onChange={(e) => setRef(e.target.value)} />
        <button type="submit">Load</button>
      </form>
      <div className="row">
        <select aria-label="Kind" value={kind} onChange={(e) => setKind(e.target.value as 'creature' | 'recipe')}>
          <option value="creature">creature</option>
          <option value="recipe">terrarium recipe</option>
        </select>
        {validation && <span className={`badge ${validation.valid ? 'state-ok' : 'state-error'}`}>{validation.valid ? 'valid' : `${validation.errors.length} problem(s)`}</span>}
      </div>
      <textarea className="yaml" aria-label="YAML" spellCheck={false} rows={18} value={yaml} onChange={(e) => setYaml(e.target.value)} />
      {validation && (validation.errors.length > 0 || validation.warnings.length > 0) && (
        <ul className="problems">
          {validation.errors.map((p, i) => (
            <li key={`e${i}`} className="tone-error">
              {p.line ? `line ${p.line}: ` : ''}
              {p.key ? <code>{p.key}</code> : null} {p.message}
            </li>
          ))}
          {validation.warnings.map((p, i) => (
            <li key={`w${i}`} className="tone-warning">
              {p.line ? `line ${p.line}: ` : ''}
              {p.message}
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={save}>
        <input aria-label="Save to" placeholder="creatures/mine/config.yaml" value={path} onChange={(e) => setPath(e.target.value)} />
        <button className="primary" type="submit" disabled={!path.trim() || !yaml.trim()}>
          Save
        </button>
      </form>
      {message && <p className={`info tone-${message.tone}`}>{message.text}</p>}
    </section>
  );
}
