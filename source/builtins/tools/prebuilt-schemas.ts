/**
 * The built-in tools' JSON Schemas, keyed by input name. From the sources
 * (tests, development) this is empty and each schema is converted from zod
 * when its tool is first created; `npm run build` replaces this module in the
 * bundles with the table it computed by converting every one of them
 * (scripts/tool-schemas.mjs), so a shipped `kt` builds no zod schema for a
 * tool until a call to it is validated.
 */
import type { JsonSchema } from '../../engine/llm/provider.js';

export const prebuiltToolSchemas: Readonly<Record<string, JsonSchema>> = {};
