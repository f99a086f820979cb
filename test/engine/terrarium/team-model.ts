/** A scripted model for teams: each member answers `<name>: got <last user text>` (its name read from its system prompt); with `onHang`, an input saying `please hang` never gets its answer. */
import type { LLMRequest } from '../../../source/engine/llm/provider.js';
import { contentText } from '../../../source/engine/llm/messages.js';
import { ScriptedLLM } from '../../../source/testing/scripted-llm.js';

export function teamModel(calls = 60, onHang?: () => void): ScriptedLLM {
  const step = (request: LLMRequest) => {
    const system = contentText(request.messages.find((m) => m.role === 'system')?.content ?? '');
    const who = /I am (\w+)\./.exec(system)?.[1] ?? '?';
    const last = [...request.messages].reverse().find((m) => m.role === 'user');
    // An input asking to hang never gets an answer: the process is killed mid-turn.
    if (onHang && last && contentText(last.content).includes('please hang')) {
      setImmediate(onHang);
      return { hang: true };
    }
    return { text: `${who}: got ${last ? contentText(last.content) : ''}` };
  };
  return new ScriptedLLM(Array.from({ length: calls }, () => step));
}

/** The requests a member made, by its system prompt. */
export function requestsOf(llm: ScriptedLLM, name: string): LLMRequest[] {
  return llm.calls.filter((r) => contentText(r.messages.find((m) => m.role === 'system')?.content ?? '').startsWith(`I am ${name}.`));
}

export const RECIPE = `
name: crew
channels:
  chat: team talk
creatures:
  - name: writer
    system_prompt: I am writer.
    channels: { listen: [chat], can_send: [chat] }
    output_wiring: [editor]
  - name: editor
    system_prompt: I am editor.
    channels: { listen: [chat] }
`;
