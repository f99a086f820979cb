/**
 * `createServer` from node:http, loaded on first use. An ESM import of
 * node:http reads every export, and one of them (WebSocket) loads the
 * bundled undici: about 20 ms at start for a server most creatures never open.
 */
import { createRequire } from 'node:module';
import type * as Http from 'node:http';

export const createServer = ((...args: Parameters<typeof Http.createServer>) =>
  (createRequire(import.meta.url)('node:http') as typeof Http).createServer(...args)) as typeof Http.createServer;
