/**
 * The cli mode screen, top to bottom: the transcript (in the terminal's
 * scrollback), the live region, the prompt box, the footer. Only the last
 * three are redrawn; they stay a few lines tall.
 */
import { Box } from 'ink';
import type { ApprovalMode } from '../../index.js';
import type { AgentSlot } from '../state/agent-slot.js';
import { LivePane, FooterPane } from '../components/live-pane.js';
import { PromptArea } from '../components/prompt-area.js';
import { RenderContext, type TextRenderer } from '../components/render-context.js';
import { Transcript } from '../components/transcript.js';
import type { Keymap, PromptHistory } from '../input/index.js';
import type { ViewStore } from '../state/store.js';

export interface AppProps {
  slot: AgentSlot;
  store: ViewStore;
  renderer: TextRenderer;
  keymap: Keymap;
  history: PromptHistory;
  onExit: () => void;
  onRedraw: () => void;
  approvalMode?: ApprovalMode;
}

export function App({ slot, store, renderer, keymap, history, onExit, onRedraw, approvalMode = 'default' }: AppProps) {
  return (
    <RenderContext.Provider value={renderer}>
      <Transcript store={store} />
      <Box flexDirection="column">
        <LivePane store={store} />
        <PromptArea slot={slot} store={store} keymap={keymap} history={history} onExit={onExit} onRedraw={onRedraw} approvalMode={approvalMode} />
        <FooterPane store={store} />
      </Box>
    </RenderContext.Provider>
  );
}
