/**
 * The last frame an ink-testing-library app drew, once it matches: renders
 * are asynchronous, so tests wait on the frame (a gate with a long deadline),
 * never on a pause. A miss shows the last frame in the error.
 */
import { until } from './until.js';

export async function frame(app: { lastFrame(): string | undefined }, pattern: RegExp): Promise<string> {
  return until(() => {
    const last = app.lastFrame() ?? '';
    return pattern.test(last) && last;
  }, `a frame matching ${pattern}`).catch((error: Error) => {
    throw new Error(`${error.message}; last frame:\n${app.lastFrame() ?? ''}`);
  });
}
