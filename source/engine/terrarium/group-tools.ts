/**
 * The names of the group tools, apart from the code that serves them, so a
 * host can list them without loading the terrarium (kt run of one creature).
 */

/** Tools every member of a team gets. */
export const MEMBER_TOOLS = ['send_channel', 'group_send'] as const;
/** Tools only privileged members get. */
export const GROUP_TOOLS = ['group_add_node', 'group_remove_node', 'group_start_node', 'group_stop_node', 'group_channel', 'group_wire', 'group_status'] as const;
/**
 * What a creature run on its own gets: it may grow a team of helpers, talk to
 * them and see them. The rest arrive with a recipe's root.
 */
export const SOLO_TOOLS = ['group_add_node', 'group_remove_node', 'group_send', 'group_status'] as const;
