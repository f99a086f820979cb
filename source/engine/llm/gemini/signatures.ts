/**
 * Thought signatures: opaque tokens Gemini attaches to some parts of a reply
 * (the first function call of a step, the last text part, occasionally a
 * thought part). Gemini 3 rejects a function-calling turn whose calls come
 * back without them, and the signature must sit on the same part it arrived
 * on. Our `AssistantMessage` flattens a reply into one text plus a call list,
 * so the reply's part layout is kept in `providerFields.gemini_parts`: only
 * the parts that carry something we must echo (a signature or an API call
 * id), each with its position in the answer text, so storage stays small.
 */

/** The key under which the layout lives in `AssistantMessage.providerFields`. */
export const PARTS_FIELD = 'gemini_parts';

/**
 * One remembered part. `at` is the length of the answer text (non-thought
 * text) emitted up to and including this part, which pins the part between
 * the right stretches of text when the reply is rebuilt.
 */
export type SignedPart =
  /** A thought part that carried a signature; its (summary) text is kept so the part stays valid. */
  | { kind: 'thought'; at: number; text: string; thoughtSignature: string }
  /** A text part that carried a signature; its text is `content.slice(previous boundary, at)`. */
  | { kind: 'text'; at: number; thoughtSignature: string }
  /**
   * Function call number `index` of the message. `id` is present only when
   * the API itself assigned the call id (ours are generated and never sent).
   */
  | { kind: 'call'; at: number; index: number; name: string; thoughtSignature?: string; id?: string };

/** Collects the layout while a reply streams in. */
export class SignatureRecorder {
  private readonly parts: SignedPart[] = [];
  private textLength = 0;

  thought(text: string, signature: string | undefined): void {
    if (signature) this.parts.push({ kind: 'thought', at: this.textLength, text, thoughtSignature: signature });
  }

  text(text: string, signature: string | undefined): void {
    this.textLength += text.length;
    if (signature) this.parts.push({ kind: 'text', at: this.textLength, thoughtSignature: signature });
  }

  call(index: number, name: string, signature: string | undefined, apiId: string | undefined): void {
    if (!signature && !apiId) return;
    const part: SignedPart = { kind: 'call', at: this.textLength, index, name };
    if (signature) part.thoughtSignature = signature;
    if (apiId) part.id = apiId;
    this.parts.push(part);
  }

  /** The `providerFields` for the finish part, or undefined when nothing needs echoing. */
  providerFields(): Record<string, unknown> | undefined {
    return this.parts.length > 0 ? { [PARTS_FIELD]: this.parts } : undefined;
  }
}

/**
 * The layout stored on a message, validated: fields persisted in a session
 * log come back as untyped JSON, and a hand-edited or foreign entry must not
 * break the request. Invalid entries are dropped one by one.
 */
export function readSignedParts(providerFields: Record<string, unknown> | undefined): SignedPart[] {
  const raw = providerFields?.[PARTS_FIELD];
  if (!Array.isArray(raw)) return [];
  const out: SignedPart[] = [];
  for (const entry of raw) {
    const part = toSignedPart(entry);
    if (part) out.push(part);
  }
  return out;
}

function toSignedPart(entry: unknown): SignedPart | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const at = e['at'];
  if (typeof at !== 'number' || !Number.isInteger(at) || at < 0) return undefined;
  const signature = typeof e['thoughtSignature'] === 'string' && e['thoughtSignature'] !== '' ? e['thoughtSignature'] : undefined;
  switch (e['kind']) {
    case 'thought':
      return signature && typeof e['text'] === 'string' ? { kind: 'thought', at, text: e['text'], thoughtSignature: signature } : undefined;
    case 'text':
      return signature ? { kind: 'text', at, thoughtSignature: signature } : undefined;
    case 'call': {
      const index = e['index'];
      const name = e['name'];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || typeof name !== 'string') return undefined;
      const part: SignedPart = { kind: 'call', at, index, name };
      if (signature) part.thoughtSignature = signature;
      if (typeof e['id'] === 'string' && e['id'] !== '') part.id = e['id'];
      return part.thoughtSignature || part.id ? part : undefined;
    }
    default:
      return undefined;
  }
}
