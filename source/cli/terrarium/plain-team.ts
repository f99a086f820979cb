/**
 * A terrarium run without the terminal app (`-p`, piped stdin, plain mode):
 * the root's answer on stdout as `kt run` prints a creature's, every other
 * member's text and activity on stderr with `[name] ` before each line, and
 * with `--output-format stream-json` every member's events on stdout, each
 * line tagged with the creature's name. The run ends when the root's turn has
 * ended and the team has gone quiet (wires and channel messages it set off
 * have been answered); the exit code is that of the root's turn.
 */
import { Writable } from 'node:stream';
import type { TurnResult } from '../../engine/creature/turn-result.js';
import type { Terrarium } from '../../engine/terrarium/terrarium.js';
import type { TerrariumCreature } from '../../engine/terrarium/member.js';
import { PlainRenderer } from '../../ui/plain/renderer.js';
import type { ConverseOptions } from '../converse-flags.js';
import { EXIT, exitCodeFor } from '../exit.js';

/** A stream that writes `prefix` at the start of every line it passes on. */
export function prefixLines(target: NodeJS.WritableStream, prefix: string): Writable & { endLine(): void } {
  let atStart = true;
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      let out = '';
      for (const ch of text) {
        if (atStart) out += prefix;
        out += ch;
        atStart = ch === '\n';
      }
      target.write(out);
      done();
    },
  });
  // A turn's last line may end without a newline: the next member's line must not continue it.
  return Object.assign(stream, {
    endLine: () => {
      if (!atStart) target.write('\n');
      atStart = true;
    },
  });
}

/** A stream of JSON lines that adds `"creature": name` to each object. */
export function tagJsonLines(target: NodeJS.WritableStream, name: string): Writable {
  let pending = '';
  const tag = `{"creature":${JSON.stringify(name)},`;
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      pending += chunk.toString();
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        target.write(line.startsWith('{') && line !== '{}' ? `${tag}${line.slice(1)}\n` : `${line}\n`);
      }
      done();
    },
  });
}

/** Renderers for every member; the root's text goes to stdout. */
function renderTeam(team: Terrarium, root: TerrariumCreature, options: ConverseOptions): { root: PlainRenderer; finish(): void; off(): void } {
  const renderers = new Map<string, PlainRenderer>();
  const offs: Array<() => void> = [];
  const attach = (member: TerrariumCreature) => {
    if (renderers.has(member.name)) return;
    const json = options.format === 'stream-json';
    const isRoot = member === root;
    const prefixed = json || isRoot ? undefined : prefixLines(process.stderr, `[${member.name}] `);
    const stdout = json ? tagJsonLines(process.stdout, member.name) : (prefixed ?? process.stdout);
    const stderr = isRoot ? process.stderr : prefixLines(process.stderr, `[${member.name}] `);
    // Members other than the root never print a JSON result on stdout: scripts read the root's.
    const format = json ? 'stream-json' : isRoot ? options.format : 'text';
    const renderer = new PlainRenderer({ stdout, stderr, format, verbose: options.verbose });
    renderers.set(member.name, renderer);
    offs.push(member.agent.on(renderer.handle));
    if (prefixed) offs.push(member.agent.on('turn.end', () => prefixed.endLine()));
  };
  for (const member of team.listCreatures()) attach(member);
  // Members added during the run (group_add_node) are shown too.
  offs.push(team.on((event) => {
    if (event.kind !== 'creature_started' || !event.creature) return;
    const member = team.getCreature(event.creature);
    if (member) attach(member);
  }));
  return {
    root: renderers.get(root.name)!,
    finish: () => {
      for (const r of renderers.values()) r.finish();
    },
    off: () => {
      for (const off of offs) off();
    },
  };
}

/**
 * Resolves once no member is running a turn and none started one while we
 * looked: a wire or channel message hands work on within the same tick or the
 * next, so two quiet checks a macrotask apart mean the team is done.
 */
export async function teamQuiet(team: Terrarium): Promise<void> {
  for (;;) {
    let started = false;
    const off = team.on((event) => {
      if (event.kind === 'processing_start' || event.kind === 'channel_message') started = true;
    });
    try {
      const busy = team.listCreatures().filter((m) => m.agent.state === 'running');
      if (busy.length) {
        await Promise.race(busy.map((m) => new Promise<void>((resolve) => {
          const stop = m.agent.on('turn.end', () => (stop(), resolve()));
        })));
        continue;
      }
      for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
      if (!started && team.listCreatures().every((m) => m.agent.state !== 'running')) return;
    } finally {
      off();
    }
  }
}

/** Run `prompts` through the root, one turn each; returns the exit code of the last. */
export async function runTeamPlain(team: Terrarium, root: TerrariumCreature, options: ConverseOptions, prompts: AsyncIterable<string> | Iterable<string>): Promise<number> {
  const view = renderTeam(team, root, options);
  let last: TurnResult | undefined;
  let pressed = 0;
  const onInterrupt = () => {
    pressed++;
    if (pressed === 1) {
      process.stderr.write('kt: interrupting the team (Ctrl+C again to quit)\n');
      for (const member of team.listCreatures()) member.agent.interrupt();
      return;
    }
    void team.shutdown().finally(() => process.exit(EXIT.interrupted));
  };
  process.on('SIGINT', onInterrupt);
  try {
    for await (const prompt of prompts) {
      last = await root.run(prompt, options.timeoutMs ? { timeout: options.timeoutMs } : {});
      view.root.endTurn(last);
      if (last.status !== 'completed') process.stderr.write(`kt: ${root.name}: ${last.error?.message ?? last.status}\n`);
      await teamQuiet(team);
    }
  } finally {
    process.off('SIGINT', onInterrupt);
    view.off();
    await team.shutdown();
    view.finish();
  }
  return last ? exitCodeFor(last.status) : EXIT.ok;
}
