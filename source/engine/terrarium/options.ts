/**
 * How a terrarium and each member it adds are set up.
 */
import type { BuildOptions } from '../creature/agent-options.js';
import type { Env } from '../home.js';
import type { Provider } from '../llm/provider.js';
import type { ChannelHub } from '../channels/hub.js';
import type { TerrariumCreature } from './member.js';

export interface TerrariumOptions {
  /** The team's name (shown in prompts and listings). */
  name?: string;
  /** Members' default working directory. */
  pwd?: string;
  env?: Env;
  /** Model for members that name none (a member's own `llm` wins). */
  llm?: string | Provider;
  /** Passed to every member's `Agent.build` (catalogs, clock, retry, ...). */
  build?: BuildOptions;
  /** Output wires may form a loop; wire-started turns then stop passing on after `maxHops`. */
  allowCycles?: boolean;
  maxHops?: number;
  /**
   * Runs for every member once it is built and before it starts — recipe
   * members and ones added at run time alike — so a host sets each one up the
   * same way (kt sets the approval mode here: no member runs tools unasked).
   */
  prepareMember?: (member: TerrariumCreature) => void | Promise<void>;
  /**
   * Keep the team's session in this folder: `<name>-<id>.kohakutr`, created
   * when the first member joins, holding every member's events, the channel
   * messages and the topology (`Terrarium.resume` continues it).
   */
  sessionDir?: string;
  /**
   * The group tools' view of the team for member `name` (default: this
   * terrarium's). A lab worker passes one that asks the lab's host.
   */
  groupControl?: (team: import('./terrarium.js').Terrarium, name: string) => import('../tools/runtime.js').GroupControl;
  /** The channel hub to route on (a creature that grows a team around itself brings its own); default: a new one. */
  hub?: ChannelHub;
}

export interface AddCreatureOptions {
  /** Its name in the team (default: the config's). */
  name?: string;
  llm?: string | Provider;
  pwd?: string;
  /** May change the team (group_* tools). */
  privileged?: boolean;
  /** Start at once (default true). */
  start?: boolean;
  /** Who added it (recorded; `group_add_node`). */
  parent?: string;
  listen?: string[];
  canSend?: string[];
  /** The recipe it belongs to (its members share a graph, and a session file, even where no edge joins them). */
  recipe?: string;
  /** This member's own build options over the team's (a lab worker resumes a moved creature from its own file: `session`). */
  build?: BuildOptions;
}
