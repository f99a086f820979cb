/**
 * `sandbox`: limits on what a creature's tools may do, enforced where this
 * machine allows it and said plainly where it does not.
 *
 * - `blocked_tools`: calls of these tools are refused.
 * - `fs_write`: `workspace` (default) refuses edit tools whose file lies
 *   outside the creature's working directory, symbolic links followed;
 *   `deny` refuses every edit tool; `broad` leaves file changes alone. The
 *   plugin does not see `allowed_paths`, so it is stricter than the file
 *   tools' own boundary. It checks the edit tools' file arguments only:
 *   a shell command can still write anywhere (block `bash` for that).
 * - `network: deny`: shell commands run in a fresh network namespace
 *   (`unshare -n`, or `unshare -rn` for a normal user), so they reach
 *   nothing, loopback included. Where the machine does not allow that, one
 *   `warning` (code SANDBOX_NOT_ENFORCED) says so and commands keep their
 *   network.
 * - `env: filtered`: shell commands get only PATH, HOME, USER, SHELL, LANG,
 *   LC_*, TERM, TMPDIR and the like, plus `env_allow`. `default` and
 *   `inherit` leave the environment kt gives tools (its credentials are
 *   already removed; the sandbox never adds any).
 * - `backend`: `auto` enforces; `audit` only reports what it would refuse
 *   (`warning`, code SANDBOX_AUDIT); `off` (or `enabled: false`) does nothing.
 *
 * Commands are wrapped through the `subprocess_runner` service, which `bash`
 * asks for before it starts a shell.
 */
import path from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../../engine/tools/lazy-schema.js';
import { PluginBlockError } from '../../engine/errors.js';
import { plugin } from '../../engine/plugins/define.js';
import type { PluginHooks } from '../../engine/plugins/hooks.js';
import { realTarget } from '../tools/path-guard.js';
import { networkIsolation, type NetworkIsolation } from './sandbox-net.js';
import { SUBPROCESS_RUNNER, type SubprocessRunner } from './sandbox-runner.js';
import { filteredEnv, firstOutside, targetPaths } from './sandbox-rules.js';

const options = lazySchema(() => z
  .object({
    enabled: z.boolean().default(true),
    backend: z.enum(['auto', 'audit', 'off']).default('auto'),
    blocked_tools: z.array(z.string().min(1)).default([]),
    fs_write: z.enum(['workspace', 'deny', 'broad']).default('workspace'),
    network: z.enum(['default', 'deny']).default('default'),
    env: z.enum(['default', 'filtered', 'inherit']).default('default'),
    env_allow: z.array(z.string().min(1)).default([]),
  })
  .strict());

const DONT_RETRY = 'Do not retry it; do the task another way, or tell the user the sandbox stopped it.';

export const sandboxPlugin = plugin({
  name: 'sandbox',
  description: 'Keep file changes in the workspace, block tools, run commands without network or with a minimal environment',
  // First of all pre hooks: nothing should see (or ask the user about) a call the sandbox refuses.
  priority: 1,
  options,
  async setup(ctx): Promise<PluginHooks> {
    const o = ctx.options;
    if (!o.enabled || o.backend === 'off') return {};
    const audit = o.backend === 'audit';
    const workspace = await realTarget(path.resolve(ctx.cwd)).catch(() => path.resolve(ctx.cwd));
    const blocked = new Set(o.blocked_tools);
    const filterEnv = o.env === 'filtered';
    const isolation: NetworkIsolation | undefined = o.network === 'deny' && !audit ? await networkIsolation() : undefined;

    // Said once, when someone is listening (agent start) or when a command first needs it, whichever comes first.
    let announced = false;
    const announce = () => {
      if (announced) return;
      announced = true;
      if (isolation && !isolation.enforced) {
        ctx.emit({
          type: 'warning',
          code: 'SANDBOX_NOT_ENFORCED',
          message: `sandbox: network deny is not enforced on this machine (${isolation.reason}); shell commands keep their network access`,
        });
      }
      if (audit && (o.network === 'deny' || filterEnv)) {
        const would = [o.network === 'deny' ? 'without network' : '', filterEnv ? 'with a filtered environment' : ''].filter(Boolean).join(' and ');
        ctx.emit({ type: 'warning', code: 'SANDBOX_AUDIT', message: `sandbox (audit): shell commands run unrestricted; with backend auto they would run ${would}` });
      }
    };

    const refuse = (toolName: string, reason: string): void => {
      if (audit) {
        ctx.emit({ type: 'warning', code: 'SANDBOX_AUDIT', message: `sandbox (audit) would block ${toolName}: ${reason}` });
        return;
      }
      throw new PluginBlockError(`${reason}. ${DONT_RETRY}`);
    };

    const hooks: PluginHooks = {
      onAgentStart: announce,
      async preToolExecute(args, info) {
        if (blocked.has(info.toolName)) return refuse(info.toolName, `the sandbox does not allow the tool '${info.toolName}' here (blocked_tools)`);
        if (info.effect !== 'edit' || o.fs_write === 'broad') return;
        if (o.fs_write === 'deny') return refuse(info.toolName, `the sandbox does not allow changing files here (fs_write: deny), so ${info.toolName} did not run`);
        const targets = targetPaths(args);
        if (targets.length === 0) {
          return refuse(info.toolName, `the sandbox cannot tell which file ${info.toolName} changes, so it cannot keep it inside the working directory (fs_write: workspace)`);
        }
        const outside = await firstOutside(workspace, ctx.cwd, targets);
        if (!outside) return;
        const through = outside.real !== outside.absolute ? ` (it leads to ${outside.real})` : '';
        return refuse(info.toolName, `the sandbox only allows changing files inside the working directory (${workspace}); ${outside.given}${through} is outside it (fs_write: workspace)`);
      },
    };

    const rules: string[] = [];
    if (!audit) {
      if (o.fs_write === 'workspace') rules.push(`file tools may change files only inside ${workspace}`);
      if (o.fs_write === 'deny') rules.push('file tools may not change files');
      if (isolation?.enforced) rules.push('shell commands have no network access');
      if (blocked.size) rules.push(`these tools are blocked: ${[...blocked].join(', ')}`);
    }
    if (rules.length) hooks.promptContent = () => `## Sandbox\nThis creature runs in a sandbox: ${rules.join('; ')}.`;

    if (!audit && (o.network === 'deny' || filterEnv)) {
      const runner: SubprocessRunner = {
        prepare(launch) {
          announce();
          const env = filterEnv ? filteredEnv(launch.env, o.env_allow) : launch.env;
          if (!isolation?.enforced) return { ...launch, env };
          const [unshare, ...flags] = isolation.prefix as [string, ...string[]];
          // unshare execs the program in its own process, so the caller's process-group kill still reaches it.
          return { file: unshare, args: [...flags, '--', launch.file, ...launch.args], env };
        },
      };
      hooks.runtimeServices = () => ({ [SUBPROCESS_RUNNER]: runner });
    }
    return hooks;
  },
});
