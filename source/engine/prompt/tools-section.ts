/**
 * The tool parts of the system prompt: the `## Tools` section (an index or
 * full docs) and the `## Tool guidance` section built from tools' own
 * prompt contributions.
 */

/** What the prompt needs of a tool; an engine `Tool` fits as it is. */
export interface PromptTool {
  readonly name: string;
  /** One line for the index. */
  readonly description: string;
  /** Full documentation for static mode; falls back to the description. */
  readonly doc?: string;
}

/** `dynamic`: one line per tool, docs on demand through `info`; `static`: every tool's full doc inline. */
export type ToolDocMode = 'dynamic' | 'static';

export type GuidanceBucket = 'first' | 'normal' | 'last';

/** A tool's contribution to the prompt (how to use it well, house rules). */
export interface ToolGuidance {
  tool: string;
  text: string;
  /** Default `normal`. */
  bucket?: GuidanceBucket;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Tools in the creature's order: the names in `order` first, as listed, then
 * any others by name. Without `order`, an array keeps its own order and a
 * Map is sorted by name (its insertion order is an accident of how it was
 * filled, and must not change the prompt).
 */
export function orderTools(tools: Iterable<PromptTool> | ReadonlyMap<string, PromptTool>, order?: readonly string[]): PromptTool[] {
  const isMap = tools instanceof Map;
  const list: PromptTool[] = isMap ? [...(tools as ReadonlyMap<string, PromptTool>).values()] : [...(tools as Iterable<PromptTool>)];
  const byName = new Map<string, PromptTool>();
  for (const tool of list) if (!byName.has(tool.name)) byName.set(tool.name, tool);
  if (!order) return isMap ? [...byName.values()].sort((a, b) => compare(a.name, b.name)) : [...byName.values()];
  const out: PromptTool[] = [];
  for (const name of order) {
    const tool = byName.get(name);
    if (tool) {
      out.push(tool);
      byName.delete(name);
    }
  }
  return [...out, ...[...byName.values()].sort((a, b) => compare(a.name, b.name))];
}

/** The first non-empty line of a description, whitespace collapsed. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? '';
  return line.replace(/\s+/g, ' ').trim();
}

/** `## Tools`, or '' when there are none. `tools` must already be in order. */
export function toolsSection(tools: readonly PromptTool[], mode: ToolDocMode): string {
  if (tools.length === 0) return '';
  if (mode === 'static') {
    const docs = tools.map((tool) => `### ${tool.name}\n\n${(tool.doc ?? tool.description).trim() || '(no documentation)'}`);
    return ['## Tools', ...docs].join('\n\n');
  }
  const lines = tools.map((tool) => {
    const description = firstLine(tool.description);
    return description ? `- ${tool.name}: ${description}` : `- ${tool.name}`;
  });
  const infoNote = tools.some((tool) => tool.name === 'info') ? ['', 'Call `info` with a tool name to read its full documentation before first using it.'] : [];
  return ['## Tools', '', ...lines, ...infoNote].join('\n');
}

const BUCKETS: Record<GuidanceBucket, number> = { first: 0, normal: 1, last: 2 };

/** `## Tool guidance`, ordered by bucket, then tool name, then text; '' when empty. */
export function guidanceSection(guidance: readonly ToolGuidance[]): string {
  const kept = guidance.filter((g) => g.text.trim());
  if (kept.length === 0) return '';
  const sorted = [...kept].sort(
    (a, b) => BUCKETS[a.bucket ?? 'normal'] - BUCKETS[b.bucket ?? 'normal'] || compare(a.tool, b.tool) || compare(a.text, b.text),
  );
  return ['## Tool guidance', ...sorted.map((g) => g.text.trim())].join('\n\n');
}
