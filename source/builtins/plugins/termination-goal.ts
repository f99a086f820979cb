/**
 * `termination_goal`: end a turn as soon as a goal is met, instead of when
 * the model decides to stop talking. The goal is a shell command that must
 * exit 0 (`check: "npm test"`), or a file condition: a file exists, holds a
 * text, or has a markdown checklist with every box ticked.
 *
 * Termination votes are synchronous and come after the round's tools, so
 * the check runs in `postToolExecute` (awaited before the round ends) and
 * the vote reads its result. Checks never overlap: a tool finishing while
 * one runs asks for one more run after it. Each result is reported as a
 * `plugin.report` event.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { toolEnvironment } from '../../engine/creature/tool-env.js';
import { plugin } from '../../engine/plugins/define.js';

/**
 * execa (over a hundred modules) loads the first time a program is run here,
 * not with this file. Only ever awaited here, so a promise of its result stands in for its subprocess.
 */
const execa = (async (...args: unknown[]) => ((await import('execa')).execa as (...a: unknown[]) => unknown)(...args)) as unknown as typeof import('execa').execa;

const fileCondition = () => z
  .object({
    path: z.string().min(1),
    /** The file must contain this text. */
    contains: z.string().min(1).optional(),
    /** Every `- [ ]` item must be ticked (`- [x]`), and there must be at least one. */
    checklist_done: z.boolean().default(false),
  })
  .strict();

const options = lazySchema(() => z
  .object({
    /** A shell command run in the working directory; exit code 0 means the goal is met. */
    check: z.string().min(1).optional(),
    file: fileCondition().optional(),
    timeout_seconds: z.number().positive().default(120),
    /** Check after every tool call, or only after ones that edit files or run programs. */
    after: z.enum(['changes', 'every_tool']).default('changes'),
  })
  .strict()
  .refine((o) => o.check !== undefined || o.file !== undefined, { message: 'set check (a shell command) or file (a file condition)' }));

export interface GoalResult {
  passed: boolean;
  detail: string;
}

/** Every checklist item ticked, and at least one item. */
export function checklistDone(text: string): boolean {
  const boxes = [...text.matchAll(/^\s*[-*+]\s+\[([ xX])\]/gm)].map((m) => m[1]);
  return boxes.length > 0 && boxes.every((b) => b !== ' ');
}

export const terminationGoalPlugin = plugin({
  name: 'termination_goal',
  description: 'End the turn when a goal check (a command or a file condition) passes',
  priority: 70,
  options,
  setup(ctx) {
    const o = ctx.options;

    async function checkFile(): Promise<GoalResult> {
      const spec = o.file!;
      const text = await readFile(path.resolve(ctx.cwd, spec.path), 'utf8').catch(() => undefined);
      if (text === undefined) return { passed: false, detail: `${spec.path} does not exist` };
      if (spec.contains !== undefined && !text.includes(spec.contains)) return { passed: false, detail: `${spec.path} does not contain ${JSON.stringify(spec.contains)}` };
      if (spec.checklist_done && !checklistDone(text)) return { passed: false, detail: `${spec.path} has unticked checklist items` };
      return { passed: true, detail: `${spec.path} meets the condition` };
    }

    async function checkCommand(): Promise<GoalResult> {
      const result = await execa(o.check!, {
        shell: true,
        cwd: ctx.cwd,
        reject: false,
        all: true,
        timeout: o.timeout_seconds * 1000,
        // Like the creature's tools: the program does not see kt's credentials.
        env: toolEnvironment(process.env),
        extendEnv: false,
        stdin: 'ignore',
      });
      const tail = String(result.all ?? '').trim().split('\n').slice(-5).join('\n');
      if (result.timedOut) return { passed: false, detail: `\`${o.check}\` timed out after ${o.timeout_seconds}s` };
      return { passed: result.exitCode === 0, detail: `\`${o.check}\` exited ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}` };
    }

    async function runCheck(): Promise<GoalResult> {
      if (o.file) {
        const file = await checkFile();
        if (!file.passed || !o.check) return file;
      }
      return checkCommand();
    }

    // One check at a time; a request during one queues exactly one more.
    let running: Promise<GoalResult> | undefined;
    let again: Promise<GoalResult> | undefined;
    let passedIn: string | null | undefined;
    let lastDetail = '';
    function request(turnId: string | null): Promise<GoalResult> {
      if (running) return (again ??= running.then(() => ((again = undefined), start(turnId))));
      return start(turnId);
    }
    function start(turnId: string | null): Promise<GoalResult> {
      const started = runCheck()
        .catch((error: Error): GoalResult => ({ passed: false, detail: `check failed to run: ${error.message}` }))
        .then((result) => {
          passedIn = result.passed ? turnId : undefined;
          lastDetail = result.detail;
          ctx.emit({ type: 'plugin.report', plugin: 'termination_goal', data: { passed: result.passed, detail: result.detail } });
          return result;
        })
        .finally(() => {
          if (running === started) running = undefined;
        });
      running = started;
      return started;
    }

    return {
      async postToolExecute(_result, info) {
        if (info.agentPath.length > 1) return;
        if (o.after === 'changes' && !info.effect) return;
        await request(info.turnId);
      },
      terminationCheck(context) {
        if (passedIn === undefined || passedIn !== context.turnId) return undefined;
        return { stop: true, reason: `goal reached: ${lastDetail}` };
      },
    };
  },
});
