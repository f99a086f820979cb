/**
 * `timer`: fire every `interval` (seconds, or "10m"-style text), optionally
 * with random `jitter` added to each wait and a `count` after which the
 * timer is done (and removed, reason `finished`).
 *
 * Resumable: it saves its next due time. A resumed timer whose due time has
 * passed reports how many runs were missed and carries on from now; it never
 * fires a burst to catch up. A fire while the previous one still waits or
 * runs is dropped (non-stackable): a slow turn does not pile up ticks.
 */
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';
import { durationField, formatDuration } from './duration.js';

const options = lazySchema(() => z.strictObject({
  interval: durationField('interval'),
  prompt: z.string().min(1).optional(),
  immediate: z.boolean().default(false),
  count: z.number().int().positive().optional(),
  jitter: durationField('jitter', { positive: false }).optional(),
}));

export type TimerOptions = z.output<typeof options>;

/** A number in [0, 1): Math.random in production, a seeded source in tests. */
export type RandomSource = () => number;

export function timerDefinition(random: RandomSource = Math.random): TriggerDefinition<TimerOptions> {
  return {
    kind: 'timer',
    description: 'fires every interval (seconds or "10m", "1h30m"); resumable',
    resumable: true,
    options,
    create(o) {
      let next: number | undefined;
      const wait = () => o.interval + (o.jitter ? Math.floor(random() * o.jitter) : 0);
      return {
        kind: 'timer',
        describe: () => `every ${formatDuration(o.interval)}${o.jitter ? ` (+ up to ${formatDuration(o.jitter)})` : ''}${o.count ? `, ${o.count} times` : ''}`,
        nextFireAt: () => next,
        async *start(ctx) {
          const now = ctx.clock.now();
          const saved = ctx.saved as { next?: number; fired?: number } | undefined;
          let fired = saved?.fired ?? 0;
          if (typeof saved?.next === 'number') {
            if (saved.next <= now) {
              // Every due time from the saved one up to now passed unseen.
              ctx.missed(Math.floor((now - saved.next) / o.interval) + 1, saved.next);
              next = now + wait();
            } else next = saved.next;
          } else next = o.immediate ? now : now + wait();
          const content = o.prompt ?? `Timer '${ctx.id}' fired.`;
          for (;;) {
            ctx.save({ next, fired });
            if (!(await ctx.sleep(next - ctx.clock.now()))) return;
            fired++;
            next = ctx.clock.now() + wait();
            if (o.count === undefined || fired < o.count) ctx.save({ next, fired });
            yield { content, stackable: false, context: { fired } };
            if (o.count !== undefined && fired >= o.count) return;
          }
        },
      };
    },
  };
}
