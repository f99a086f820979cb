/**
 * What every SDK-backed adapter has besides its stream: its identity
 * (`<provider>/<model>`), the base URL it talks to, and an SDK client made
 * on first use, so that building a provider sends nothing and costs nothing
 * until the first request.
 */
import type { ErrorContext } from './provider-errors.js';

/** The options every adapter takes, among its own. */
export interface SdkProviderOptions {
  /** Model id as the server knows it. */
  model: string;
  /** Provider name for the id (`<provider>/<model>`) and for messages. */
  provider?: string;
  /** API root. */
  baseURL?: string;
  /** Context window in tokens, when known. */
  maxContext?: number;
}

/** What an adapter falls back on when the options leave it out. */
export interface SdkProviderDefaults {
  provider: string;
  /**
   * Always applied by us, never left to the SDK: SDKs read a base URL from
   * their own environment variable (OPENAI_BASE_URL, ...), which may be set
   * for some other provider.
   */
  baseURL: string;
}

/** The base of the SDK adapters; each adds its `stream()` and says how to make its client. */
export abstract class SdkProvider<Client, Options extends SdkProviderOptions> {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly maxContext: number | undefined;
  protected readonly options: Options;
  protected readonly baseURL: string;
  private sdk: Client | undefined;

  protected constructor(options: Options, defaults: SdkProviderDefaults) {
    this.options = options;
    this.provider = options.provider ?? defaults.provider;
    this.model = options.model;
    this.id = `${this.provider}/${this.model}`;
    this.maxContext = options.maxContext;
    this.baseURL = options.baseURL ?? defaults.baseURL;
  }

  /** The SDK keeps no sockets of its own (fetch pools them), so closing only drops the client. */
  close(): void {
    this.sdk = undefined;
  }

  /** The SDK client, made on first use. */
  protected client(): Client {
    this.sdk ??= this.createClient();
    return this.sdk;
  }

  /** Who was being called, for the messages of the errors this adapter maps. */
  protected errorContext(): ErrorContext {
    return { provider: this.provider, model: this.model, baseURL: this.baseURL };
  }

  /** A new SDK client, with the SDK's own retries off: the controller's policy is the only retry layer. */
  protected abstract createClient(): Client;
}

/**
 * `load`, run once and remembered: for an adapter's SDK-bound half, imported
 * by its first request rather than when the adapter is (see anthropic/ and
 * gemini/ `sdk-bound.ts`). A failed import is tried again next time.
 */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
