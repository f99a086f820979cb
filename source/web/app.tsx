/**
 * The dashboard's shell: a top bar, and the view the URL's hash names.
 */
import { ChatView } from './components/chat-view.js';
import { GraphView } from './components/graph-view.js';
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
    default:
      return <SessionList />;
  }
}
