import { describe, expect, it } from 'vitest';
import { MAX_TODOS, TODO_STATE_KEY, todoTool, todosOf } from '../../../source/builtins/tools/todo.js';
import type { ToolResultObject } from '../../../source/engine/tools/tool.js';
import { call, makeContext, result } from './context.js';

const write = async (todos: unknown, ctx = makeContext()) => (await call(todoTool, { todos }, ctx)) as ToolResultObject;

describe('todo', () => {
  it('stores the list, renders it and returns it as metadata', async () => {
    const ctx = makeContext();
    const out = await write(
      [
        { content: 'Read the parser', status: 'completed' },
        { content: 'Write the failing test', status: 'in_progress' },
        { content: 'Fix the bug', status: 'pending' },
      ],
      ctx,
    );
    expect(result(out)).toEqual({
      text: 'Todo list (1/3 completed):\n[x] Read the parser\n[~] Write the failing test\n[ ] Fix the bug',
      isError: false,
    });
    const items = [
      { id: '1', content: 'Read the parser', status: 'completed' },
      { id: '2', content: 'Write the failing test', status: 'in_progress' },
      { id: '3', content: 'Fix the bug', status: 'pending' },
    ];
    expect(out.metadata).toEqual({ todo: items });
    expect(ctx.session.state.get(TODO_STATE_KEY)).toEqual(items);
    expect(todosOf(ctx.session)).toEqual(items);
  });

  it('replaces the whole list on each call', async () => {
    const ctx = makeContext();
    await write([{ content: 'A', status: 'pending' }, { content: 'B', status: 'pending' }], ctx);
    const out = await write([{ content: 'B', status: 'completed', id: 'b' }], ctx);
    expect(result(out).text).toBe('Todo list (1/1 completed):\n[x] B');
    expect(todosOf(ctx.session)).toEqual([{ id: 'b', content: 'B', status: 'completed' }]);
  });

  it('keeps given ids and numbers the rest around them', async () => {
    const out = await write([
      { content: 'one', status: 'pending', id: '2' },
      { content: 'two', status: 'pending' },
      { content: 'three', status: 'pending' },
    ]);
    expect((out.metadata?.['todo'] as Array<{ id: string }>).map((i) => i.id)).toEqual(['2', '1', '3']);
  });

  it('allows at most one step in progress, and leaves the list alone otherwise', async () => {
    const ctx = makeContext();
    await write([{ content: 'keep me', status: 'pending' }], ctx);
    await expect(
      write(
        [
          { content: 'first', status: 'in_progress' },
          { content: 'second', status: 'in_progress' },
        ],
        ctx,
      ),
    ).rejects.toThrow('only one step may be in_progress at a time, but 2 are: "first", "second"');
    expect(todosOf(ctx.session)).toEqual([{ id: '1', content: 'keep me', status: 'pending' }]);
  });

  it('rejects duplicate ids', async () => {
    await expect(
      write([
        { content: 'a', status: 'pending', id: 'x' },
        { content: 'b', status: 'pending', id: 'x' },
      ]),
    ).rejects.toThrow('the id "x" is used twice');
  });

  it('clears the list with an empty one', async () => {
    const ctx = makeContext();
    await write([{ content: 'a', status: 'pending' }], ctx);
    const out = await write([], ctx);
    expect(result(out).text).toBe('Todo list cleared.');
    expect(out.metadata).toEqual({ todo: [] });
    expect(todosOf(ctx.session)).toEqual([]);
  });

  it('metadata is a copy the caller cannot change the stored list through', async () => {
    const ctx = makeContext();
    const out = await write([{ content: 'a', status: 'pending' }], ctx);
    (out.metadata?.['todo'] as Array<{ status: string }>)[0]!.status = 'completed';
    expect(todosOf(ctx.session)[0]?.status).toBe('pending');
  });

  it('rejects bad arguments', async () => {
    const tool = todoTool.create({});
    expect(tool.parse({}).ok).toBe(false);
    expect(tool.parse({ todos: [{ content: 'x', status: 'done' }] }).ok).toBe(false);
    expect(tool.parse({ todos: [{ content: '   ', status: 'pending' }] }).ok).toBe(false);
    expect(tool.parse({ todos: [{ status: 'pending' }] }).ok).toBe(false);
    const many = Array.from({ length: MAX_TODOS + 1 }, (_, i) => ({ content: `t${i}`, status: 'pending' }));
    expect(tool.parse({ todos: many }).ok).toBe(false);
    expect(tool.parse({ todos: many.slice(1) }).ok).toBe(true);
    expect(todosOf(makeContext().session)).toEqual([]);
  });
});
