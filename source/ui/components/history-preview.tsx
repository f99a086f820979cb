/**
 * cli mode: a resumed transcript's last screenful, drawn in the live region
 * while the whole repaint renders into the scrollback (see
 * withHistoryPreview). Drawn as the transcript draws its entries, so the
 * swap to the real ones does not move a line.
 */
import { Box, useWindowSize } from 'ink';
import type { ViewStore } from '../state/store.js';
import { TranscriptItem } from './transcript-item.js';
import { useView } from './use-view.js';

export function HistoryPreview({ store }: { store: ViewStore }) {
  const preview = useView(store, (s) => s.preview);
  const expanded = useView(store, (s) => s.expanded);
  const { columns } = useWindowSize();
  if (!preview.length) return null;
  return (
    <Box flexDirection="column">
      {preview.map((item) => (
        <Box key={item.id} width={columns}>
          <TranscriptItem item={item} width={columns} expanded={expanded} />
        </Box>
      ))}
    </Box>
  );
}
