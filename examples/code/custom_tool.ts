/**
 * A custom tool: a function with a zod schema, given to a creature built in
 * code. The model sees its name, description and parameters like any
 * built-in tool's.
 *
 *   npm run build && node examples/code/custom_tool.ts --llm openai/gpt-5.4-mini
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { Agent, tool, type Provider, type TurnResult } from 'kohakuterrarium';

/** Today's exchange rates would come from a service; a table keeps the example offline. */
const RATES: Record<string, number> = { EUR: 1, USD: 1.08, JPY: 162.4, GBP: 0.85 };

export const convertCurrency = tool({
  name: 'convert_currency',
  description: 'Convert an amount of money from one currency to another (EUR, USD, JPY, GBP).',
  input: z.object({
    amount: z.number().describe('How much money.'),
    from: z.string().length(3).describe('ISO code of the currency the amount is in.'),
    to: z.string().length(3).describe('ISO code of the currency wanted.'),
  }),
  // No `effect`: it changes nothing, so approvals never ask about it ('edit' or 'execute' would).
  execute: ({ amount, from, to }) => {
    const a = RATES[from.toUpperCase()];
    const b = RATES[to.toUpperCase()];
    if (a === undefined || b === undefined) return { output: `unknown currency: ${a === undefined ? from : to} (known: ${Object.keys(RATES).join(', ')})`, isError: true };
    return `${amount} ${from.toUpperCase()} = ${((amount / a) * b).toFixed(2)} ${to.toUpperCase()}`;
  },
});

export async function main(options: { llm?: string | Provider; prompt?: string; print?: (line: string) => void } = {}): Promise<TurnResult> {
  const print = options.print ?? console.log;
  await using agent = await Agent.build(
    { name: 'cashier', system_prompt: 'You answer questions about prices. Use convert_currency for every conversion.' },
    { ...(options.llm ? { llm: options.llm } : {}), tools: [convertCurrency] },
  );
  const result = await agent.run(options.prompt ?? 'How much is 25 euros in yen?');
  print(result.text);
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { llm: { type: 'string' } } });
  await main(values.llm ? { llm: values.llm } : {});
}
