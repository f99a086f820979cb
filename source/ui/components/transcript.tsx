/**
 * The finished transcript in cli mode: Ink's `<Static>` writes each item
 * once into the terminal's own scrollback, where it stays selectable and
 * scrollable and never repaints. A new `epoch` (Ctrl+L, `/clear`, a resize)
 * remounts it to print again from `shownFrom`.
 */
import { Box, Static, useWindowSize } from 'ink';
import type { ViewStore } from '../state/store.js';
import { TranscriptItem } from './transcript-item.js';
import { useView } from './use-view.js';

export function Transcript({ store }: { store: ViewStore }) {
  const committed = useView(store, (s) => s.committed);
  const shownFrom = useView(store, (s) => s.shownFrom);
  const epoch = useView(store, (s) => s.epoch);
  // Ctrl+O (or --verbose) when an item is written decides how much of a command's output it keeps.
  const expanded = useView(store, (s) => s.expanded);
  const { columns } = useWindowSize();
  const items = shownFrom > 0 ? committed.slice(shownFrom) : committed;
  return (
    <Static key={epoch} items={items as never[]}>
      {(item: (typeof committed)[number]) => (
        <Box key={item.id} width={columns}>
          <TranscriptItem item={item} width={columns} expanded={expanded} />
        </Box>
      )}
    </Static>
  );
}
