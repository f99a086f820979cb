/**
 * The system-prompt section that teaches a model the text format. Built
 * from the format itself, so a custom format is described with its own
 * delimiters, and deterministic (same input, same text), so the prompt
 * stays cacheable. The wording is short on purpose: it is in every request.
 */
import { closeTag, openTag, type ToolCallFormat } from './format.js';
import { renderCall } from './render.js';

export interface HintExample {
  name: string;
  /** Argument lines / attributes, in this order. */
  args?: Readonly<Record<string, string>>;
  /** The body. */
  content?: string;
}

export interface FrameworkHintOptions {
  /** The callable tools, in prompt order. */
  toolNames: readonly string[];
  /** The example call; by default a `bash` call if there is one, else a placeholder call of the first tool. */
  example?: HintExample;
  /**
   * Tool name → the argument its body fills (`contentArgFor`). When given,
   * the hint lists them, so the model knows what to write in the body.
   */
  bodyArgs?: Readonly<Record<string, string>>;
}

function defaultExample(toolNames: readonly string[]): HintExample {
  if (toolNames.includes('bash')) return { name: 'bash', args: { description: 'List the source folder' }, content: 'ls -la src' };
  return { name: toolNames[0] ?? 'tool_name', args: { argument: 'value' }, content: 'main input' };
}

/**
 * The two halves of the text-format hint, which creatures may override one
 * at a time (see engine/prompt/hint-blocks.ts): how to write a call
 * (`execution`) and what happens to its output (`output`).
 */
export interface FrameworkHintParts {
  execution: string;
  output: string;
}

/** The prompt section for a text format. */
export function frameworkHints(format: ToolCallFormat, options: FrameworkHintOptions): string {
  const parts = frameworkHintParts(format, options);
  return `${parts.execution}\n${parts.output}`;
}

/** `frameworkHints`, as its two overridable halves. */
export function frameworkHintParts(format: ToolCallFormat, options: FrameworkHintOptions): FrameworkHintParts {
  const example = options.example ?? defaultExample(options.toolNames);
  const call = renderCall(format, example.name, Object.entries(example.args ?? {}), example.content);
  const inline = format.arg_style === 'inline';
  const slash = format.slash_means_open ? '/' : '';
  const kv = (value: string) => `key${format.arg_kv_sep}${value}`;

  const lines = ['## Calling tools', '', 'To use a tool, write a call block in your reply, like this:', '', call, ''];
  if (inline) {
    const head = `${format.start_char}${slash}name ${kv('"value"')}`;
    lines.push(
      `- A call opens with ${head}${format.end_char} and closes with ${closeTag(format, 'name')}, with the same tool name. Without a body it may close itself: ${head}/${format.end_char}.`,
      '- Arguments are attributes in the open tag, each value in double or single quotes.',
      '- The text between the tags is the main input, written as is: no quoting, no escaping.',
    );
  } else {
    lines.push(
      `- A call opens with ${openTag(format, 'name')} and closes with ${closeTag(format, 'name')}, with the same tool name.`,
      `- Arguments come first, one per line: ${format.arg_prefix}${kv('value')}. A value ends at the end of its line.`,
      '- The rest of the block is the main input, written as is: no quoting, no escaping.',
    );
  }
  const bodyArgs = options.toolNames.filter((name) => options.bodyArgs?.[name] !== undefined).map((name) => `${name} → ${options.bodyArgs?.[name]}`);
  if (bodyArgs.length) lines.push(`- The main input is the argument: ${bodyArgs.join(', ')}.`);
  lines.push(
    '- A call runs as soon as its close tag is written; you may make several calls in one reply.',
    `- Tools: ${options.toolNames.length ? options.toolNames.join(', ') : '(none)'}. A tag with any other name is printed as plain text and runs nothing.`,
    "- Only write a tool's tags to call it. A body ends at the first close tag of its name; a call still open when your reply ends does not run.",
  );
  return {
    execution: lines.join('\n'),
    output: '- Results arrive in the next user message, one "## <name> - OK" (or ERROR, exit=N, ...) section per call. Never write results yourself: after your calls, stop and wait.',
  };
}

/** The one line for native function calling. */
export function nativeHints(): string {
  return 'Call tools through the function-calling interface, never as text; results come back as tool messages.';
}
