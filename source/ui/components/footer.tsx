/**
 * One line under the composer: tokens in ↑ / out ↓, how full the model's
 * context window is (coloured by threshold), the model, the state, and the
 * approval mode (Shift+Tab cycles it); then the creature's triggers and
 * when the next one fires, when it has any.
 */
import { Box, Text } from 'ink';
import { formatCost, formatTokens } from '../format.js';
import { triggerSummary } from '../state/triggers.js';
import type { TriggerView, ViewState } from '../state/view.js';
import { useClock } from './use-clock.js';

/** Modes other than the default stand out: plan and yolo change what the creature may do unasked. */
const MODE_COLOR = { default: 'gray', 'auto-edit': 'yellow', plan: 'cyan', yolo: 'red' } as const;

const PHASE_LABEL = { idle: 'ready', waiting: 'waiting for the model', thinking: 'thinking', streaming: 'answering', tools: 'running tools', approval: 'waiting for you' } as const;

export function Footer({ view }: { view: Pick<ViewState, 'usage' | 'model' | 'phase' | 'queued' | 'turnActive' | 'compacting' | 'costUsd' | 'approvalMode'> & { triggers?: ViewState['triggers'] } }) {
  const { usage } = view;
  const fill = usage.maxContext ? usage.contextTokens / usage.maxContext : undefined;
  const fillColor = fill === undefined ? 'gray' : fill >= 0.9 ? 'red' : fill >= 0.7 ? 'yellow' : 'green';
  // One Text, cut with an ellipsis: on a narrow terminal the footer stays one row instead of wrapping.
  return (
    <Box paddingLeft={1}>
      <Text wrap="truncate-end">
        <Text dimColor>
          ↑ {formatTokens(usage.input)} ↓ {formatTokens(usage.output)}
          {usage.cached ? ` (${formatTokens(usage.cached)} cached)` : ''}
          {view.costUsd !== undefined ? ` · ${formatCost(view.costUsd)}` : ''} ·{' '}
        </Text>
        <Text color={fillColor}>{fill === undefined ? `ctx ${formatTokens(usage.contextTokens)}` : `ctx ${Math.round(fill * 100)}%`}</Text>
        <Text dimColor>
          {' '}
          · {view.model || 'starting…'} · {PHASE_LABEL[view.phase]}
          {view.queued > 0 ? ` · ${view.queued} queued` : ''}
        </Text>
        {view.compacting !== undefined ? <Text color="cyan"> · compacting context…</Text> : null}
        <Text dimColor> · </Text>
        <Text color={MODE_COLOR[view.approvalMode]}>{view.approvalMode} mode</Text>
        {view.triggers?.length ? <TriggerPart triggers={view.triggers} /> : null}
      </Text>
    </Box>
  );
}

/** Seconds tick only while the creature has triggers: "next 'standup' in 4m" counts down; an idle footer without them costs no renders. */
function TriggerPart({ triggers }: { triggers: readonly TriggerView[] }) {
  const now = useClock(true, 1000);
  const summary = triggerSummary(triggers, now);
  return summary ? <Text color="magenta"> · {summary}</Text> : null;
}
