/**
 * The sign-in form, shaped by how the server checks people: a host token,
 * the admin password, or a user name and password (with a way to turn an
 * invitation code into an account). The page's URL is left alone, so after
 * signing in the person is back on the view they asked for.
 */
import { useState } from 'react';
import { api, type AuthMode, type Credentials, type Me } from '../api.js';

type Form = 'token' | 'password' | 'user' | 'invitation';

function defaultForm(mode: AuthMode): Form {
  return mode === 'users' ? 'user' : mode === 'password' ? 'password' : 'token';
}

/** Every way this server accepts, most specific first (the host token works in every mode). */
function formsFor(mode: AuthMode): Form[] {
  if (mode === 'users') return ['user', 'invitation', 'token'];
  if (mode === 'password') return ['password', 'token'];
  return ['token'];
}

const LABEL: Record<Form, string> = { token: 'Host token', password: 'Admin password', user: 'Account', invitation: 'Invitation' };

export function SignIn({ mode, onSignedIn }: { mode: AuthMode; onSignedIn: (me: Me) => void }) {
  const [form, setForm] = useState<Form>(defaultForm(mode));
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (form === 'invitation') await api.acceptInvitation(code.trim(), name.trim(), secret);
      const credentials: Credentials = form === 'token' ? { token: secret.trim() } : form === 'password' ? { password: secret } : { username: name.trim(), password: secret };
      onSignedIn(await api.login(credentials));
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  const forms = formsFor(mode);
  return (
    <section className="sign-in">
      <h2>Sign in</h2>
      {forms.length > 1 && (
        <div className="tabs" role="group" aria-label="sign-in method">
          {forms.map((f) => (
            <button key={f} type="button" aria-pressed={f === form} onClick={() => setForm(f)}>
              {LABEL[f]}
            </button>
          ))}
        </div>
      )}
      <form className="stack" onSubmit={submit}>
        {form === 'invitation' && (
          <label>
            Invitation code
            <input autoComplete="off" required value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
        )}
        {(form === 'user' || form === 'invitation') && (
          <label>
            User name
            <input autoComplete="username" required value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <label>
          {form === 'token' ? 'Host token' : form === 'invitation' ? 'New password' : 'Password'}
          <input
            type="password"
            autoComplete={form === 'invitation' ? 'new-password' : form === 'token' ? 'off' : 'current-password'}
            required
            minLength={form === 'invitation' ? 8 : 1}
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
          />
        </label>
        {error && (
          <p className="info tone-error" role="alert">
            {error}
          </p>
        )}
        <button className="primary" type="submit" disabled={busy}>
          {form === 'invitation' ? 'Create account and sign in' : 'Sign in'}
        </button>
      </form>
    </section>
  );
}
