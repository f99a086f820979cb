/**
 * `kohakuterrarium/compose`: the composition algebra (seq, par, fallback,
 * retry, route, timeout, agent, factory). Importing it registers the
 * built-in tools and the bundled `@kt-biome` pack, as the main entry does,
 * so `agent('@kt-biome/creatures/swe')` resolves without importing both.
 */
import './builtins/index.js';

export * from './engine/compose/index.js';
