/** Slash commands about the session as a whole: cost, context, AGENTS.md, rewind, export, sessions, triggers. */
import type { SlashCommand } from '../commands.js';
import { contextCommand } from './context.js';
import { costCommand } from './cost.js';
import { exportCommand } from './export.js';
import { initCommand } from './init.js';
import { mcpCommand } from './mcp.js';
import { rewindCommand } from './rewind.js';
import { resumeCommand, sessionsCommand } from './sessions.js';
import { triggersCommand } from './triggers.js';

export const SESSION_COMMANDS: readonly SlashCommand[] = [costCommand, contextCommand, initCommand, rewindCommand, exportCommand, sessionsCommand, resumeCommand, triggersCommand, mcpCommand];
