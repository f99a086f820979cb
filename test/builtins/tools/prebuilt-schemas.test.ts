import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script without declarations
import { toolSchemaTable } from '../../../scripts/tool-schemas.mjs';
import { builtinToolFactories } from '../../../source/builtins/tools/index.js';

describe('JSON Schemas of the built-in tools written at build time', () => {
  it('match what each tool sends when converted at run time', async () => {
    const table = (await toolSchemaTable(join(import.meta.dirname, '..', '..', '..'))) as Record<string, unknown>;
    const fromTable = new Set(Object.values(table).map((json) => JSON.stringify(json)));
    for (const factory of builtinToolFactories) {
      expect(fromTable.has(JSON.stringify(factory.create({}).parameters)), factory.name).toBe(true);
    }
  });
});
