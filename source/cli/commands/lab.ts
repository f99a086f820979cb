/**
 * The Laboratory from the command line: `kt lab-client` runs a worker in the
 * foreground; `kt lab host` runs a host in the foreground (what
 * `kt serve start --mode lab-host` runs beside the studio); `kt lab status`,
 * `apply`, `chat` and `resume` ask a running host. Everything NATS is imported only
 * when one of these runs.
 */
import { join, resolve } from 'node:path';
import { UsageError } from '../../engine/errors.js';
import { sessionHome } from '../../engine/home.js';
import type { LabConnectOptions } from '../../engine/lab/connect.js';
import type { LabStatus } from '../../engine/lab/host.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';
import { APPROVAL_MODES, type ApprovalMode } from '../../engine/tools/approval.js';

const CONNECT_HELP = `
Connection (every lab command)
  --nats <url>        The NATS server (KT_NATS_URL), e.g. nats://10.0.0.2:4222
  --nats-token <t>    Its token (KT_NATS_TOKEN; or nats://<token>@host in the URL)
  --nats-creds <f>    A NATS .creds file instead (KT_NATS_CREDS)
  --lab <name>        Which lab on that server (KT_LAB; default "default"); subjects are kt.<lab>.…
  --insecure          Run without NATS credentials (refused otherwise)
`;

const CONNECT_FLAGS = {
  nats: { type: 'string' },
  natsToken: { type: 'string' },
  natsCreds: { type: 'string' },
  lab: { type: 'string' },
  insecure: { type: 'boolean', default: false },
} as const;

export async function connection(flags: { nats?: string | undefined; natsToken?: string | undefined; natsCreds?: string | undefined; lab?: string | undefined; insecure?: boolean | undefined }): Promise<LabConnectOptions> {
  const { labSettingsFrom } = await import('../../engine/lab/connect.js');
  return labSettingsFrom({ nats: flags.nats, token: flags.natsToken, creds: flags.natsCreds, lab: flags.lab, insecure: flags.insecure });
}

const CLIENT_HELP = `
Usage
  $ kt lab-client --nats nats://host:4222 --name worker-a [--capacity 8] [--label gpu=yes]

Runs a lab worker in the foreground: it announces itself to the lab's host,
heartbeats, and runs the creatures the host places on it (with this machine's
own model keys). Ctrl+C leaves the lab.

Options
  --name <node>       This worker's name (KT_CLIENT_NAME; default: the host name)
  --capacity <n>      How many creatures it takes (default 8)
  --label <k=v>       A label host placement can select on (repeatable)
  --heartbeat <ms>    Milliseconds between heartbeats (default 2000)
  --model-via-host    Make no model call here: the host makes them with its keys
                      (it must grant this worker: kt lab host --grant <name>=<provider>)
  --pwd <dir>         Working folder of its creatures (default: here)
  --approval-mode <m> Nobody answers approvals here, so what needs one is refused:
                      default (edits and commands) | auto-edit (commands) | yolo (nothing);
                      a creature's controller.allow list always runs
${CONNECT_HELP}`;

export async function labClientCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(CLIENT_HELP, argv, {
    ...CONNECT_FLAGS,
    name: { type: 'string' },
    capacity: { type: 'number', default: 8 },
    label: { type: 'string', isMultiple: true },
    heartbeat: { type: 'number', default: 2000 },
    pwd: { type: 'string' },
    modelViaHost: { type: 'boolean', default: false },
    approvalMode: { type: 'string', default: 'default' },
  }, 'kt lab-client');
  const approvalMode = cli.flags.approvalMode as ApprovalMode;
  if (!APPROVAL_MODES.includes(approvalMode) || approvalMode === 'plan') throw new UsageError(`--approval-mode takes default, auto-edit or yolo (got '${cli.flags.approvalMode}')`);
  const options = await connection(cli.flags);
  const { hostname } = await import('node:os');
  const node = cli.flags.name ?? process.env.KT_CLIENT_NAME ?? hostname().replace(/[^A-Za-z0-9_-]/g, '-');
  const labels: Record<string, string> = {};
  for (const entry of cli.flags.label ?? []) {
    const [key, ...value] = entry.split('=');
    if (!key || !value.length) throw new UsageError(`--label takes key=value (got '${entry}')`);
    labels[key] = value.join('=');
  }
  const { installBuiltins } = await import('../../builtins/index.js');
  installBuiltins();
  const { LabWorker } = await import('../../engine/lab/worker.js');
  const worker = await LabWorker.start({
    ...options,
    node,
    capacity: cli.flags.capacity,
    labels,
    heartbeatMs: cli.flags.heartbeat,
    modelViaHost: cli.flags.modelViaHost,
    approvalMode,
    team: { pwd: resolve(cli.flags.pwd ?? process.cwd()) },
  });
  process.stdout.write(`kt lab-client: ${node} joined lab '${options.lab}' (capacity ${cli.flags.capacity})\n`);
  await untilSignal();
  await worker.close();
  return 0;
}

const LAB_HELP = `
Usage
  $ kt lab status [--json]        Workers, their creatures and load (asks the host)
  $ kt lab apply <recipe>         Spread a terrarium recipe over the workers (again: add/remove members while it runs)
  $ kt lab chat <creature> <text> One turn of a placed creature; prints its reply
  $ kt lab resume <session>       Place a saved lab graph back onto the workers (a file, or a name as kt resume takes)
  $ kt lab host                   Run a lab host in the foreground (no studio)

Recipe members may say where they go: node: worker-a, or labels: {gpu: "yes"};
others go to the least-loaded worker.

Options
  --json              status as JSON
  --no-restart        host: leave a failed worker's creatures failed (default: restart elsewhere)
  --grant <w=p,...>   host: make model calls with this host's keys for worker w (its
                      kt lab-client --model-via-host), providers p (repeatable; * = any)
${CONNECT_HELP}`;

export async function labCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(LAB_HELP, argv, { ...CONNECT_FLAGS, json: { type: 'boolean', default: false }, restart: { type: 'boolean', default: true }, pwd: { type: 'string' }, grant: { type: 'string', isMultiple: true } }, 'kt lab');
  const [action, ...rest] = cli.input;
  const options = await connection(cli.flags);
  const { askHost } = await import('../../engine/lab/host-client.js');
  switch (action) {
    case 'status': {
      const status = await askHost<LabStatus>(options, { op: 'status' });
      if (cli.flags.json) {
        printJson(status);
        return 0;
      }
      const rows = status.workers.map((w) => [w.node, w.status, `${w.load}/${w.capacity}`, Object.entries(w.labels).map(([k, v]) => `${k}=${v}`).join(',') || '-', w.creatures.join(', ') || '-']);
      process.stdout.write(`lab '${status.lab}': ${status.workers.length} worker(s)\n${table(rows, ['WORKER', 'STATUS', 'LOAD', 'LABELS', 'CREATURES'])}`);
      return 0;
    }
    case 'apply': {
      if (!rest[0]) throw new UsageError('kt lab apply <recipe>: name a terrarium recipe');
      const placed = await askHost<{ graph: string; nodes: Record<string, string>; added?: string[]; removed?: string[] }>(options, { op: 'apply', recipe: resolve(rest[0]), cwd: process.cwd() });
      process.stdout.write(`${placed.graph}\n${Object.entries(placed.nodes).map(([name, node]) => `  ${name} → ${node}`).join('\n')}\n`);
      // The recipe's graph was running already: it now matches the file.
      if (placed.added || placed.removed) process.stdout.write(`added: ${placed.added?.join(', ') || '-'}; removed: ${placed.removed?.join(', ') || '-'}\n`);
      return 0;
    }
    case 'chat': {
      if (!rest[0] || rest.length < 2) throw new UsageError('kt lab chat <creature> <text>');
      const reply = await askHost<{ status: string; text: string }>(options, { op: 'chat', name: rest[0], text: rest.slice(1).join(' ') }, 600_000);
      process.stdout.write(`${reply.text}\n`);
      return reply.status === 'completed' ? 0 : 1;
    }
    case 'resume': {
      if (!rest[0]) throw new UsageError('kt lab resume <session>: name a lab graph session (kt sessions lists them)');
      // A file here is sent by its full path; a name is looked up in the host's <sessions>/lab/.
      const { existsSync } = await import('node:fs');
      const session = existsSync(rest[0]) ? resolve(rest[0]) : rest[0];
      const resumed = await askHost<{ graph: string; nodes: Record<string, string>; running: string[] }>(options, { op: 'resume', session }, 600_000);
      process.stdout.write(`${resumed.graph}\n${Object.entries(resumed.nodes).map(([name, node]) => `  ${name} → ${node}${resumed.running.includes(name) ? ' (was running)' : ''}`).join('\n')}\n`);
      return 0;
    }
    case 'host': {
      const host = await startLabHost(options, { restart: cli.flags.restart, pwd: cli.flags.pwd, grants: cli.flags.grant ?? [] });
      process.stdout.write(`kt lab host: lab '${options.lab}' (events in ${host.options.sessionDir})\n`);
      // One line per worker change (joined, failed, rejoined, left, restarted, restart-failed): a log to read, and what scripts wait on.
      host.on((what, node) => {
        if (what !== 'beat') process.stdout.write(`${what} ${node}\n`);
      });
      await untilSignal();
      await host.close();
      return 0;
    }
    default:
      throw new UsageError(`kt lab ${action ?? ''}: say status, apply, chat, resume or host (kt lab --help)`.replace('  ', ' '));
  }
}

/** A lab host with its event files under `<sessions>/lab/` (also used by `kt serve --mode lab-host`). */
export async function startLabHost(options: LabConnectOptions, extra: { restart?: boolean; pwd?: string | undefined; grants?: string[] } = {}) {
  const [{ LabHost }, { parseGrants }] = await Promise.all([import('../../engine/lab/host.js'), import('../../engine/lab/model-proxy.js')]);
  return LabHost.start({
    ...options,
    sessionDir: join(sessionHome(), 'lab'),
    pwd: resolve(extra.pwd ?? process.cwd()),
    restartOnFailure: extra.restart ?? true,
    // `kt serve --mode lab-host` has no --grant: KT_LAB_GRANTS='worker-a=openai worker-b=*' does it there.
    grants: parseGrants(extra.grants?.length ? extra.grants : (process.env.KT_LAB_GRANTS ?? '').split(/\s+/).filter(Boolean)),
  });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
