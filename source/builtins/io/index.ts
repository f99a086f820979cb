/**
 * The input and output types that ship with kohakuterrarium, registered in
 * the I/O catalog so a config can name them (`input: {type: webhook}`).
 */
import type { IoCatalog } from '../../engine/io/catalog.js';
import { fileOutput } from './file-output.js';
import { stdinLinesInput } from './stdin-lines-input.js';
import { stdoutOutput } from './stdout-output.js';
import { cliInput, noneInput } from './surface-inputs.js';
import { ttsOutput } from './tts-output.js';
import { webhookInput } from './webhook-input.js';
import { webhookOutput } from './webhook-output.js';

export const builtinInputs = [cliInput, noneInput, stdinLinesInput, webhookInput] as const;
export const builtinOutputs = [stdoutOutput, fileOutput, webhookOutput, ttsOutput] as const;

export function registerBuiltinIo(catalog: IoCatalog): void {
  for (const definition of builtinInputs) if (!catalog.inputs.has(definition.kind)) catalog.inputs.register(definition);
  for (const definition of builtinOutputs) if (!catalog.outputs.has(definition.kind)) catalog.outputs.register(definition);
}
