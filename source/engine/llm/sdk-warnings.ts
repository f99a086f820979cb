/**
 * SDKs print their own warnings ("model … is deprecated") with console.warn
 * or process.emitWarning, on every request. Printed raw they tear the
 * terminal app and litter a plain run's stderr, once per request. Here the
 * warnings an SDK gives while one of our requests runs are caught instead,
 * kept once per distinct text for the process, and handed back as `warning`
 * stream parts, which the creature turns into `warning` events (shown once,
 * recorded in the session). Output outside a request is left alone.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { LLMStreamPart, Provider } from './provider.js';

/** The warnings caught during the current request, waiting to be yielded. */
const scope = new AsyncLocalStorage<string[]>();
/** Texts already passed on: each distinct warning is shown once per process. */
const seen = new Set<string>();
let installed = false;

/** Route console.warn and process.emitWarning to the current request's list, when there is one. */
function install(): void {
  if (installed) return;
  installed = true;
  const original = console.warn;
  let fallback = original;
  const intercept = (...args: unknown[]) => {
    const caught = scope.getStore();
    if (caught) caught.push(format(...args));
    else fallback.apply(console, args);
  };
  // A property, not a plain replacement: the terminal app (Ink) swaps console.warn for its own
  // writer later and puts back what it found; the swap becomes where uncaught output goes.
  Object.defineProperty(console, 'warn', {
    configurable: true,
    enumerable: true,
    get: () => intercept,
    set: (value: typeof console.warn) => {
      fallback = value === intercept ? original : value;
    },
  });
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const caught = scope.getStore();
    if (caught) caught.push(typeof warning === 'string' ? warning : warning.message);
    else emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}

/** The not-yet-seen warnings of `caught`, as stream parts (the list is emptied). */
function drain(caught: string[]): LLMStreamPart[] {
  const parts: LLMStreamPart[] = [];
  for (const raw of caught.splice(0)) {
    const message = raw.trim();
    if (!message || seen.has(message)) continue;
    seen.add(message);
    parts.push({ type: 'warning', message });
  }
  return parts;
}

/**
 * Make `provider` catch its SDK's warnings: every step of its stream runs in
 * a scope that collects them, and they are yielded as `warning` parts next to
 * what the stream gives.
 */
export function catchSdkWarnings<P extends Provider>(provider: P): P {
  install();
  const stream = provider.stream.bind(provider);
  provider.stream = (request, options) => ({
    async *[Symbol.asyncIterator]() {
      const caught: string[] = [];
      const iterator = scope.run(caught, () => stream(request, options)[Symbol.asyncIterator]());
      try {
        for (;;) {
          const step = await scope.run(caught, () => iterator.next());
          yield* drain(caught);
          if (step.done) return;
          yield step.value;
        }
      } finally {
        // An early exit (abort, error) closes the SDK's stream in scope, too.
        await scope.run(caught, async () => iterator.return?.());
      }
    },
  });
  return provider;
}

/** Forget which warnings were shown (tests). */
export function resetSdkWarnings(): void {
  seen.clear();
}
