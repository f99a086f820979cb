/**
 * Tool-call pairing for the Responses API, which rejects a `function_call`
 * without its `function_call_output` and an output whose call it never saw.
 * The shared repair on our message list does it before conversion; the names
 * here are the ones this adapter (and its tests) use.
 */
export { ORPHAN_CALL_NOTE as UNANSWERED_CALL_OUTPUT, repairToolPairing as pairToolOutputs } from '../../pairing.js';
