/** Zod schemas built on first use: see engine/util/lazy-schema.ts (shared with the config, profile and manifest schemas). */
export { lazySchema, lazyParts } from '../util/lazy-schema.js';
