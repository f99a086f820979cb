/**
 * One chat item each: a user message, a (streaming) answer rendered from
 * markdown, a tool block (arguments, diff, output tail), a sub-agent run with
 * its own items inside. Pure props in, markup out: rendered on the server in
 * tests (react-dom/server), so no effects here.
 */
import type { ChatItem } from '../state/chat.js';
import { renderMarkdown } from '../markdown.js';

export function ChatItems({ items }: { items: readonly ChatItem[] }) {
  return (
    <ol className="items">
      {items.map((item) => (
        <li key={item.key} className={`item item-${item.kind}`}>
          <ChatItemView item={item} />
        </li>
      ))}
    </ol>
  );
}

function ChatItemView({ item }: { item: ChatItem }) {
  switch (item.kind) {
    case 'user':
      return <div className="bubble user-text">{item.text}</div>;
    case 'assistant':
      // renderMarkdown escapes raw HTML and drops unsafe URLs (markdown.ts), so the model's text cannot inject markup.
      return <div className={`markdown${item.streaming ? ' streaming' : ''}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(item.text) }} />;
    case 'tool':
      return <ToolBlock tool={item} />;
    case 'subagent':
      return (
        <details className="subagent" open={item.state === 'running'}>
          <summary>
            <span className={`badge state-${item.state}`}>{item.state}</span> sub-agent <b>{item.name}</b>: {item.task}
          </summary>
          <ChatItems items={item.items} />
          {item.text && <div className="markdown" dangerouslySetInnerHTML={{ __html: renderMarkdown(item.text) }} />}
        </details>
      );
    case 'info':
      return <div className={`info tone-${item.tone}`}>{item.text}</div>;
  }
}

export function ToolBlock({ tool }: { tool: Extract<ChatItem, { kind: 'tool' }> }) {
  return (
    <details className="tool" open={tool.state === 'running' || Boolean(tool.diff)}>
      <summary>
        <span className={`badge state-${tool.state}`}>{tool.state}</span> <b className="tool-name">{tool.name}</b> <code className="tool-args">{argsSummary(tool.args)}</code>
        {tool.durationMs !== undefined && <span className="muted"> {formatMs(tool.durationMs)}</span>}
      </summary>
      {tool.diff && <Diff patch={tool.diff} />}
      {tool.output && <pre className="tool-output">{tool.output}</pre>}
    </details>
  );
}

export function Diff({ patch }: { patch: string }) {
  return (
    <pre className="diff">
      {patch.split('\n').map((line, i) => (
        <span key={i} className={lineClass(line)}>
          {line}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  if (line.startsWith('@@')) return 'diff-hunk';
  return 'diff-ctx';
}

/** The arguments in one line: a command or a path when there is one, else compact JSON. */
export function argsSummary(args: unknown): string {
  if (args && typeof args === 'object') {
    const a = args as Record<string, unknown>;
    for (const key of ['command', 'path', 'file_path', 'pattern', 'url', 'query']) if (typeof a[key] === 'string') return shorten(a[key]);
  }
  return shorten(JSON.stringify(args) ?? '');
}

function shorten(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
