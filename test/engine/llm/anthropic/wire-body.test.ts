import { describe, expect, it } from 'vitest';
import { buildMessagesBody, type BodySettings } from '../../../../source/engine/llm/anthropic/request.js';
import { THINKING_FIELD } from '../../../../source/engine/llm/anthropic/thinking-fields.js';
import { encodeMessagesBody } from '../../../../source/engine/llm/anthropic/wire-body.js';
import type { Message } from '../../../../source/engine/llm/messages.js';
import type { LLMRequest, ToolSpec } from '../../../../source/engine/llm/provider.js';

const tools: ToolSpec[] = [
  { name: 'bash', description: 'Run a command — in the working folder.', parameters: { type: 'object', properties: { command: { type: 'string' } } } },
  { name: 'read', description: 'Read a file.', parameters: { type: 'object', properties: { path: { type: 'string' } } } },
];
const thinking = { [THINKING_FIELD]: [{ type: 'thinking', thinking: 'hmm 🐢', signature: 'sig' }] };
const history: Message[] = [
  { role: 'system', content: 'You help. Ünïcödé and emoji 🐢 survive.' },
  { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', url: 'data:image/png;base64,AAAA' }] },
  {
    role: 'assistant',
    content: '',
    providerFields: thinking,
    toolCalls: [
      { id: 'c1', name: 'bash', arguments: '{"command":"ls"}' },
      { id: 'c2', name: 'read', arguments: '{"path":"a.txt"}' },
    ],
  },
  { role: 'tool', toolCallId: 'c1', name: 'bash', content: 'a.txt\nb.txt' },
  { role: 'tool', toolCallId: 'c2', name: 'read', content: '', isError: true },
  { role: 'user', content: 'and now?' },
  // Ends on an unanswered call: the repair adds a fresh orphan result every time.
  { role: 'assistant', content: 'checking', toolCalls: [{ id: 'c3', name: 'bash', arguments: 'not json' }] },
];

const cached: BodySettings = { model: 'claude-sonnet-4-5', promptCaching: true };
const decoded = (bytes: Buffer) => JSON.parse(bytes.toString('utf8'));
const same = (request: LLMRequest, settings: BodySettings) =>
  expect(decoded(encodeMessagesBody(request, settings).bytes)).toEqual(buildMessagesBody(request, settings));

describe('encodeMessagesBody', () => {
  it('is the JSON of buildMessagesBody, breakpoints, thinking and extra body included', () => {
    same({ messages: history, tools, temperature: 0.5, maxTokens: 1000 }, cached);
    same({ messages: history, tools, reasoningEffort: 'high', extraBody: { top_k: 5, thinking: { display: 'omitted' } } }, cached);
    same({ messages: history, tools }, { ...cached, promptCaching: false });
    same({ messages: history, tools, extraBody: { disable_prompt_caching: true } }, cached);
  });

  it('marks the last tool when there is no system prompt, and leaves out empty parts', () => {
    const noSystem = history.slice(1);
    same({ messages: noSystem, tools }, cached);
    const body = decoded(encodeMessagesBody({ messages: noSystem }, cached).bytes);
    expect(body).toEqual(buildMessagesBody({ messages: noSystem }, cached));
    expect(body).not.toHaveProperty('system');
    expect(body).not.toHaveProperty('tools');
  });

  it('stays equal as the breakpoints move to newer turns across rounds', () => {
    const rounds: Message[] = [history[0] as Message];
    for (let i = 0; i < 6; i++) {
      rounds.push({ role: 'user', content: `question ${i}` }, { role: 'assistant', content: `answer ${i}` });
      same({ messages: rounds.slice(), tools }, cached);
    }
    // A block that carried a marker last round is sent plain now, from the same cache.
    const text = encodeMessagesBody({ messages: rounds, tools }, cached).bytes.toString('utf8');
    expect(text.match(/cache_control/g)).toHaveLength(3);
  });

  it('leaves the SDK header params out of the bytes but hands them to the SDK', () => {
    const request: LLMRequest = { messages: history, tools, extraBody: { workspace_id: 'w', user_profile_id: 'u', metadata: { user_id: 'x' } } };
    const { bytes, params } = encodeMessagesBody(request, cached);
    const { workspace_id: _w, user_profile_id: _u, ...expected } = buildMessagesBody(request, cached);
    expect(decoded(bytes)).toEqual(expected);
    expect(params).toMatchObject({ workspace_id: 'w', user_profile_id: 'u', stream: true, model: 'claude-sonnet-4-5' });
  });

  it('honours an extra body that replaces the messages, system or tools', () => {
    for (const extraBody of [{ tools: [] }, { system: 'plain' }, { messages: [{ role: 'user', content: 'x' }] }]) {
      same({ messages: history, tools, extraBody }, cached);
    }
  });
});
