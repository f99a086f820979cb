/**
 * A creature's compaction, wired: the `Compactor` (engine/compaction) with
 * the creature's conversation, turn tree, plugins and summary model; the
 * `prepareRound` policy that asks it after every round and at turn end; and
 * the port `compact.auto` uses.
 *
 * The summary call is a model call like any other: `preLlmCall` and
 * `postLlmCall` see it (purpose `compaction`) and its tokens count in the
 * creature's totals. The splice is logged as `compaction.end` outside any
 * turn, so replay applies it whichever branch is live later.
 */
import type { CreatureDefinition } from '../config/loader.js';
import type { Env } from '../home.js';
import { Compactor, type SummaryRequest } from '../compaction/compactor.js';
import { compactionSettings } from '../compaction/settings.js';
import { shiftStarts } from '../compaction/splice.js';
import { addUsage, type Message, type Usage } from '../llm/messages.js';
import type { Provider } from '../llm/provider.js';
import type { CompactionPort } from '../plugins/define.js';
import type { LlmCallInfo } from '../plugins/hooks.js';
import { llmFor } from './assemble.js';
import type { CreatureContext } from './context.js';
import type { Conversation } from './conversation.js';
import type { RoundPolicy } from './round-policies.js';
import type { TurnTree } from './turn-tree.js';

export interface CompactionWiring {
  compactor: Compactor;
  policy: RoundPolicy;
  port: CompactionPort;
  /** The model that writes summaries (the creature's own unless `compact_model` names another). */
  summaryProvider: Provider;
}

export interface CompactionInput {
  definition: CreatureDefinition;
  env: Env;
  provider: Provider;
  context: CreatureContext;
  conversation: Conversation;
  tree: TurnTree;
  totals: Usage;
  /** Summaries go to this provider even with a `compact_model` (BuildOptions.allModels). */
  only?: Provider;
}

export async function wireCompaction(input: CompactionInput): Promise<CompactionWiring> {
  const { definition, context, conversation, tree } = input;
  const settings = compactionSettings(definition.compact, input.provider.maxContext);
  // A bad compact_model is a build error, like a bad controller.llm.
  const summaryProvider = input.only ?? (settings.compactModel ? (await llmFor(definition, settings.compactModel, input.env)).provider : input.provider);
  const emit = context.emitter;
  // A splice since the last check: the prompt size the next check gets may have been measured
  // on a call sent before it (the summary lands while the creature works), and then describes
  // the conversation as it was. Taken for the spliced one, it would start a second compaction
  // at once, condensing little more than the fresh summary.
  let splicedSinceCheck = false;
  const compactor = new Compactor({
    settings,
    messages: () => conversation.messages,
    summarize: (request, signal) => summarize(request, signal, summaryProvider, input),
    apply: (edit, messages) => {
      conversation.replace(messages);
      tree.shiftStarts((turns) => shiftStarts(turns, edit));
      splicedSinceCheck = true;
    },
    veto: (tokens) => context.hooks.vetoCompaction(tokens),
    ended: (summary, removed) => context.hooks.notify('onCompactEnd', summary, removed),
    emit: (draft) => emit.emit(draft, null),
    now: () => context.clock.now(),
  });
  const policy: RoundPolicy = {
    name: 'compaction',
    async prepare({ promptTokens }) {
      // Skip one check after a splice: the next call measures the spliced conversation.
      if (splicedSinceCheck) {
        splicedSinceCheck = false;
        return;
      }
      // Starting is quick; the summary itself runs beside the turn and is not awaited.
      await compactor.check(promptTokens);
    },
  };
  const port: CompactionPort = {
    async request(promptTokens, options) {
      const decision = await compactor.check(promptTokens, options ?? {});
      return decision.started ? { started: true } : { started: false, reason: decision.reason };
    },
  };
  return { compactor, policy, port, summaryProvider };
}

async function summarize(request: SummaryRequest, signal: AbortSignal, provider: Provider, input: CompactionInput): Promise<string> {
  const hooks = input.context.hooks;
  const info: LlmCallInfo = { agentPath: input.context.emitter.agentPath, model: provider.id, turnId: null, purpose: 'compaction', tools: [], step: 0, signal };
  let messages: readonly Message[] = [
    { role: 'system', content: request.system },
    { role: 'user', content: request.prompt },
  ];
  if (hooks.has('preLlmCall')) messages = await hooks.transform('preLlmCall', messages, info);
  let text = '';
  let usage: Usage | undefined;
  for await (const part of provider.stream({ messages, maxTokens: request.maxTokens }, { signal, caller: { agentPath: info.agentPath, purpose: 'compaction', turnId: null, step: 0 } })) {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'finish') usage = part.usage;
  }
  addUsage(input.totals, usage);
  if (hooks.has('postLlmCall')) text = await hooks.transform('postLlmCall', text, { ...info, messages, toolCalls: [], usage });
  return text;
}
