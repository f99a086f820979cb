/**
 * `todo`: the creature's plan as a checklist. Each call replaces the whole
 * list (the model resends it with statuses changed), which keeps the tool
 * stateless for the model and the list always consistent. The list lives in
 * the tool session's state under `todo.items`; the result carries it as
 * `metadata.todo`, so a UI can draw it from the `tool.result` event.
 */
import { z } from 'zod';
import { ToolError } from '../../engine/errors.js';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolContext, ToolResultObject, ToolSession } from '../../engine/tools/tool.js';

/** The tool-session state key holding the current list (`TodoItem[]`). */
export const TODO_STATE_KEY = 'todo.items';

export const MAX_TODOS = 100;
const MAX_CONTENT_CHARS = 1000;

export type TodoStatus = 'pending' | 'in_progress' | 'completed';

export interface TodoItem {
  id: string;
  content: string;
  status: TodoStatus;
}

const MARK: Record<TodoStatus, string> = { completed: '[x]', in_progress: '[~]', pending: '[ ]' };

const item = () => z.object({
  content: z.string().trim().min(1).max(MAX_CONTENT_CHARS).describe('What the step is, in a few words (imperative: "Add tests for the parser").'),
  status: z.enum(['pending', 'in_progress', 'completed']).describe('"pending", "in_progress" (at most one step at a time) or "completed".'),
  id: z.string().trim().min(1).max(64).optional().describe('A stable id for the step; given when absent.'),
});

const input = builtinInput('todo', () => z.object({
  todos: z.array(item()).max(MAX_TODOS).describe('The complete list, in order. It replaces the previous list; an empty list clears it.'),
}));

type Args = z.output<typeof input>;

const DESCRIPTION = 'Write your task plan as a checklist the user can see; each call replaces the whole list.';

const DOC = `Keep a visible checklist of the steps of a multi-step task. The user sees it, so it shows where you are.

Each call sends the **whole** list, in order; it replaces the previous one. To tick a step off, send the list again with that step's status changed.

Each item: \`content\` (the step, in a few words), \`status\` (\`pending\`, \`in_progress\` or \`completed\`), and optionally \`id\`.

- Mark a step \`in_progress\` before you start it and \`completed\` as soon as it is done; at most one step is \`in_progress\` at a time.
- Add steps you discover on the way; remove ones that turn out unnecessary.
- Skip the list for tasks of one or two trivial steps.
- An empty list clears it.

The answer shows the list as \`[x]\` done, \`[~]\` in progress, \`[ ]\` pending.`;

const TOOL = 'todo';

export const todoTool: ToolFactory = {
  name: 'todo',
  description: DESCRIPTION,
  create: () =>
    tool({
      name: 'todo',
      description: DESCRIPTION,
      doc: DOC,
      input,
      execute: (args, ctx) => writeTodos(args, ctx),
    }),
};

/** The current list of a tool session (empty when none was written). */
export function todosOf(session: ToolSession): TodoItem[] {
  const items = session.state.get(TODO_STATE_KEY);
  return Array.isArray(items) ? (items as TodoItem[]) : [];
}

function writeTodos(args: Args, ctx: ToolContext): ToolResultObject {
  const active = args.todos.filter((t) => t.status === 'in_progress');
  if (active.length > 1) {
    const names = active.map((t) => `"${t.content}"`).join(', ');
    throw new ToolError(`only one step may be in_progress at a time, but ${active.length} are: ${names}. Mark the others pending or completed. The list was not changed.`, {
      tool: TOOL,
    });
  }
  const given = new Set<string>();
  for (const todo of args.todos) {
    if (todo.id === undefined) continue;
    if (given.has(todo.id)) throw new ToolError(`the id "${todo.id}" is used twice; ids must be unique. The list was not changed.`, { tool: TOOL });
    given.add(todo.id);
  }
  // Steps without an id get the smallest free number, so ids the model chose stay untouched.
  let next = 1;
  const items: TodoItem[] = args.todos.map((todo) => {
    let id = todo.id;
    if (id === undefined) {
      while (given.has(String(next))) next++;
      id = String(next++);
    }
    return { id, content: todo.content, status: todo.status };
  });

  ctx.session.state.set(TODO_STATE_KEY, items);
  return { output: render(items), metadata: { todo: items.map((i) => ({ ...i })) } };
}

function render(items: TodoItem[]): string {
  if (!items.length) return 'Todo list cleared.';
  const done = items.filter((i) => i.status === 'completed').length;
  const lines = items.map((i) => `${MARK[i.status]} ${i.content}`);
  return `Todo list (${done}/${items.length} completed):\n${lines.join('\n')}`;
}
