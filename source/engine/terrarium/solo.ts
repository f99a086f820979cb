/**
 * A creature run on its own is privileged: it may grow a team of helpers
 * around itself. The team does not exist until it is needed: the first
 * group tool call that changes it makes a terrarium on the creature's own
 * channel hub and takes the creature in as its privileged member, so a
 * creature that never asks for help never loads any of this.
 */
import type { Agent } from '../creature/agent.js';
import type { GroupControl, GroupStatus } from '../tools/runtime.js';
import type { TerrariumOptions } from './options.js';

export interface SoloTeam {
  /** What the creature's group tools act on (give it to `Agent.build` as `group`). */
  readonly control: GroupControl;
  /** The creature, once built (the team is made around it on first need). */
  bind(agent: Agent): void;
  /** Stop the helpers (the creature stops with its own surface). */
  shutdown(): Promise<void>;
}

/** `options` are the team's: the model helpers default to, how each is prepared (approval mode), build options. */
export function soloTeam(name: string, options: Omit<TerrariumOptions, 'hub' | 'name'> = {}): SoloTeam {
  let agent: Agent | undefined;
  let made: Promise<GroupControl> | undefined;
  let real: GroupControl | undefined;
  let shutdown: (() => Promise<void>) | undefined;
  const team = (): Promise<GroupControl> => {
    made ??= (async () => {
      if (!agent) throw new Error('the creature is not ready yet');
      const [{ Terrarium }, { groupControl }] = await Promise.all([import('./terrarium.js'), import('./group-control.js')]);
      const terrarium = new Terrarium({ ...options, name, pwd: options.pwd ?? agent.cwd, hub: agent.channels });
      shutdown = async () => {
        // The creature itself belongs to its surface: only the helpers stop here.
        for (const member of terrarium.listCreatures()) if (member.name !== name) await terrarium.removeCreature(member.name);
      };
      await terrarium.adopt(agent, { privileged: true });
      real = groupControl(terrarium, name);
      return real;
    })();
    return made;
  };
  const alone = (): GroupStatus => ({
    team: name,
    creatures: [{ name, id: agent?.creatureId ?? name, state: agent?.state ?? 'idle', privileged: true, listen: [name], canSend: [] }],
    channels: [{ name, type: 'broadcast', description: `direct messages to ${name}`, listeners: [name] }],
    wires: [],
  });
  const nobody = (): never => {
    throw new Error('you have no helpers yet; add one with group_add_node');
  };
  const control: GroupControl = {
    self: name,
    privileged: true,
    send: (channel, message, o) => (real ? real.send(channel, message, o) : nobody()),
    direct: (to, message) => (real ? real.direct(to, message) : nobody()),
    status: () => (real ? real.status() : alone()),
    addNode: async (ref, o) => (await team()).addNode(ref, o),
    removeNode: async (n) => (real ? real.removeNode(n) : nobody()),
    startNode: async (n) => (real ? real.startNode(n) : nobody()),
    stopNode: async (n) => (real ? real.stopNode(n) : nobody()),
    channel: async (action, channel, o) => (await team()).channel(action, channel, o),
    wire: async (action, o) => (await team()).wire(action, o),
  };
  return {
    control,
    bind: (built) => {
      agent = built;
    },
    shutdown: async () => {
      await shutdown?.();
    },
  };
}
