/**
 * Where plain mode's prompts come from: all of a piped stdin as one prompt,
 * or `--input-format stream-json`, one JSON user message per line (the shape
 * Claude Code and others use, plus a few shorthands).
 */
import { createInterface } from 'node:readline';
import { UsageError } from '../../engine/errors.js';
import type { ContentPart, UserContent } from '../../engine/llm/messages.js';

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Each non-blank line of `stream` as a user message. */
export async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<UserContent> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    yield parseUserMessage(line, number);
  }
}

/**
 * Accepted shapes: `{"type":"user","message":{"role":"user","content":...}}`,
 * `{"role":"user","content":...}`, `{"content":...}`, `{"text":"..."}`,
 * `{"prompt":"..."}`. Content is a string or text/image parts.
 */
export function parseUserMessage(line: string, number = 1): UserContent {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UsageError(`stdin line ${number} is not valid JSON (${(error as Error).message})`);
  }
  const record = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const message = (record.message && typeof record.message === 'object' ? record.message : record) as Record<string, unknown>;
  const content = message.content ?? record.text ?? record.prompt;
  const parsed = toContent(content);
  if (parsed === undefined) {
    throw new UsageError(`stdin line ${number} has no user message: expected {"type":"user","message":{"content":"..."}} or {"content":"..."}`);
  }
  return parsed;
}

function toContent(content: unknown): UserContent | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts: ContentPart[] = [];
  for (const part of content as Array<Record<string, unknown>>) {
    if (part?.type === 'text' && typeof part.text === 'string') parts.push({ type: 'text', text: part.text });
    else if (part?.type === 'image_url' && typeof (part.image_url as { url?: unknown })?.url === 'string') {
      parts.push({ type: 'image', url: (part.image_url as { url: string }).url });
    } else if (part?.type === 'image' && typeof part.url === 'string') parts.push({ type: 'image', url: part.url });
  }
  return parts.length ? parts : undefined;
}
