/**
 * A live creature's plugins: what is loaded or offered by the catalog, and
 * switching one on or off or setting it up again with new options
 * (`agent.plugins`, the same control `/plugin` uses in kt).
 */
import type { Agent } from '../../index.js';
import { NotFoundError } from './errors.js';

export interface PluginView {
  name: string;
  enabled: boolean;
  priority: number;
  description?: string;
  /** False for a catalog plugin this creature has not loaded yet (enabling loads it). */
  loaded: boolean;
}

export function listPlugins(agent: Agent): PluginView[] {
  return agent.plugins.list().map((p) => ({ name: p.name, enabled: p.enabled, priority: p.priority, ...(p.description ? { description: p.description } : {}), loaded: p.loaded }));
}

/** `options` (re)configure the plugin first; then `enabled` switches it. Returns the plugin as it is now. */
export async function changePlugin(agent: Agent, name: string, change: { enabled?: boolean | undefined; options?: Record<string, unknown> | undefined }): Promise<PluginView> {
  if (!agent.plugins.list().some((p) => p.name === name)) throw new NotFoundError(`plugin '${name}'`);
  if (change.options) await agent.plugins.configure(name, change.options);
  if (change.enabled === true) await agent.plugins.enable(name);
  if (change.enabled === false) agent.plugins.disable(name);
  const now = listPlugins(agent).find((p) => p.name === name);
  if (!now) throw new NotFoundError(`plugin '${name}'`);
  return now;
}
