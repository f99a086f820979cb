/**
 * The coordinator's tools for who is on the team: `group_add_node`,
 * `group_remove_node`, `group_start_node`, `group_stop_node`. Each starts
 * or ends a running creature — a model with tools of its own — so each
 * declares the `execute` effect: under the default and auto-edit approval
 * modes a person is asked first, plan mode refuses them, yolo runs them.
 */
import { resolve } from 'node:path';
import { z } from 'zod';
import { locateCreature } from '../../engine/config/locate.js';
import { parsePackageRef } from '../../engine/packages/registry.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import { acting, GROUP_PREFIX, groupOf } from './group-common.js';

const addInput = builtinInput('group-nodes.addInput', () =>
  z.object({
  config: z.string().min(1).describe('The new member\'s creature: a config file or folder (relative to your working directory), `creatures/<name>`, or a package reference such as "@kt-biome/creatures/general".'),
  name: z.string().min(1).max(64).optional().describe("Its name in the team (default: the config's name)."),
  llm: z.string().min(1).optional().describe("The model it runs on (default: its config's, else the team's)."),
  pwd: z.string().min(1).optional().describe('Its working directory, relative to yours (default: yours).'),
  listen: z.array(z.string().min(1)).optional().describe('Existing channels it listens on (it always hears its own direct channel).'),
  can_send: z.array(z.string().min(1)).optional().describe('Existing channels it may send on.'),
}));

const ADD_DESCRIPTION = `${GROUP_PREFIX}add a creature to the team from a config (coordinators only); it starts at once`;

export const groupAddNodeTool: ToolFactory = {
  name: 'group_add_node',
  description: ADD_DESCRIPTION,
  create: () =>
    tool({
      name: 'group_add_node',
      description: ADD_DESCRIPTION,
      doc: [
        'Builds a creature from `config` and adds it to the team, running. It is not privileged, and you are recorded as its parent.',
        '`config` is a config file or folder (relative paths start at your working directory, `creatures/<name>` is also looked for in parent folders) or a package reference (`@pkg/creatures/x`).',
        'Optional: `name` (must be unused), `llm`, `pwd` (relative to yours), `listen` and `can_send` (channels that exist; create new ones with `group_channel`).',
        'It hears its own direct channel at once: reach it with `group_send`, or wire it up with `group_channel` / `group_wire`. A bad config or model is refused with the reason and nothing is added.',
      ].join('\n\n'),
      input: addInput,
      effect: 'execute',
      concurrency: 'exclusive',
      async execute(args, ctx) {
        const group = groupOf(ctx, 'group_add_node');
        const added = await acting('group_add_node', () => {
          // Relative configs start where the caller works, not where the process was started. A
          // non-coordinator's call goes to the team as it is, to be refused for what it is, not for its path.
          const local = group.privileged && !parsePackageRef(args.config);
          const ref = local ? locateCreature(args.config, ctx.cwd, ctx.env).configFile : args.config;
          return group.addNode(ref, {
            ...(args.name ? { name: args.name } : {}),
            ...(args.llm ? { llm: args.llm } : {}),
            pwd: resolve(ctx.cwd, args.pwd ?? '.'),
            ...(args.listen ? { listen: args.listen } : {}),
            ...(args.can_send ? { canSend: args.can_send } : {}),
          });
        });
        const edges = [args.listen?.length ? `listens on ${args.listen.join(', ')}` : '', args.can_send?.length ? `may send to ${args.can_send.join(', ')}` : ''].filter(Boolean);
        return `Added ${added.name} (${added.id}) to the team: running, not privileged, parent ${group.self}${edges.length ? `; ${edges.join('; ')}` : ''}. Reach it with group_send to=${added.name}.`;
      },
    }),
};

const nameInput = builtinInput('group-nodes.nameInput', () =>
  z.object({
  name: z.string().min(1).describe('The member (its name or id).'),
}));

function nodeTool(spec: { name: string; description: string; doc: string; act: (group: ReturnType<typeof groupOf>, name: string) => Promise<void>; done: (name: string) => string }): ToolFactory {
  const description = `${GROUP_PREFIX}${spec.description}`;
  return {
    name: spec.name,
    description,
    create: () =>
      tool({
        name: spec.name,
        description,
        doc: spec.doc,
        input: nameInput,
        effect: 'execute',
        concurrency: 'exclusive',
        async execute({ name }, ctx) {
          const group = groupOf(ctx, spec.name);
          await acting(spec.name, () => spec.act(group, name));
          return spec.done(name);
        },
      }),
  };
}

export const groupRemoveNodeTool = nodeTool({
  name: 'group_remove_node',
  description: 'stop a member and take it out of the team (coordinators only)',
  doc: 'Stops the member `name` (interrupting a running turn) and removes it with its channel edges, its direct channel and the wires from and to it. Privileged members cannot be removed.',
  act: (group, name) => group.removeNode(name),
  done: (name) => `Removed ${name} from the team, with its channel edges and wires.`,
});

export const groupStartNodeTool = nodeTool({
  name: 'group_start_node',
  description: 'start a stopped member again (coordinators only)',
  doc: 'Starts the member `name` again after `group_stop_node`: it listens on its channels and takes turns. A running member is left as it is.',
  act: (group, name) => group.startNode(name),
  done: (name) => `${name} is running.`,
});

export const groupStopNodeTool = nodeTool({
  name: 'group_stop_node',
  description: 'stop a member without removing it (coordinators only)',
  doc: 'Stops the member `name`: its running turn is interrupted and it hears nothing until `group_start_node`. Its edges, wires and conversation are kept. You cannot stop yourself.',
  act: (group, name) => group.stopNode(name),
  done: (name) => `Stopped ${name}; it hears nothing until group_start_node name=${name}.`,
});
