/**
 * A terrarium session replayed: the team is rebuilt from its recipe (the
 * file's, the inline copy the session keeps, or `options.recipe`; with none,
 * from the saved topology and member specs), every member is served its own
 * recorded model responses, and each member plays its own recorded turns —
 * the ones a person gave, and those a channel message, a wire or a trigger
 * started, with the recorded input and origin (members are built with their
 * triggers off, so a send or a wire starts nothing by itself and no turn is
 * started twice). `TeamOrder` keeps members in their recorded order. Each
 * member's calls and answers are compared with its recording; a divergence
 * names the member.
 */
import { existsSync } from 'node:fs';
import type { Agent } from '../creature/agent.js';
import type { BuildOptions } from '../creature/agent-options.js';
import { UsageError } from '../errors.js';
import type { AgentEvent } from '../events.js';
import type { Provider } from '../llm/provider.js';
import { SessionStore } from '../session/store.js';
import { MEMBERS_KEY, RECIPE_KEY, TOPOLOGY_KEY } from '../session/team-state.js';
import type { MemberSpec } from '../terrarium/graph-session.js';
import { layOver } from '../terrarium/resume.js';
import { Terrarium } from '../terrarium/terrarium.js';
import type { TopologyData } from '../terrarium/topology.js';
import { toolCatalog } from '../tools/catalog.js';
import { answerFromRecording, playTurns } from './drive.js';
import { RecordedTools } from './recorded-tools.js';
import type { CreatureRecording, Recording } from './recording.js';
import { compareCreature, type CreatureRun, type ReplayOptions } from './replay-session.js';
import { jobLandingPlugin } from './job-holds.js';
import { TeamOrder } from './team-order.js';
import { TeamReplayProvider } from './team-provider.js';

interface TeamPlan {
  recipe?: string | Record<string, unknown>;
  topology?: TopologyData;
  specs: Record<string, MemberSpec>;
}

/** Where the team comes from: the recipe asked for, the recorded recipe file, the inline copy, else the saved graph. */
function planOf(recording: Recording, options: ReplayOptions): TeamPlan {
  const store = SessionStore.open(recording.path, { readonly: true });
  try {
    const { meta } = recording;
    const specs = store.getState<Record<string, MemberSpec>>(MEMBERS_KEY) ?? {};
    const topology = store.getState<TopologyData>(TOPOLOGY_KEY);
    const recipe = options.recipe ?? (meta.configPath && existsSync(meta.configPath) ? meta.configPath : store.getState<Record<string, unknown>>(RECIPE_KEY));
    if (recipe) return { recipe, specs };
    if (!topology) throw new UsageError(`${recording.path} keeps neither the team's recipe nor its topology: pass the recipe to replay (--recipe)`);
    return { topology, specs };
  } finally {
    store.close();
  }
}

export async function replayTeam(recording: Recording, pwd: string, options: ReplayOptions): Promise<CreatureRun[]> {
  const plan = planOf(recording, options);
  const live = options.llm !== undefined;
  const provider = live ? undefined : new TeamReplayProvider(recording.creatures);
  const byName = new Map(recording.creatures.map((c) => [c.name, c]));
  const recorded = options.tools === 'recorded' ? new RecordedTools((name) => byName.get(name)?.answers) : undefined;
  const build: BuildOptions = {
    ...options.build,
    ...(provider ? { allModels: provider, plugins: [...(options.build?.plugins ?? []), jobLandingPlugin((name) => provider.members.get(name)?.jobs)] } : {}),
    ...(recorded ? { catalog: recorded.catalog(options.build?.catalog ?? toolCatalog), tools: (options.build?.tools ?? []).map((t) => recorded.tool(t)) } : {}),
    triggers: 'off',
    input: 'none',
    outputs: 'none',
  };
  const order = new TeamOrder();
  const events = new Map<string, AgentEvent[]>();
  const agents = new Map<string, Agent>();
  const cleanups: Array<() => void> = [];
  // Every member, from the recipe or added by a privileged one while replaying, is followed before it starts.
  const prepareMember = (member: { name: string; agent: Agent }) => {
    const list: AgentEvent[] = [];
    events.set(member.name, list);
    agents.set(member.name, member.agent);
    cleanups.push(member.agent.on((event) => list.push(event)));
    cleanups.push(order.follow(member.name, member.agent));
    const served = provider?.members.get(member.name);
    if (served) cleanups.push(served.follow(member.agent));
    const creature = byName.get(member.name);
    if (creature) cleanups.push(answerFromRecording(member.agent, creature));
  };
  const team = new Terrarium({
    ...(recording.meta.terrariumName ? { name: recording.meta.terrariumName } : {}),
    pwd,
    build,
    prepareMember,
    ...(options.env ? { env: options.env } : {}),
    ...(live ? { llm: options.llm as string | Provider } : {}),
  });
  try {
    if (plan.recipe) await team.applyRecipe(plan.recipe, { start: false });
    else if (plan.topology) await layOver(team, plan.topology, plan.specs, recording.path);
    for (const member of team.listCreatures()) await team.startCreature(member.name);
    await Promise.all(recording.creatures.map((creature) => playMember(creature, agents, order, provider)));
  } finally {
    await team.shutdown();
    for (const cleanup of cleanups) cleanup();
  }
  return recording.creatures.map((creature) =>
    compareCreature(recording, creature, events.get(creature.name) ?? [], pwd, options, provider?.members.get(creature.name), provider ? creature.model : modelOf(agents.get(creature.name), options)),
  );
}

/** One member's recorded turns, each after the other members got as far as they had; a member that never appeared plays nothing. */
async function playMember(creature: CreatureRecording, agents: Map<string, Agent>, order: TeamOrder, provider: TeamReplayProvider | undefined): Promise<void> {
  const [first] = creature.turns;
  if (first) await order.until(first.needs, first.at);
  const agent = agents.get(creature.name);
  if (!agent) return;
  const served = provider?.members.get(creature.name);
  await playTurns(agent, creature, {
    beforeTurn: (turn) => order.until(turn.needs, turn.at),
    windingDown: () => served?.releaseAll(),
  });
}

function modelOf(agent: Agent | undefined, options: ReplayOptions): string {
  return agent?.model ?? (typeof options.llm === 'string' ? options.llm : (options.llm?.id ?? '?'));
}
