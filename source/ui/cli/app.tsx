/**
 * The cli mode screen, top to bottom: the transcript (in the terminal's
 * scrollback), the live region, the prompt box, the footer. Only the last
 * three are redrawn; they stay a few lines tall.
 */
import { Box } from 'ink';
import type { AppProps } from '../components/app-props.js';
import { HistoryPreview } from '../components/history-preview.js';
import { LivePane, FooterPane } from '../components/live-pane.js';
import { PromptArea } from '../components/prompt-area.js';
import { RenderContext } from '../components/render-context.js';
import { Transcript } from '../components/transcript.js';

export function App({ renderer, ...prompt }: AppProps) {
  const { store } = prompt;
  return (
    <RenderContext.Provider value={renderer}>
      <Transcript store={store} />
      <Box flexDirection="column">
        <HistoryPreview store={store} />
        <LivePane store={store} />
        <PromptArea {...prompt} />
        <FooterPane store={store} />
      </Box>
    </RenderContext.Provider>
  );
}
