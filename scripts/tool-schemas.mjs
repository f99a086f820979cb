// The built-in tools' JSON Schemas, computed at build time. Each tool's zod
// input is declared lazily (source/builtins/tools/input.ts); this bundles the
// tools once, builds and converts every declared input exactly as `tool()`
// would, and hands the bundles a replacement for prebuilt-schemas.ts holding
// the table, so a shipped kt builds a tool's zod schema only when a call to
// it is validated.
import { tableModule, withSourceModule } from './build-time.mjs';

/** key → JSON Schema for every built-in tool input. */
export async function toolSchemaTable(root) {
  const lines = [
    "import './source/builtins/tools/index.ts';",
    "export { builtinInputs } from './source/builtins/tools/input.ts';",
    "export { jsonSchemaOf } from './source/engine/tools/define.ts';",
  ];
  return withSourceModule(root, 'tool-schemas', lines, ({ builtinInputs, jsonSchemaOf }) => {
    const table = {};
    for (const [key, make] of builtinInputs()) table[key] = jsonSchemaOf(make());
    return table;
  });
}

/** An esbuild plugin that puts `table` in place of prebuilt-schemas.ts. */
export function prebuiltToolSchemas(table) {
  return tableModule('prebuilt-tool-schemas', /[\\/]builtins[\\/]tools[\\/]prebuilt-schemas\.ts$/, 'prebuiltToolSchemas', table);
}
