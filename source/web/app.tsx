/**
 * The dashboard's shell: a top bar, and the view the URL's hash names — or
 * the sign-in form while the server wants someone signed in (the hash stays,
 * so signing in lands on the view that was asked for).
 */
import { ChatView } from './components/chat-view.js';
import { EditorView } from './components/editor-view.js';
import { GraphView } from './components/graph-view.js';
import { LabPage } from './components/lab-view.js';
import { ReplayView } from './components/replay-view.js';
import { SettingsView } from './components/settings-view.js';
import { SessionList } from './components/session-list.js';
import { SignIn } from './components/sign-in.js';
import { useAuth, type AuthState } from './state/use-auth.js';
import { useLabName } from './state/use-lab.js';
import { useRoute, type Route } from './router.js';

export function App() {
  const route = useRoute();
  const { state, signedIn, signOut } = useAuth();
  // Only a lab host (`kt serve --mode lab-host`) gets the Lab link.
  const lab = useLabName(state.phase === 'signed-in');
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/">
          KohakuTerrarium
        </a>
        <nav aria-label="main">
          <a href="#/" aria-current={route.view === 'sessions' ? 'page' : undefined}>
            Sessions
          </a>
          {lab !== null && (
            <a href="#/lab" aria-current={route.view === 'lab' ? 'page' : undefined}>
              Lab
            </a>
          )}
          <a href="#/editor" aria-current={route.view === 'editor' ? 'page' : undefined}>
            Editor
          </a>
          <a href="#/settings" aria-current={route.view === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
        {state.phase === 'signed-in' && state.me.user && (
          <span className="who">
            {state.me.user.name}{' '}
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <main>{gate(state, route, signedIn)}</main>
    </div>
  );
}

function gate(state: AuthState, route: Route, signedIn: Parameters<typeof SignIn>[0]['onSignedIn']) {
  switch (state.phase) {
    case 'checking':
      return <p className="muted">Connecting…</p>;
    case 'unreachable':
      return (
        <p className="info tone-error" role="alert">
          The server did not answer: {state.message}
        </p>
      );
    case 'sign-in':
      return <SignIn mode={state.mode} onSignedIn={signedIn} />;
    case 'signed-in':
      return view(route);
  }
}

function view(route: Route) {
  switch (route.view) {
    case 'chat':
      return <ChatView key={route.id} sessionId={route.id} />;
    case 'graph':
      return <GraphView key={route.id} sessionId={route.id} />;
    case 'replay':
      return <ReplayView key={route.name} name={route.name} {...(route.at ? { at: route.at } : {})} />;
    case 'editor':
      return <EditorView />;
    case 'settings':
      return <SettingsView />;
    case 'lab':
      return <LabPage />;
    case 'sessions':
      return <SessionList />;
  }
}
