import { describe, expect, it } from 'vitest';
import { SUBAGENT_INPUT_JSON, subagentInput } from '../../../source/engine/creature/subagent-tool.js';
import { jsonSchemaOf } from '../../../source/engine/tools/define.js';
import { lazyParts } from '../../../source/engine/util/lazy-schema.js';

describe('the sub-agent tool input', () => {
  it('has a written-out JSON Schema equal to what jsonSchemaOf makes of its zod schema', () => {
    const parts = lazyParts(subagentInput);
    expect(parts).toBeDefined();
    expect(SUBAGENT_INPUT_JSON).toEqual(jsonSchemaOf(parts!.real()));
  });

  it('validates a task and refuses an empty one', () => {
    expect(subagentInput.safeParse({ task: 'look around' }).success).toBe(true);
    expect(subagentInput.safeParse({ task: '' }).success).toBe(false);
  });
});
