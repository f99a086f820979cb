/**
 * `--tools recorded`: every tool answers from the log instead of running.
 * The tools themselves are still built from the catalog (same names,
 * schemas, effects and approvals, so the creature looks the same to the
 * model and to plugins); only `execute` is replaced by a lookup of the
 * recorded answer for the call id. Nothing is read, written or run.
 */
import { ToolCatalog } from '../tools/catalog.js';
import type { Tool, ToolContext, ToolOutput } from '../tools/tool.js';
import type { RecordedAnswer } from './recording.js';

/** Where recorded answers come from: a creature's recording by creature name. */
export type AnswerSource = (creature: string) => Map<string, RecordedAnswer[]> | undefined;

/** Tools and catalogs whose tools answer from the log; one per replay (it counts repeated call ids). */
export class RecordedTools {
  private readonly taken = new Map<string, number>();

  constructor(private readonly answers: AnswerSource) {}

  /** A catalog with every tool of `base`, answering from the log. */
  catalog(base: ToolCatalog): ToolCatalog {
    const catalog = new ToolCatalog();
    for (const name of base.names()) {
      const factory = base.get(name);
      if (!factory) continue;
      catalog.register({ name, description: factory.description, create: (options) => this.tool(factory.create(options)) });
    }
    return catalog;
  }

  /** `tool`, answering from the log. */
  tool(tool: Tool): Tool {
    const execute = async (_input: unknown, ctx: ToolContext): Promise<ToolOutput> => {
      // ctx.creature is `name` or `name/sub-agent`: the log is the creature's either way.
      const creature = ctx.creature.split('/')[0] ?? ctx.creature;
      const list = this.answers(creature)?.get(ctx.callId);
      const key = `${creature}\u0000${ctx.callId}`;
      const n = this.taken.get(key) ?? 0;
      const recorded = list?.[Math.min(n, list.length - 1)];
      this.taken.set(key, n + 1);
      if (!recorded) return { output: `replay: the recording has no result for ${tool.name} (call ${ctx.callId})`, isError: true };
      return { output: recorded.parts ?? recorded.output, ...(recorded.isError ? { isError: true } : {}), ...(recorded.metadata ? { metadata: recorded.metadata } : {}) };
    };
    // A plain object, not a prototype trick: a tool class may keep private fields its methods need `this` for.
    return {
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      concurrency: tool.concurrency,
      ...(tool.effect ? { effect: tool.effect } : {}),
      ...(tool.doc !== undefined ? { doc: tool.doc } : {}),
      ...(tool.timeoutMs !== undefined ? { timeoutMs: tool.timeoutMs } : {}),
      parse: (args: unknown) => tool.parse(args),
      execute,
    };
  }
}
