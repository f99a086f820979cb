/**
 * The side panes of tui mode: tool calls (running, then the latest
 * finished), sub-agents, and the creature graph (the creature and the
 * sub-agents working under it; the terrarium adds more nodes later).
 */
import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { formatDuration } from '../format.js';
import type { Item, ViewState } from '../state/view.js';

type ToolItem = Extract<Item, { kind: 'tool' }>;
type SubagentItem = Extract<Item, { kind: 'subagent' }>;

function Pane({ title, children, grow = 1 }: { title: string; children: React.ReactNode; grow?: number }) {
  return (
    // Growing panes share the column evenly (basis 0) rather than by how many rows each has.
    <Box flexDirection="column" borderStyle="single" borderColor="gray" flexGrow={grow} flexShrink={1} flexBasis={grow ? 0 : 'auto'} overflow="hidden" paddingX={1}>
      <Box flexShrink={0}>
        <Text bold color="cyan" wrap="truncate-end">
          {title}
        </Text>
      </Box>
      {/* Rows that do not fit are cut at the bottom (the newest come first), never squeezed over the title. */}
      <Box flexDirection="column" flexGrow={grow} flexShrink={1} overflow="hidden">
        <Box flexDirection="column" flexShrink={0}>
          {children}
        </Box>
      </Box>
    </Box>
  );
}

export function ToolsPane({ view, finished }: { view: ViewState; finished: readonly ToolItem[] }) {
  return (
    <Pane title={`Tools${view.running.length ? ` · ${view.running.length} running` : ''}`}>
      {view.running.map((tool) => (
        <Text key={tool.callId} wrap="truncate-end">
          <Text color="cyan">
            <Spinner type="dots" />
          </Text>{' '}
          {tool.name} <Text dimColor>{tool.summary}</Text>
        </Text>
      ))}
      {[...finished].reverse().map((tool) => (
        <Text key={tool.id} wrap="truncate-end">
          <Text color={tool.ok ? 'green' : 'red'}>{tool.ok ? '✓' : '✗'}</Text> {tool.under.length ? <Text dimColor>{tool.under.join('›')}›</Text> : null}
          {tool.name} <Text dimColor>{tool.summary}</Text>
        </Text>
      ))}
      {view.running.length === 0 && finished.length === 0 ? <Text dimColor>none yet</Text> : null}
    </Pane>
  );
}

export function AgentsPane({ view, finished }: { view: ViewState; finished: readonly SubagentItem[] }) {
  return (
    <Pane title="Sub-agents">
      {view.subagents.map((agent) => (
        <Box key={agent.jobId} flexDirection="column">
          <Text wrap="truncate-end">
            <Text color="magenta">
              <Spinner type="dots" />
            </Text>{' '}
            <Text bold>{agent.name}</Text> <Text dimColor>{agent.task}</Text>
          </Text>
          <Text dimColor wrap="truncate-end">
            {'  '}
            {agent.activity}
          </Text>
        </Box>
      ))}
      {[...finished].reverse().map((agent) => (
        <Text key={agent.id} wrap="truncate-end">
          <Text color={agent.status === 'completed' ? 'green' : 'yellow'}>◆</Text> {agent.name} <Text dimColor>{agent.status} · {formatDuration(agent.durationMs)}</Text>
        </Text>
      ))}
      {view.subagents.length === 0 && finished.length === 0 ? <Text dimColor>none yet</Text> : null}
    </Pane>
  );
}

const PHASE = { idle: 'idle', waiting: 'waiting', thinking: 'thinking', streaming: 'answering', tools: 'running tools', approval: 'waiting for you' } as const;

export function GraphPane({ view }: { view: ViewState }) {
  return (
    <Pane title="Creatures" grow={0}>
      <Text wrap="truncate-end">
        <Text color={view.turnActive ? 'green' : 'gray'}>◉</Text> <Text bold>{view.creature || 'starting…'}</Text> <Text dimColor>{PHASE[view.phase]}</Text>
      </Text>
      {view.subagents.map((agent, i) => (
        <Text key={agent.jobId} wrap="truncate-end">
          <Text dimColor>{i === view.subagents.length - 1 ? ' └─ ' : ' ├─ '}</Text>
          <Text color="magenta">{agent.name}</Text>
          <Text dimColor>{agent.background ? ' (background)' : ''}</Text>
        </Text>
      ))}
    </Pane>
  );
}
