/** Completions under the composer: slash commands or file paths, the first one taken by Tab. */
import { Box, Text } from 'ink';

export interface Suggestion {
  label: string;
  detail?: string;
}

const SHOWN = 8;

export function Suggestions({ items }: { items: readonly Suggestion[] }) {
  if (items.length === 0) return null;
  return (
    <Box flexDirection="column" paddingLeft={2}>
      {items.slice(0, SHOWN).map((item, i) => (
        <Text key={item.label} wrap="truncate-end">
          <Text color={i === 0 ? 'cyan' : undefined} bold={i === 0}>
            {item.label}
          </Text>
          {item.detail ? <Text dimColor>  {item.detail}</Text> : null}
        </Text>
      ))}
      {items.length > SHOWN ? <Text dimColor>… {items.length - SHOWN} more</Text> : null}
    </Box>
  );
}
