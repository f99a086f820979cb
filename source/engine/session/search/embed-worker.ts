/**
 * Entry of the thread that embeds a session's blocks while kt indexes it
 * (embed-thread.ts). The build puts it beside the CLI's code as
 * dist/cli/embed-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCheckpoints } from './checkpoints.js';
import { writeTurn } from './write-turn.js';
import { followIndex, type CheckpointThreadData, type EmbedThreadData } from './embed-thread.js';

// The same file runs the run's checkpointing thread (checkpoints.ts), which needs no port.
const data = workerData as EmbedThreadData | CheckpointThreadData;
if ('checkpointsOf' in data) runCheckpoints(data.checkpointsOf, data.cell, { turn: writeTurn(data.writeTurn) });
else if (parentPort) await followIndex(parentPort, data);
