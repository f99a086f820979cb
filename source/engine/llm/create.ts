/**
 * Build the provider for a resolved model. Each adapter (and its SDK) is
 * imported here on first use, so a run pays only for the one it talks to.
 */
import type { Env } from '../config/paths.js';
import { ConfigError } from '../errors.js';
import type { Provider } from './provider.js';
import type { ResolvedLLM } from './resolve.js';

export interface CreateOptions {
  env?: Env;
  /** Anthropic prompt-caching markers (default on). */
  promptCaching?: boolean;
}

export async function createProvider(llm: ResolvedLLM, options: CreateOptions = {}): Promise<Provider> {
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
    default:
      throw new ConfigError(`the ${llm.backend.type} backend (${llm.id}) is not available in this build`);
  }
}
