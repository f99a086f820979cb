/**
 * Building a team from a recipe: channels first, then every member (built
 * but not started, so a bad member fails before anything runs), their
 * edges, the root's extras (it hears every channel but the queues other
 * members work from, everyone may report to it), the output wires (a loop
 * is refused unless the recipe allows it), and last, everyone starts.
 */
import { defineCreature } from '../config/loader.js';
import { ConfigError, UsageError } from '../errors.js';
import type { Env } from '../home.js';
import type { Provider } from '../llm/provider.js';
import type { TerrariumCreature } from './member.js';
import { REPORT_CHANNEL, ROOT_NAME, type Recipe, type RecipeMember } from './recipe.js';
import type { Terrarium } from './terrarium.js';

export interface ApplyOptions {
  env?: Env;
  llm?: string | Provider;
  /** Build the members without starting them. */
  start?: boolean;
}

export async function applyRecipe(team: Terrarium, recipe: Recipe, options: ApplyOptions = {}): Promise<TerrariumCreature[]> {
  team.allowCycles = recipe.allowCycles;
  team.maxHops = recipe.maxHops;
  for (const channel of recipe.channels) team.addChannel(channel.name, { type: channel.type, description: channel.description });
  if (recipe.root) team.addChannel(REPORT_CHANNEL, { description: `members report to ${recipe.root.name}` });
  const all = [...(recipe.root ? [recipe.root] : []), ...recipe.members];
  const built: TerrariumCreature[] = [];
  for (const member of all) {
    const definition = defineCreature(member.config, {
      ...(options.env ? { env: options.env } : {}),
      folder: recipe.folder,
      source: { file: recipe.source.file, locate: (path) => recipe.source.locate([...member.keyPath, ...path]) },
    });
    const listen = [...member.listen];
    const canSend = [...member.canSend];
    if (recipe.root && !member.isRoot) canSend.push(REPORT_CHANNEL);
    built.push(
      await team.addCreature(definition, {
        name: member.name,
        privileged: member.privileged,
        start: false,
        listen,
        canSend,
        recipe: recipe.name,
        ...(options.llm ? { llm: options.llm } : {}),
      }),
    );
  }
  // The root hears everything said in the team, except on a queue other members work from:
  // a queue hands each message to one listener, and the root would take its share of the work.
  if (recipe.root) {
    for (const channel of team.topology.channelList()) {
      if (channel.name === recipe.root.name) continue;
      if (channel.type === 'queue' && team.topology.listenersOf(channel.name).some((who) => who !== recipe.root?.name)) continue;
      await team.setListen(recipe.root.name, channel.name, true);
    }
  }
  for (const member of all) wireMember(team, recipe, member);
  if (options.start ?? true) for (const member of built) await team.startCreature(member.name);
  return built;
}

function wireMember(team: Terrarium, recipe: Recipe, member: RecipeMember): void {
  member.wiring.forEach((entry, index) => {
    const wire = typeof entry === 'string' ? { to: entry } : entry;
    const to = wire.to === ROOT_NAME && recipe.root ? recipe.root.name : wire.to;
    try {
      team.wireOutput(member.name, to, {
        withContent: wire.with_content ?? true,
        ...(wire.prompt ? { prompt: wire.prompt } : {}),
        ...(wire.prompt_format ? { promptFormat: wire.prompt_format } : {}),
        ...(wire.allow_self_trigger !== undefined ? { allowSelfTrigger: wire.allow_self_trigger } : {}),
      });
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      const keyPath = [...member.keyPath, 'output_wiring', index];
      const pos = recipe.source.locate(keyPath);
      throw new ConfigError(error.message, { file: recipe.source.file, keyPath, ...(pos ? { line: pos.line, column: pos.column } : {}) });
    }
  });
}
