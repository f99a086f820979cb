/**
 * What the group tools share: reaching the member's team, turning a refusal
 * of the team (not privileged, no such member, no send edge) into a tool
 * error the model reads, and the team drawn as a compact table.
 */
import { ToolError } from '../../engine/errors.js';
import type { GroupControl, GroupStatus } from '../../engine/tools/runtime.js';
import type { ToolContext } from '../../engine/tools/tool.js';

/** Starts every group tool's one-line description, so the index groups them. */
export const GROUP_PREFIX = 'Team — ';

/** The member's team, or a clear error when the creature runs alone (no terrarium hosts it). */
export function groupOf(ctx: ToolContext, tool: string): GroupControl {
  const group = ctx.runtime.group;
  if (!group) throw new ToolError(`${tool}: this creature is not a member of a terrarium, so it has no team to act on`, { tool });
  return group;
}

/** Run a team action; whatever the team refuses comes back as a tool error with its reason. */
export async function acting<T>(tool: string, run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ToolError) throw error;
    throw new ToolError(`${tool}: ${error instanceof Error ? error.message : String(error)}`, { tool, cause: error });
  }
}

const list = (names: readonly string[]) => (names.length ? names.join(', ') : '-');

/** Columns padded to their widest cell; the last column is not padded. */
function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  return rows.map((row) => `  ${row.map((cell, col) => (col === row.length - 1 ? cell : cell.padEnd(widths[col]!))).join('  ')}`.trimEnd());
}

/**
 * The team as the model reads it: members (state, privilege, parent, what
 * they hear besides their own channel, where they may send), channels (type,
 * listeners) and output wires (id, from → to). `self` is marked.
 */
export function statusText(status: GroupStatus, self: string): string {
  const members = status.creatures.map((c) => [
    c.name === self ? `${c.name} (you)` : c.name,
    // A lab member's state says which worker runs it.
    c.node ? `${c.state} on ${c.node}` : c.state,
    c.privileged ? 'yes' : 'no',
    c.parent ?? '-',
    list(c.listen.filter((ch) => ch !== c.name)),
    list(c.canSend),
  ]);
  const direct = new Set(status.creatures.map((c) => c.name));
  const channels = status.channels.map((ch) => [ch.name, direct.has(ch.name) ? 'direct' : ch.type, list(ch.listeners), ch.description || '-']);
  const lines = [
    `Team \`${status.team}\`: ${count(status.creatures.length, 'member')}, ${count(status.channels.length, 'channel')}, ${count(status.wires.length, 'wire')}.`,
    '',
    'Members:',
    ...table([['name', 'state', 'privileged', 'parent', 'listens on', 'can send to'], ...members]),
    '',
    'Channels (a member always hears its own direct channel):',
    ...(channels.length ? table([['name', 'type', 'listeners', 'description'], ...channels]) : ['  (none)']),
    '',
    'Wires (turn-end text goes from → to):',
    ...(status.wires.length ? status.wires.map((w) => `  ${w.id}: ${w.from} → ${w.to}${w.withContent ? '' : ' (signal only)'}`) : ['  (none)']),
  ];
  return lines.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
