/**
 * Our provider-neutral messages → Gemini `contents` plus `systemInstruction`.
 * Pure data conversion, testable without the SDK.
 *
 * Gemini's shape differs from ours in three ways that matter here: roles are
 * only `user` and `model` (tool results are `functionResponse` parts in a
 * user turn), consecutive turns of one role should be a single content, and
 * a reply's thought signatures must come back on the parts they arrived on.
 */
import type { Content, Part } from '@google/genai';
import { parseJsonObject } from '../../util/records.js';
import {
  contentText,
  type AssistantMessage,
  type ContentPart,
  type ImagePart,
  type Message,
  type ToolMessage,
  type UserMessage,
} from '../messages.js';
import { pairToolResults } from './pairing.js';
import { readSignedParts } from './signatures.js';

/** A conversation in Gemini's shape. */
export interface WireHistory {
  /** All system messages, in order, as one instruction; absent when there are none. */
  systemInstruction: Content | undefined;
  contents: Content[];
}

/** Model-dependent choices for the conversion. */
export interface HistoryOptions {
  /**
   * A stand-in signature for model turns whose function calls carry none
   * (history written by another provider, or by an older version of this
   * one). Gemini 3 rejects such turns outright; Google documents dummy values
   * that skip the check. Unset for models that do not validate signatures.
   */
  fallbackSignature?: string;
}

/** The wire history for `messages`, with tool pairing repaired first. */
export function toWireHistory(messages: readonly Message[], options: HistoryOptions = {}): WireHistory {
  const system: string[] = [];
  const contents: Content[] = [];
  // Call ids the API itself assigned: only those may be echoed back to it.
  const apiIds = new Set<string>();

  // Append parts to the history, folding them into the previous content when the role repeats.
  const append = (content: Content) => {
    const last = contents.at(-1);
    if (!content.parts || content.parts.length === 0) return;
    if (last && last.role === content.role) {
      // A new object: the contents being merged may be cached and shared between requests.
      contents[contents.length - 1] = { role: last.role, parts: [...(last.parts ?? []), ...content.parts] };
    } else {
      contents.push(content);
    }
  };

  for (const message of pairToolResults(messages)) {
    switch (message.role) {
      case 'system':
        if (message.content !== '') system.push(message.content);
        break;
      case 'user':
        append(memo(userCache, message, userContent));
        break;
      case 'assistant': {
        const turn = memo(modelCache, message, modelTurn);
        for (const id of turn.apiIds) apiIds.add(id);
        append(options.fallbackSignature ? withFallbackSignature(turn.content, options.fallbackSignature) : turn.content);
        break;
      }
      case 'tool': {
        const part = memo(toolCache, message, responsePart);
        const withId = apiIds.has(message.toolCallId) && part.functionResponse
          ? { functionResponse: { ...part.functionResponse, id: message.toolCallId } }
          : part;
        append({ role: 'user', parts: [withId] });
        break;
      }
    }
  }
  return {
    systemInstruction: system.length > 0 ? { parts: [{ text: system.join('\n\n') }] } : undefined,
    contents,
  };
}

// Messages never change once made, and every round of a turn resends the
// whole history: convert each message once.
const userCache = new WeakMap<UserMessage, Content>();
const modelCache = new WeakMap<AssistantMessage, ModelTurn>();
const toolCache = new WeakMap<ToolMessage, Part>();

function memo<K extends object, V>(cache: WeakMap<K, V>, key: K, convert: (key: K) => V): V {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = convert(key)));
  return value;
}

/** A user message as a user turn: text parts and images (empty text is left out; Gemini rejects it). */
export function userContent(message: UserMessage): Content {
  const parts: Part[] = [];
  if (typeof message.content === 'string') {
    if (message.content !== '') parts.push({ text: message.content });
  } else {
    for (const part of message.content) {
      const wire = toWirePart(part);
      if (wire) parts.push(wire);
    }
  }
  return { role: 'user', parts };
}

/** An assistant message converted, with what the tool results after it need to know. */
export interface ModelTurn {
  content: Content;
  /** Call ids in this turn that the API assigned (and so expects back). */
  apiIds: string[];
}

/**
 * An assistant message as a model turn: its text and calls, laid out the way
 * the reply arrived (thought parts with signatures, text split where a
 * signature sat, signatures and API ids on their calls). A layout that does
 * not fit the message (edited text, other calls) is used only as far as it
 * fits; the rest goes out unsigned.
 */
export function modelTurn(message: AssistantMessage): ModelTurn {
  const text = message.content;
  const calls = message.toolCalls ?? [];
  const parts: Part[] = [];
  const apiIds: string[] = [];
  let textPos = 0;
  let nextCall = 0;

  const flushText = (to: number) => {
    if (to <= textPos) return;
    parts.push({ text: text.slice(textPos, to) });
    textPos = to;
  };
  const flushCalls = (before: number) => {
    while (nextCall < before) parts.push(callPart(calls[nextCall++]!));
  };

  for (const signed of readSignedParts(message.providerFields)) {
    if (signed.at < textPos || signed.at > text.length) continue;
    if (signed.kind === 'thought') {
      flushText(signed.at);
      parts.push({ thought: true, text: signed.text, thoughtSignature: signed.thoughtSignature });
    } else if (signed.kind === 'text') {
      // Pushed even when empty: Gemini streams signatures on empty text parts.
      parts.push({ text: text.slice(textPos, signed.at), thoughtSignature: signed.thoughtSignature });
      textPos = signed.at;
    } else {
      const call = calls[signed.index];
      if (!call || signed.index < nextCall || call.name !== signed.name) continue;
      flushText(signed.at);
      flushCalls(signed.index);
      const part = callPart(call, signed.id === call.id ? call.id : undefined);
      if (signed.thoughtSignature) part.thoughtSignature = signed.thoughtSignature;
      if (signed.id === call.id) apiIds.push(call.id);
      parts.push(part);
      nextCall = signed.index + 1;
    }
  }
  flushText(text.length);
  flushCalls(calls.length);
  return { content: { role: 'model', parts }, apiIds };
}

function callPart(call: { name: string; arguments: string }, id?: string): Part {
  const functionCall: NonNullable<Part['functionCall']> = { name: call.name, args: parseArguments(call.arguments) };
  if (id !== undefined) functionCall.id = id;
  return { functionCall };
}

/** Our arguments are JSON text; Gemini wants the object. Anything but a JSON object becomes `{}`. */
export function parseArguments(text: string): Record<string, unknown> {
  return parseJsonObject(text);
}

/** Tool output goes in `output`, failures in `error`: the keys Gemini documents for `response`. */
export function responsePart(message: ToolMessage): Part {
  // Function responses carry text here; images in tool results are described, not sent.
  const text = contentText(message.content);
  return { functionResponse: { name: message.name, response: message.isError ? { error: text } : { output: text } } };
}

/** Give the first call of a turn the stand-in signature when no call in it has a real one. */
function withFallbackSignature(content: Content, signature: string): Content {
  const parts = content.parts ?? [];
  const first = parts.findIndex((p) => p.functionCall !== undefined);
  if (first === -1 || parts.some((p) => p.functionCall !== undefined && p.thoughtSignature)) return content;
  const patched = parts.slice();
  patched[first] = { ...parts[first], thoughtSignature: signature };
  return { role: content.role, parts: patched };
}

function toWirePart(part: ContentPart): Part | undefined {
  if (part.type === 'text') return part.text === '' ? undefined : { text: part.text };
  return imagePart(part);
}

/** `data:` URLs are sent inline; other URLs by reference (Gemini requires a MIME type for those). */
function imagePart(part: ImagePart): Part {
  const inline = parseDataUrl(part.url);
  if (inline) return { inlineData: { mimeType: inline.mimeType || part.mediaType || 'application/octet-stream', data: inline.data } };
  return { fileData: { fileUri: part.url, mimeType: part.mediaType ?? guessImageType(part.url) } };
}

/** `data:<type>[;base64],<payload>` → base64 payload and type; undefined for other URLs. */
export function parseDataUrl(url: string): { mimeType: string; data: string } | undefined {
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(url);
  if (!match) return undefined;
  const [, mimeType = '', params = '', payload = ''] = match;
  if (params.split(';').includes('base64')) return { mimeType, data: payload };
  // Percent-encoded payloads are rare for images but legal; Gemini only takes base64.
  let bytes: string;
  try {
    bytes = decodeURIComponent(payload);
  } catch {
    bytes = payload; // a stray '%': send the text as it stands rather than fail the request
  }
  return { mimeType, data: Buffer.from(bytes, 'utf8').toString('base64') };
}

const IMAGE_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
};

function guessImageType(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    // Not a URL we can parse: guess from the raw text.
  }
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES[ext]) || 'image/jpeg';
}
