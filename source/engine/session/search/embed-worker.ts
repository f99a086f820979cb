/**
 * Entry of the thread that embeds a session's blocks while kt indexes it
 * (embed-thread.ts). The build puts it beside the CLI's code as
 * dist/cli/embed-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { followIndex, type EmbedThreadData } from './embed-thread.js';

if (parentPort) await followIndex(parentPort, workerData as EmbedThreadData);
