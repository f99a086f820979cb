/**
 * Whether this machine lets us run a command without network: a fresh Linux
 * network namespace (`unshare -n`) has only a loopback interface, and that
 * one is down, so nothing, not even 127.0.0.1, can be reached from inside.
 *
 * Creating one needs CAP_SYS_ADMIN (`unshare -n`, as root) or unprivileged
 * user namespaces (`unshare -rn`, which maps the user to root inside). Which
 * works is found out by trying, once per process: kernels, containers and
 * distributions differ too much for anything else to be honest.
 *
 * `KT_SANDBOX_UNSHARE` names the unshare program to use (default: the one on
 * PATH); pointing it at something that is not unshare shows what happens on
 * a machine without it.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';

/** How long the probe may take before it counts as not working. */
const PROBE_TIMEOUT_MS = 5000;

export type NetworkIsolation = { enforced: true; prefix: readonly string[] } | { enforced: false; reason: string };

const probes = new Map<string, Promise<NetworkIsolation>>();

/** How to start a command with no network here, or why that cannot be done. Probed once per unshare program. */
export function networkIsolation(env: Readonly<Record<string, string | undefined>> = process.env): Promise<NetworkIsolation> {
  const program = env['KT_SANDBOX_UNSHARE'] || 'unshare';
  let probe = probes.get(program);
  if (!probe) {
    probe = probeIsolation(program, env);
    probes.set(program, probe);
  }
  return probe;
}

async function probeIsolation(program: string, env: Readonly<Record<string, string | undefined>>): Promise<NetworkIsolation> {
  if (process.platform !== 'linux') return { enforced: false, reason: `network namespaces need Linux, and this is ${process.platform}` };
  const unshare = program.includes('/') ? program : await onPath(program, env['PATH'] ?? '');
  if (!unshare) return { enforced: false, reason: `'${program}' (util-linux) was not found on PATH` };
  const failures: string[] = [];
  // Plain -n first: as root it leaves user ids alone; -rn is the way for everyone else.
  for (const flags of [['-n'], ['-rn']]) {
    const failure = await attempt(unshare, flags);
    if (failure === undefined) return { enforced: true, prefix: [unshare, ...flags] };
    failures.push(`${path.basename(unshare)} ${flags.join(' ')}: ${failure}`);
  }
  return { enforced: false, reason: `this user may not create network namespaces (${failures.join('; ')})` };
}

/** Undefined when `unshare <flags> true` worked, else what went wrong. */
function attempt(unshare: string, flags: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(unshare, [...flags, 'true'], { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8' }, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined);
      const said = stderr.trim().split('\n').pop();
      const code = (error as { code?: unknown }).code;
      resolve(said || (typeof code === 'number' ? `exited with code ${code}` : (error.message.split('\n')[0] ?? String(code))));
    });
  });
}

async function onPath(name: string, searchPath: string): Promise<string | undefined> {
  for (const folder of searchPath.split(path.delimiter)) {
    if (!folder) continue;
    const candidate = path.join(folder, name);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
