/**
 * `checkpoint`: before each tool call that edits files, the working tree is
 * recorded as a commit under a private ref (`refs/kt/checkpoints/<id>`), and
 * `/undo` puts the files back as the newest snapshot had them, one step per
 * use. Only inside a git repository; elsewhere it does nothing and says so
 * once. The user's branch, index and stash are never touched (see
 * checkpoint-git.ts), so `git status` reads the same before and after.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { plugin } from '../../engine/plugins/define.js';
import { repositoryRoot, restoreLatest, snapshot } from './checkpoint-git.js';

const options = lazySchema(() => z
  .object({
    /** Which tool effects take a snapshot first; `execute` adds shell commands. */
    effects: z.array(z.enum(['edit', 'execute'])).min(1).default(['edit']),
    /** The ref prefix; the session's id is appended. */
    ref_prefix: z
      .string()
      .regex(/^refs\/[\w./-]+$/, 'must be a ref path such as refs/kt/checkpoints')
      .default('refs/kt/checkpoints'),
  })
  .strict());

export const checkpointPlugin = plugin({
  name: 'checkpoint',
  description: 'Snapshot the git working tree before each edit; /undo restores it',
  priority: 40,
  options,
  setup(ctx) {
    // The id is kept in the session, so a resumed session undoes into the same ref.
    let id = ctx.state.get<string>('id');
    if (!id) {
      id = `${ctx.agentName.replace(/[^\w.-]/g, '_')}-${randomBytes(4).toString('hex')}`;
      ctx.state.set('id', id);
    }
    const ref = `${ctx.options.ref_prefix.replace(/\/$/, '')}/${id}`;
    let root: Promise<string | undefined> | undefined;
    const repo = () => (root ??= repositoryRoot(ctx.cwd));
    let warned = false;
    // Snapshots and undos run one at a time, in order, even when tools run in parallel.
    let queue: Promise<unknown> = Promise.resolve();
    const serial = <T>(work: () => Promise<T>): Promise<T> => {
      const next = queue.then(work, work);
      queue = next.catch(() => undefined);
      return next;
    };
    const report = (data: Record<string, unknown>) => ctx.emit({ type: 'plugin.report', plugin: 'checkpoint', data: { ref, ...data } });

    return {
      async preToolExecute(_args, info) {
        if (!info.effect || !ctx.options.effects.includes(info.effect)) return;
        const top = await repo();
        if (!top) {
          if (!warned) ctx.emit({ type: 'warning', message: `checkpoint: ${ctx.cwd} is not in a git repository; edits are not snapshotted` });
          warned = true;
          return;
        }
        try {
          const made = await serial(() => snapshot(top, ref, `kt checkpoint before ${info.toolName} (${info.callId})`));
          if (made) report({ snapshot: made.commit, tool: info.toolName });
        } catch (error) {
          // A failed snapshot must not stop the edit; the person is told there is nothing to undo to.
          ctx.emit({ type: 'warning', message: `checkpoint: snapshot failed: ${(error as Error).message}` });
        }
      },
      commands: () => ({
        undo: {
          summary: 'Put the files back as they were before the last edit',
          run: async () => {
            const top = await repo();
            if (!top) return `Nothing to undo: ${ctx.cwd} is not in a git repository.`;
            const result = await serial(() => restoreLatest(top, ref));
            if (!result) return 'Nothing to undo: no snapshot taken in this session (yet).';
            report({ undone: result.snapshot.commit });
            const changed = [...result.restored.map((f) => `restored ${f}`), ...result.removed.map((f) => `removed ${f}`)];
            return `Undid to snapshot ${result.snapshot.commit.slice(0, 10)}${changed.length ? `:\n${changed.join('\n')}` : ' (no file differed)'}`;
          },
        },
      }),
    };
  },
});
