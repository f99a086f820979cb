import { describe, expect, it } from 'vitest';
import { builtinToolFactories, registerBuiltinTools } from '../../../source/builtins/tools/index.js';
import { ToolCatalog } from '../../../source/engine/tools/catalog.js';

describe('built-in tool catalog', () => {
  it('registers every built-in tool once, keeping names already taken', () => {
    const catalog = new ToolCatalog();
    const custom = { name: 'bash', description: 'replacement', create: () => builtinToolFactories[0]!.create({}) };
    catalog.register(custom);
    registerBuiltinTools(catalog);
    registerBuiltinTools(catalog);
    expect(catalog.names()).toEqual(['add_schedule', 'add_timer', 'ask_user', 'bash', 'delete_trigger', 'edit', 'glob', 'grep', 'group_add_node', 'group_channel', 'group_remove_node', 'group_send', 'group_start_node', 'group_status', 'group_stop_node', 'group_wire', 'info', 'jobs', 'json_read', 'json_write', 'list_triggers', 'mcp_call', 'mcp_connect', 'mcp_disconnect', 'mcp_list', 'mcp_read_resource', 'multi_edit', 'notebook_edit', 'notebook_read', 'python', 'read', 'read_job', 'scratchpad', 'search_memory', 'send_channel', 'send_message', 'show_card', 'skill', 'stop_task', 'todo', 'tree', 'wait', 'watch_channel', 'web_fetch', 'web_search', 'write']);
    expect(catalog.get('bash')).toBe(custom);
  });

  it('builds tools whose names, schemas and one-line descriptions line up', () => {
    for (const factory of builtinToolFactories) {
      const tool = factory.create({});
      expect(tool.name).toBe(factory.name);
      expect(tool.description).toBe(factory.description);
      expect(tool.description).not.toContain('\n');
      expect(tool.doc).toBeTruthy();
      expect(tool.parameters).toMatchObject({ type: 'object' });
    }
  });
});
