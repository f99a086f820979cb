/**
 * The teams bundled in @kt-biome/terrariums: each recipe resolves by its
 * package reference, builds with the real creature pack, and wires its
 * members the way its prompts assume; swe_team runs a task end to end with
 * a scripted model (task → swe → reviewer by wire → lifecycle pings to root).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../../source/builtins/index.js';
import { PackageNotFoundError } from '../../../source/engine/errors.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { groupControl } from '../../../source/engine/terrarium/group-control.js';
import { Terrarium } from '../../../source/engine/terrarium/terrarium.js';
import { ScriptedLLM, type ScriptEntry } from '../../../source/testing/scripted-llm.js';
import { until } from '../../helpers/until.js';

const BUNDLED = ['swe_team', 'pair_programming', 'deep_research'];

function build(name: string, llm = new ScriptedLLM([], { defaultEntry: { text: 'ok' } })) {
  const pwd = mkdtempSync(join(tmpdir(), 'kt-biome-team-'));
  return Terrarium.fromRecipe(`@kt-biome/terrariums/${name}`, { pwd, llm, build: { projectInstructions: false } });
}

/** Who hears and who may send on each channel, wires as `from → to` (`(ping)` for a lifecycle ping). */
function shape(team: Terrarium) {
  const t = team.topology;
  const members = team.listCreatures().map((m) => m.name);
  const listen = Object.fromEntries(members.map((m) => [m, t.listensTo(m).filter((c) => c !== m).sort()]));
  const send = Object.fromEntries(members.map((m) => [m, t.sendsTo(m).sort()]));
  const types = Object.fromEntries(t.channelList().filter((c) => !members.includes(c.name)).map((c) => [c.name, c.type]));
  const wires = t.wires().map((w) => `${w.from} → ${w.to}${w.withContent ? '' : ' (ping)'}`);
  return { members, listen, send, types, wires };
}

describe('@kt-biome/terrariums', () => {
  it.each(BUNDLED)('%s resolves by package reference, builds from the pack, and every member has a prompt of its own', async (name) => {
    await using team = await build(name);
    expect(team.name).toBe(name);
    const creatures = team.listCreatures();
    expect(creatures[0]).toMatchObject({ name: 'root', privileged: true });
    for (const member of creatures) {
      expect(member.isRunning).toBe(true);
      expect(member.agent.systemPrompt).toContain(`You are \`${member.name}\`, one creature of the team \`${name}\``);
      // The role prompt from the recipe folder is appended to the base creature's prompt.
      expect(member.agent.systemPrompt).toMatch(/^# (Your role|Coordinating)/m);
      expect(member.agent.tools).toEqual(expect.arrayContaining(['read', 'bash']));
    }
    for (const channel of team.topology.channelList()) expect(channel.description, `channel ${channel.name}`).not.toBe('');
  });

  it('an unknown package in a recipe reference is a PackageNotFoundError naming the package', async () => {
    await expect(Terrarium.fromRecipe('@no-such-pack/terrariums/x')).rejects.toThrow(PackageNotFoundError);
    await expect(Terrarium.fromRecipe('@no-such-pack/terrariums/x')).rejects.toThrow(/package '@no-such-pack' is not installed/);
    await expect(Terrarium.fromRecipe('@kt-biome/terrariums/nope')).rejects.toThrow(/no terrarium recipe at .*terrariums[/\\]nope/);
  });

  it('swe_team: tasks queue to swe, swe output goes to the reviewer, the reviewer decides on feedback or results', async () => {
    await using team = await build('swe_team');
    const s = shape(team);
    expect(s.members).toEqual(['root', 'swe', 'reviewer']);
    expect(s.types).toEqual({ tasks: 'queue', feedback: 'broadcast', results: 'queue', team_chat: 'broadcast', report_to_root: 'broadcast' });
    expect(s.listen.swe).toEqual(['feedback', 'tasks', 'team_chat']);
    expect(s.send.swe).toEqual(['report_to_root', 'team_chat']);
    expect(s.listen.reviewer).toEqual(['team_chat']);
    expect(s.send.reviewer).toEqual(['feedback', 'report_to_root', 'results', 'team_chat']);
    // The root hears the team, but not the tasks queue swe works from (it would take a share of the tasks).
    expect(s.listen.root).toEqual(['feedback', 'report_to_root', 'results', 'reviewer', 'swe', 'team_chat']);
    expect(s.wires).toEqual(['swe → reviewer', 'swe → root (ping)', 'reviewer → root (ping)']);
    // Only swe takes tasks: the root posts them and so never hears them back.
    const root = groupControl(team, 'root');
    expect([root.send('tasks', 'one').deliveredTo, root.send('tasks', 'two').deliveredTo]).toEqual([['swe'], ['swe']]);
  });

  it('pair_programming: the driver writes and its output reaches the navigator, who steers on feedback', async () => {
    await using team = await build('pair_programming');
    const s = shape(team);
    expect(s.members).toEqual(['root', 'driver', 'navigator']);
    expect(s.types).toMatchObject({ tasks: 'queue', feedback: 'broadcast', results: 'queue', pair_chat: 'broadcast' });
    expect(s.listen.driver).toEqual(['feedback', 'pair_chat', 'tasks']);
    expect(s.send.driver).toEqual(['pair_chat', 'report_to_root', 'results']);
    expect(s.listen.navigator).toEqual(['pair_chat']);
    expect(s.send.navigator).toEqual(['feedback', 'pair_chat', 'report_to_root']);
    expect(s.wires).toEqual(['driver → navigator', 'driver → root (ping)', 'navigator → root (ping)']);
  });

  it('deep_research: the planner fans sub-questions out over a queue shared by two researchers; the writer hears findings', async () => {
    await using team = await build('deep_research');
    const s = shape(team);
    expect(s.members).toEqual(['root', 'planner', 'researcher_1', 'researcher_2', 'writer']);
    expect(s.types).toMatchObject({ questions: 'queue', tasks: 'queue', findings: 'broadcast', final: 'broadcast' });
    expect(s.listen.planner).toEqual(['questions']);
    expect(s.send.planner).toEqual(['findings', 'report_to_root', 'tasks']);
    for (const r of ['researcher_1', 'researcher_2']) {
      expect(s.listen[r]).toEqual(['tasks']);
      expect(s.send[r]).toEqual(['findings', 'report_to_root']);
    }
    expect(s.listen.writer).toEqual(['findings']);
    expect(s.send.writer).toEqual(['final', 'report_to_root']);
    expect(s.wires).toEqual(['planner → root (ping)', 'writer → root (ping)']);
    // Sub-questions alternate between the researchers; the root, which hears the team, takes none of them.
    const planner = groupControl(team, 'planner');
    const takers = ['a', 'b', 'c', 'd'].flatMap((q) => planner.send('tasks', q).deliveredTo);
    expect(takers.sort()).toEqual(['researcher_1', 'researcher_1', 'researcher_2', 'researcher_2']);
    // A question from the root goes to the planner.
    expect(groupControl(team, 'root').send('questions', 'why?').deliveredTo).toEqual(['planner']);
  });

  it('swe_team end to end: root hands out a task, swe answers, the wire takes it to the reviewer, root hears both turns end', async () => {
    const seen: Array<{ member: string; input: string }> = [];
    const replies: Record<string, string> = {
      root: 'I will hand this to swe.',
      swe: 'Added --verbose to cli.ts; test/cli.test.ts passes.',
      reviewer: 'Reviewed: the change is right.',
    };
    // One model for the whole team; it answers as whichever member is asking, told apart by the Team section.
    const answer = (request: LLMRequest): ScriptEntry => {
      const system = request.messages.find((m) => m.role === 'system');
      const member = /You are `([^`]+)`, one creature/.exec(system ? contentText(system.content) : '')?.[1] ?? '?';
      const last = [...request.messages].reverse().find((m) => m.role === 'user');
      seen.push({ member, input: last ? contentText(last.content) : '' });
      return { text: replies[member] ?? 'ok' };
    };
    const llm = new ScriptedLLM(Array.from({ length: 20 }, () => answer));
    await using team = await build('swe_team', llm);

    const root = team.getCreature('root')!;
    expect(await root.run('Add a --verbose flag to the CLI.')).toMatchObject({ text: replies.root });
    // The group tools are not part of this test: the root's send_channel is done through its group control.
    expect(groupControl(team, 'root').send('tasks', 'Add a --verbose flag to cli.ts and test it.').deliveredTo).toEqual(['swe']);

    const pings = () => seen.filter((s) => s.member === 'root' && /^\[output-wire from (swe|reviewer)\] \(turn-end signal, no content\)$/.test(s.input));
    await until(() => pings().length === 2, 'both lifecycle pings at the root');
    // Per member (members run side by side, so only each one's own order is fixed).
    const turns = (member: string) => seen.filter((s) => s.member === member).map((s) => s.input.split('\n')[0]);
    expect(turns('swe')).toEqual(["[Channel 'tasks' from root]: Add a --verbose flag to cli.ts and test it."]);
    expect(turns('reviewer')).toEqual(['swe finished a turn. Its report:']);
    // swe's ping is wired before the reviewer's turn can end, so the root hears it first.
    expect(turns('root')).toEqual([
      'Add a --verbose flag to the CLI.',
      '[output-wire from swe] (turn-end signal, no content)',
      '[output-wire from reviewer] (turn-end signal, no content)',
    ]);
    expect(seen.find((s) => s.member === 'reviewer')!.input).toBe(`swe finished a turn. Its report:\n\n${replies.swe}`);
  });
});
