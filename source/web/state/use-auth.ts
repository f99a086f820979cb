/**
 * Whether the page may show the dashboard: asks the server who is signed in
 * once, and falls back to the sign-in form whenever any request answers 401
 * (a cookie that expired, a server restarted with auth on).
 */
import { useCallback, useEffect, useState } from 'react';
import { api, onUnauthorized, type Me } from '../api.js';

export type AuthState = { phase: 'checking' } | { phase: 'signed-in'; me: Me } | { phase: 'sign-in'; mode: Me['auth'] } | { phase: 'unreachable'; message: string };

export function useAuth(): { state: AuthState; signedIn: (me: Me) => void; signOut: () => void } {
  const [state, setState] = useState<AuthState>({ phase: 'checking' });
  useEffect(() => {
    let live = true;
    api.me().then(
      (me) => live && setState(me.auth !== 'off' && !me.user ? { phase: 'sign-in', mode: me.auth } : { phase: 'signed-in', me }),
      (error: Error) => live && setState({ phase: 'unreachable', message: error.message }),
    );
    const stop = onUnauthorized(() => setState((s) => ({ phase: 'sign-in', mode: s.phase === 'signed-in' ? s.me.auth : s.phase === 'sign-in' ? s.mode : 'users' })));
    return () => {
      live = false;
      stop();
    };
  }, []);
  const signedIn = useCallback((me: Me) => setState({ phase: 'signed-in', me }), []);
  const signOut = useCallback(() => {
    api.logout().then(
      () => setState((s) => ({ phase: 'sign-in', mode: s.phase === 'signed-in' ? s.me.auth : 'users' })),
      () => undefined,
    );
  }, []);
  return { state, signedIn, signOut };
}
