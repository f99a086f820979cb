/**
 * `scheduler` (also `cron`): fire on a cron schedule (5 fields, or 6 with
 * seconds first), in an IANA `timezone`, aligned to the clock. croner only
 * computes the run times; the waiting goes through the creature's clock so
 * a test's FakeClock drives it.
 *
 * Resumable: it saves its last run. Runs that fell due while the creature
 * was down are counted and reported; `run_once_if_missed` fires one of them.
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import type { TriggerDefinition } from '../../engine/triggers/trigger.js';

/**
 * croner, loaded the first time a schedule is checked or made: most runs have
 * no scheduler trigger, and a static import put it in every start. Required
 * (not imported) because zod's refinements and `create` are synchronous.
 */
let croner: typeof import('croner') | undefined;
function newCron(...args: ConstructorParameters<typeof import('croner').Cron>): InstanceType<typeof import('croner').Cron> {
  croner ??= createRequire(import.meta.url)('croner') as typeof import('croner');
  return new croner.Cron(...args);
}

/** Beyond this many missed runs the count is reported as "at least". */
export const MISSED_CAP = 1000;

const options = lazySchema(() => z
  .strictObject({
    cron: z.string().superRefine((expression, ctx) => {
      const reason = cronProblem(expression);
      if (reason) ctx.addIssue({ code: 'custom', message: `bad cron expression '${expression}': ${reason}` });
    }),
    timezone: z.string().optional(),
    prompt: z.string().min(1).optional(),
    run_once_if_missed: z.boolean().default(false),
  })
  .superRefine((o, ctx) => {
    if (o.timezone !== undefined && !validTimezone(o.timezone)) {
      ctx.addIssue({ code: 'custom', path: ['timezone'], message: `unknown time zone '${o.timezone}' (use an IANA name such as 'Europe/Paris' or 'UTC')` });
    }
  }));

export type SchedulerOptions = z.output<typeof options>;

function cronProblem(expression: string): string | undefined {
  try {
    newCron(expression, { paused: true });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function schedulerDefinition(kind: string): TriggerDefinition<SchedulerOptions> {
  return {
    kind,
    description: 'fires on a cron schedule (5 or 6 fields, time zone aware); resumable',
    resumable: true,
    options,
    create(o) {
      const cron = newCron(o.cron, { paused: true, ...(o.timezone ? { timezone: o.timezone } : {}) });
      const after = (ms: number) => cron.nextRun(new Date(ms))?.getTime();
      let next: number | undefined;
      return {
        kind,
        describe: () => `${o.cron}${o.timezone ? ` ${o.timezone}` : ''}`,
        nextFireAt: () => next,
        async *start(ctx) {
          const content = o.prompt ?? `Scheduled run of '${ctx.id}' (${o.cron}).`;
          const now = ctx.clock.now();
          const last = ctx.saved?.last;
          let from = now;
          if (typeof last === 'number' && last < now) {
            let missed = 0;
            let first: number | undefined;
            for (let t = after(last); t !== undefined && t <= now && missed < MISSED_CAP; t = after(t)) {
              missed++;
              first ??= t;
            }
            if (missed > 0) {
              ctx.missed(missed, first as number);
              if (o.run_once_if_missed) yield { content, stackable: false, context: { missed } };
            }
          }
          ctx.save({ last: now });
          for (;;) {
            next = after(from);
            if (next === undefined) return; // a schedule with no future runs is finished
            if (!(await ctx.sleep(next - ctx.clock.now()))) return;
            from = next;
            ctx.save({ last: next });
            yield { content, stackable: false, context: { scheduledFor: next } };
          }
        },
      };
    },
  };
}

export const schedulerTrigger = schedulerDefinition('scheduler');
/** The name kt-biome's cron trigger went by. */
export const cronTrigger = schedulerDefinition('cron');
