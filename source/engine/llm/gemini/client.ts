/**
 * The one way this folder makes a `@google/genai` client, shared by the chat
 * adapter and the embeddings client, so both reach the same server the same
 * way: the Gemini Developer API (never Vertex), our base URL and version,
 * and no SDK retries (the SDK retries only when `retryOptions` is given: we
 * give none).
 */
import { GoogleGenAI } from '@google/genai';
import { DEFAULT_API_VERSION } from './base-url.js';
import { withQuietConsole } from './quiet-console.js';

// Also reachable from here, as before: the SDK-free part of where a client connects.
export { DEFAULT_API_VERSION, GEMINI_BASE_URL, trimBaseURL } from './base-url.js';


/** Where and as whom to connect. */
export interface GeminiClientOptions {
  /** Sent as `x-goog-api-key`. */
  apiKey: string;
  /** API root without the version. */
  baseURL: string;
  apiVersion?: string | undefined;
}


/** A client for the Gemini Developer API at `baseURL`; built with the console muted (see quiet-console.ts). */
export function createGeminiClient(options: GeminiClientOptions): GoogleGenAI {
  const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
  return withQuietConsole(
    () =>
      new GoogleGenAI({
        // Explicit, so GOOGLE_GENAI_USE_VERTEXAI in the environment cannot switch backends.
        vertexai: false,
        // An empty key makes the SDK warn; a placeholder gets a clear "key rejected" from the API instead.
        apiKey: options.apiKey || 'no-key',
        apiVersion,
        httpOptions: { baseUrl: options.baseURL, apiVersion },
      }),
  );
}
