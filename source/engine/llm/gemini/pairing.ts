/**
 * Gemini rejects a history in which a model `functionCall` is not answered
 * by a `functionResponse` in the very next turn, or a response answers no
 * call. Our message list is made valid with the shared repair before it is
 * converted; the names here are the ones this adapter (and its tests) use.
 */
export { ORPHAN_CALL_NOTE as MISSING_RESULT_NOTE, repairToolPairing as pairToolResults } from '../pairing.js';
