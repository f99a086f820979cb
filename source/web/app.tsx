/**
 * The dashboard's shell: a top bar, and the view the URL's hash names.
 */
import { ChatView } from './components/chat-view.js';
import { EditorView } from './components/editor-view.js';
import { GraphView } from './components/graph-view.js';
import { ReplayView } from './components/replay-view.js';
import { SettingsView } from './components/settings-view.js';
import { SessionList } from './components/session-list.js';
import { useRoute, type Route } from './router.js';

export function App() {
  const route = useRoute();
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
          <a href="#/editor" aria-current={route.view === 'editor' ? 'page' : undefined}>
            Editor
          </a>
          <a href="#/settings" aria-current={route.view === 'settings' ? 'page' : undefined}>
            Settings
          </a>
        </nav>
      </header>
      <main>{view(route)}</main>
    </div>
  );
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
    case 'sessions':
      return <SessionList />;
  }
}
