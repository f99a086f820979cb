/**
 * Build the provider for a resolved model. Each adapter (and its SDK) is
 * imported here on first use, so a run pays only for the one it talks to.
 */
import type { Env } from '../home.js';
import type { Provider } from './provider.js';
import type { ResolvedLLM } from './resolve.js';
import { catchSdkWarnings } from './sdk-warnings.js';

export interface CreateOptions {
  env?: Env;
  /** Anthropic prompt-caching markers (default on). */
  promptCaching?: boolean;
}

export async function createProvider(llm: ResolvedLLM, options: CreateOptions = {}): Promise<Provider> {
  return catchSdkWarnings(await createAdapter(llm, options));
}

async function createAdapter(llm: ResolvedLLM, options: CreateOptions): Promise<Provider> {
  const apiKey = llm.credential.kind === 'key' ? llm.credential.key : '';
  const common = {
    model: llm.model,
    provider: llm.backend.name,
    ...(llm.baseURL ? { baseURL: llm.baseURL } : {}),
    ...(llm.maxContext ? { maxContext: llm.maxContext } : {}),
  };
  switch (llm.backend.type) {
    case 'openai': {
      const { OpenAICompatibleProvider } = await import('./openai/adapter.js');
      return new OpenAICompatibleProvider({ ...common, apiKey });
    }
    case 'openai-responses': {
      const { ResponsesProvider } = await import('./openai/responses/adapter.js');
      return new ResponsesProvider({ ...common, apiKey });
    }
    case 'codex': {
      const [{ ResponsesProvider }, { codexCredentials }] = await Promise.all([import('./openai/responses/adapter.js'), import('./codex/auth.js')]);
      const env = options.env ?? process.env;
      return new ResponsesProvider({
        ...common,
        // Called before every request, so an expiring sign-in is refreshed in time.
        credentials: () => codexCredentials({ env }),
        defaultHeaders: { originator: 'kohakuterrarium' },
      });
    }
    case 'anthropic': {
      const { AnthropicProvider } = await import('./anthropic/adapter.js');
      const auth = llm.backend.options?.auth;
      return new AnthropicProvider({
        ...common,
        apiKey,
        ...(llm.maxOutput ? { maxOutput: llm.maxOutput } : {}),
        ...(options.promptCaching !== undefined ? { promptCaching: options.promptCaching } : {}),
        ...(auth === 'bearer' || auth === 'x-api-key' ? { auth } : {}),
      });
    }
    case 'gemini': {
      const { GeminiProvider } = await import('./gemini/adapter.js');
      return new GeminiProvider({ ...common, apiKey });
    }
  }
}
