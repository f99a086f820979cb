/**
 * A question from the creature (`ask_user`), drawn in place of the prompt
 * box: the question, its numbered choices, and the answer being typed.
 */
import { Box, Text } from 'ink';
import type { TextBuffer } from '../input/index.js';
import { Composer } from './composer.js';

export interface PendingQuestion {
  question: string;
  choices?: readonly string[] | undefined;
}

export function AskDialog({ question, buffer, width }: { question: PendingQuestion; buffer: TextBuffer; width: number }) {
  return (
    <Box flexDirection="column" marginTop={1}>
      <Box paddingLeft={1}>
        <Text color="yellow" bold>
          ? {question.question}
        </Text>
      </Box>
      {question.choices?.map((choice, i) => (
        <Box key={choice} paddingLeft={3}>
          <Text>
            <Text color="yellow">{i + 1}.</Text> {choice}
          </Text>
        </Box>
      ))}
      <Composer buffer={buffer} prompt="answer" placeholder={question.choices ? 'a number or your own words · Esc to decline' : 'Esc to decline'} width={width} />
    </Box>
  );
}
