/**
 * Routes live in the URL's hash (`#/chat/<id>`), so the server serves one
 * index.html and a reload or a shared link lands on the same view.
 */
import { useSyncExternalStore } from 'react';

export type Route =
  | { view: 'sessions' }
  | { view: 'chat'; id: string }
  | { view: 'graph'; id: string }
  | { view: 'replay'; name: string; at?: number }
  | { view: 'editor' }
  | { view: 'lab' }
  | { view: 'settings' };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const at = Number(new URLSearchParams(query).get('at'));
  switch (parts[0]) {
    case 'chat':
      return parts[1] ? { view: 'chat', id: parts[1] } : { view: 'sessions' };
    case 'graph':
      return parts[1] ? { view: 'graph', id: parts[1] } : { view: 'sessions' };
    case 'replay':
      return parts[1] ? { view: 'replay', name: parts[1], ...(at > 0 ? { at } : {}) } : { view: 'sessions' };
    case 'editor':
      return { view: 'editor' };
    case 'settings':
      return { view: 'settings' };
    case 'lab':
      return { view: 'lab' };
    default:
      return { view: 'sessions' };
  }
}

export function navigate(path: string): void {
  location.hash = `#${path}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  return parseRoute(useSyncExternalStore(subscribe, () => location.hash, () => ''));
}
