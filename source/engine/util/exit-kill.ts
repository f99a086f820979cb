/**
 * Processes kt started and must not leave behind: a list that kills each
 * entry if this process exits while it is still there. The exit handler is
 * registered on the first entry and runs synchronously, as exit handlers
 * must; entries leave the list when their process ends normally.
 */
export interface ExitKillList {
  add(id: number): void;
  delete(id: number): void;
}

/** A list whose entries `kill(id)` ends at exit. */
export function exitKillList(kill: (id: number) => void): ExitKillList {
  const live = new Set<number>();
  let armed = false;
  return {
    add(id) {
      live.add(id);
      if (armed) return;
      armed = true;
      process.once('exit', () => {
        for (const entry of live) kill(entry);
      });
    },
    delete(id) {
      live.delete(id);
    },
  };
}
