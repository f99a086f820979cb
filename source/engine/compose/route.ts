/**
 * Route: a classifier step names a key, and the input goes on to the step
 * of that key. The classifier can be a function or a creature (its answer is
 * trimmed, so "billing\n" picks `billing`); the chosen step gets the original
 * input, not the key.
 */
import { NoRouteError } from './errors.js';
import { at, type Node } from './node.js';

export function routeNode(classify: Node, routes: ReadonlyMap<string, Node>, otherwise: Node | undefined): Node {
  return {
    label: 'route',
    async exec(input, exec) {
      const key = String(await classify.exec(input, at(exec, 'classify'))).trim();
      const branch = routes.get(key) ?? otherwise;
      if (!branch) throw new NoRouteError(exec.path, key, [...routes.keys()]);
      return branch.exec(input, at(exec, routes.has(key) ? key : 'otherwise'));
    },
  };
}
