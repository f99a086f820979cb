/**
 * The embeddings half of the fake Gemini server: `POST
 * /{version}/models/{model}:batchEmbedContents`, what `@google/genai`'s
 * `models.embedContent` calls for the Developer API. Requests are checked
 * the way the API checks them (one to 100 `requests`, each naming the URL's
 * model as `models/<id>`, text parts, an `outputDimensionality` the model
 * can give, no unknown fields), and every text gets a deterministic vector:
 * the offline hash embedding of its text, so similar texts get similar
 * vectors and a test can compute the expected ones.
 */
import { HashEmbedder } from '../../source/engine/session/search/embeddings/hash.js';
import type { FakeGeminiRequestBody } from './gemini-replies.js';

/** The API's limit on `requests` per call. */
export const MAX_EMBED_BATCH = 100;

/** Native widths of the embedding models the fake knows; any other model gets `DEFAULT_WIDTH`. */
const WIDTHS: Record<string, number> = {
  'gemini-embedding-001': 3072,
  'text-embedding-004': 768,
  'embedding-001': 768,
};
const DEFAULT_WIDTH = 768;

/** The fields the API accepts (anything else is "Unknown name"), per level of the request. */
const BODY_FIELDS = new Set(['requests']);
const REQUEST_FIELDS = new Set(['model', 'content', 'taskType', 'title', 'outputDimensionality']);
const CONTENT_FIELDS = new Set(['role', 'parts']);

type Json = Record<string, unknown>;

/** The width the model answers with when the request names none. */
export function nativeWidth(model: string): number {
  return WIDTHS[model] ?? DEFAULT_WIDTH;
}

/** Why the API would turn this request away (a 400 INVALID_ARGUMENT message), or undefined when it is valid. */
export function embeddingsProblem(body: FakeGeminiRequestBody, model: string): string | undefined {
  const unknown = unknownField(body, BODY_FIELDS, '');
  if (unknown) return unknown;
  const requests = body['requests'];
  if (!Array.isArray(requests) || requests.length === 0) return '* BatchEmbedContentsRequest.requests: must contain at least one request';
  if (requests.length > MAX_EMBED_BATCH) return `* BatchEmbedContentsRequest.requests: at most ${MAX_EMBED_BATCH} requests can be in one batch`;
  for (const [i, request] of requests.entries()) {
    const problem = requestProblem(request, i, model);
    if (problem) return problem;
  }
  return undefined;
}

function requestProblem(request: unknown, i: number, model: string): string | undefined {
  const at = `BatchEmbedContentsRequest.requests[${i}]`;
  if (!isObject(request)) return `Invalid JSON payload received. Expected an object at 'requests[${i}]'.`;
  const unknown = unknownField(request, REQUEST_FIELDS, `requests[${i}]`);
  if (unknown) return unknown;
  // The batch is for the model in the URL; each request must name it, in its resource form.
  if (request['model'] !== `models/${model}`) return `* ${at}.model: the model must be models/${model}, the model of the URL`;
  const content = request['content'];
  if (!isObject(content)) return `* ${at}.content: content is required`;
  const unknownInContent = unknownField(content, CONTENT_FIELDS, `requests[${i}].content`);
  if (unknownInContent) return unknownInContent;
  const parts = content['parts'];
  if (!Array.isArray(parts) || parts.length === 0) return `* ${at}.content.parts: contents.parts must not be empty.`;
  for (const [j, part] of parts.entries()) {
    // Proto3 drops an empty string, so `{text: ""}` reads as a part with no data.
    if (!isObject(part) || typeof part['text'] !== 'string' || part['text'] === '') {
      return `* ${at}.content.parts[${j}].data: required oneof field 'data' must have one initialized field`;
    }
  }
  const width = request['outputDimensionality'];
  if (width !== undefined) {
    if (typeof width !== 'number' || !Number.isInteger(width)) return `Invalid value at 'requests[${i}].output_dimensionality' (TYPE_INT32), ${JSON.stringify(width)}`;
    const most = nativeWidth(model);
    if (width < 1 || width > most) return `* ${at}.output_dimensionality: must be between 1 and ${most} for models/${model}`;
  }
  return undefined;
}

/** The 200 body: `{embeddings: [{values}]}`, one per request, in order. Call only with a body `embeddingsProblem` accepted. */
export function geminiEmbeddingsBody(body: FakeGeminiRequestBody, model: string): Json {
  const requests = body['requests'] as Json[];
  return { embeddings: requests.map((request) => ({ values: vectorOf(request, model) })) };
}

/** A scripted set of vectors as the API would send them. */
export function scriptedEmbeddingsBody(vectors: number[][]): Json {
  return { embeddings: vectors.map((values) => ({ values })) };
}

/** The hash embedding of the request's text, at the asked width (from 8 dimensions and cut, below the hash's minimum). */
function vectorOf(request: Json, model: string): number[] {
  const width = (request['outputDimensionality'] as number | undefined) ?? nativeWidth(model);
  const parts = (request['content'] as { parts: { text: string }[] }).parts;
  const text = parts.map((part) => part.text).join(' ');
  return Array.from(new HashEmbedder(Math.max(8, width)).embedOne(text).subarray(0, width));
}

/** Google's message for the first field that is not in `known`. */
function unknownField(object: Json, known: ReadonlySet<string>, at: string): string | undefined {
  const name = Object.keys(object).find((key) => !known.has(key));
  if (name === undefined) return undefined;
  return `Invalid JSON payload received. Unknown name "${name}"${at ? ` at '${at}'` : ''}: Cannot find field.`;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
