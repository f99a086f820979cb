/** The live region and footer, fed from the view store (one render per frame at most). */
import { Box, useWindowSize } from 'ink';
import type { ViewStore } from '../state/store.js';
import { Footer } from './footer.js';
import { LiveRegion } from './live-region.js';
import { useView } from './use-view.js';

export function LivePane({ store }: { store: ViewStore }) {
  const view = useView(store, (s) => s);
  const { columns, rows } = useWindowSize();
  return <LiveRegion view={view} width={columns} height={rows} expanded={view.expanded} />;
}

export function FooterPane({ store }: { store: ViewStore }) {
  const view = useView(store, (s) => s);
  return (
    <Box>
      <Footer view={view} />
    </Box>
  );
}
