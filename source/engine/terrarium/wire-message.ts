/**
 * The message an output wire delivers: the source creature's turn-end text
 * in the wire's template. `simple` templates fill `{source}`, `{target}`,
 * `{content}`, `{turn_index}`, `{with_content}`, `{source_event_type}`;
 * `jinja` templates get the same names as variables.
 */
import type { OutputWire } from './topology.js';

export interface WireFacts {
  source: string;
  target: string;
  content: string;
  turnIndex: number;
}

const WITH_CONTENT = '[output-wire from {source}] {content}';
const WITHOUT_CONTENT = '[output-wire from {source}] (turn-end signal, no content)';

export async function wireMessage(wire: OutputWire, facts: WireFacts): Promise<string> {
  const vars: Record<string, string> = {
    source: facts.source,
    target: facts.target,
    content: wire.withContent ? facts.content : '',
    turn_index: String(facts.turnIndex),
    with_content: String(wire.withContent),
    source_event_type: 'turn_end',
  };
  const template = wire.prompt ?? (wire.withContent ? WITH_CONTENT : WITHOUT_CONTENT);
  if (wire.promptFormat === 'jinja') {
    const { default: nunjucks } = await import('nunjucks');
    return new nunjucks.Environment(null, { autoescape: false }).renderString(template, vars);
  }
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
