/**
 * The Laboratory as the page sees it. `useLabName` asks once per sign-in (and
 * again when the tab regains focus) whether the server hosts a lab, so the
 * navigation shows the Lab link only on a lab host. `useLab` follows the
 * lab's workers and creatures while its view is open, asking again every few
 * seconds as the graph view does for a team.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, type LabView } from '../api.js';

export const LAB_REFRESH_MS = 3000;

/** The lab's name, or null on a server without one (an older server without the route counts as none). */
export function useLabName(enabled: boolean): string | null {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    const check = () =>
      api.lab().then(
        (view) => live && setName(view.lab),
        () => live && setName(null),
      );
    void check();
    window.addEventListener('focus', check);
    return () => {
      live = false;
      window.removeEventListener('focus', check);
    };
  }, [enabled]);
  return name;
}

export function useLab(): { view: LabView | null; error: string | null } {
  const [view, setView] = useState<LabView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () =>
      api.lab().then(
        (next) => {
          if (stopped) return;
          setView(next);
          setError(null);
          if (next.lab !== null) timer = setTimeout(load, LAB_REFRESH_MS);
        },
        (err: Error) => {
          if (stopped) return;
          // A 404 is a server without the route: nothing to follow. Anything else may pass, so try again later.
          setError(err instanceof ApiError && err.status === 404 ? 'This server has no lab.' : err.message);
          if (!(err instanceof ApiError && err.status === 404)) timer = setTimeout(load, LAB_REFRESH_MS);
        },
      );
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { view, error };
}
