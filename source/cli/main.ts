/**
 * Subcommand dispatch. Each command lives in its own module and is imported
 * only when it runs, so `kt --help` loads nothing heavy.
 */
import { UsageError } from '../engine/errors.js';
import { didYouMean } from '../engine/util/close-match.js';
import { defaultCreature } from './config/settings.js';
import { startEarlyApp, startEarlyResume } from './early-ui.js';
import { EXIT, exitWhenFlushed, reportError } from './exit.js';
import type { InteractiveApp } from '../ui/cli/run.js';

/** A command; `kt run` and `kt resume` also take the app drawn for them already. */
type Command = (argv: string[], app?: Promise<InteractiveApp>) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  run: { summary: 'Run a creature (an agent) from a folder or @package reference', load: async () => (await import('./commands/run.js')).runCommand },
  terrarium: { summary: 'Run a team of creatures from a recipe, or draw it (run, info)', load: async () => (await import('./commands/terrarium.js')).terrariumCommand },
  resume: { summary: 'Pick a session up where it stopped (--last, a name, or choose)', load: async () => (await import('./commands/resume.js')).resumeCommand },
  sessions: { summary: 'List recent sessions', load: async () => (await import('./commands/sessions.js')).sessionsCommand },
  search: { summary: 'Search saved sessions (full text, embeddings or both)', load: async () => (await import('./commands/search.js')).searchCommand },
  embedding: { summary: 'Index a session for kt search (full text + vectors)', load: async () => (await import('./commands/embedding.js')).embeddingCommand },
  fork: { summary: 'Copy a session (up to an event) into a new one', load: async () => (await import('./commands/fork.js')).forkCommand },
  replay: { summary: 'Replay a session as a regression test (--check), or against another model (--llm)', load: async () => (await import('./commands/replay.js')).replayCommand },
  login: { summary: 'Store an API key for a provider, or sign in to ChatGPT (kt login codex)', load: async () => (await import('./commands/login.js')).loginCommand },
  model: { summary: 'List models, show one, or set the default', load: async () => (await import('./commands/model.js')).modelCommand },
  config: { summary: 'Keys, model presets, providers and paths', load: async () => (await import('./commands/config.js')).configCommand },
  mcp: { summary: 'MCP servers creatures can use: list, add, test (= kt config mcp)', load: async () => (await import('./commands/mcp.js')).mcpCommand },
  doctor: { summary: 'Check that everything a run needs is in place', load: async () => (await import('./commands/doctor.js')).doctorCommand },
  install: { summary: 'Install a package: a folder (-e to link), git URL, npm:<name> or @name', load: async () => (await import('./commands/install.js')).installCommand },
  list: { summary: 'List installed and bundled packages', load: async () => (await import('./commands/list.js')).listCommand },
  info: { summary: 'Show one package: version, source, what it contains', load: async () => (await import('./commands/info.js')).infoCommand },
  update: { summary: 'Fetch a package (or --all) again from its source', load: async () => (await import('./commands/update.js')).updateCommand },
  uninstall: { summary: 'Remove an installed package', load: async () => (await import('./commands/uninstall.js')).uninstallCommand },
  marketplace: { summary: 'Search the package index (KT_MARKET_URL), or show one entry', load: async () => (await import('./commands/marketplace.js')).marketplaceCommand },
  web: { summary: 'Serve the studio API and dashboard here, and open it in the browser', load: async () => (await import('./commands/web.js')).webCommand },
  app: { summary: 'The dashboard in an app-style window (kt web in --app mode)', load: async () => (await import('./commands/web.js')).appCommand },
  serve: { summary: 'The studio server in the background (start, stop, restart, status, logs)', load: async () => (await import('./commands/serve.js')).serveCommand },
  service: { summary: 'Run kt as a hardened systemd service (install, uninstall, status)', load: async () => (await import('./commands/service.js')).serviceCommand },
  lab: { summary: 'The Laboratory: creatures on several machines over NATS (status, apply, chat, host)', load: async () => (await import('./commands/lab.js')).labCommand },
  'lab-client': { summary: 'Run a Laboratory worker in the foreground (--nats, --name, --capacity)', load: async () => (await import('./commands/lab.js')).labClientCommand },
  admin: { summary: 'Server accounts and host token (user add|list|remove|reset-password, token rotate)', load: async () => (await import('./commands/admin.js')).adminCommand },
};

const DEFAULT_NOTE = '@kt-biome/creatures/swe, or the default_creature setting';

export const TOP_HELP = `
kt — KohakuTerrarium: build and run AI agents

Usage
  $ kt                     Start the default creature (${DEFAULT_NOTE})
  $ kt [run options]       The same, with kt run's options (kt -p "..." runs one turn)
  $ kt <command> [options]

Commands
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join('\n')}

Options
  --help, -h       Show help (also: kt <command> --help)
  --version, -v    Print the version

Examples
  $ kt login anthropic
  $ kt run @kt-biome/creatures/swe -p "Explain what this codebase does."
  $ echo "Summarise README.md" | kt run @kt-biome/creatures/general --llm gpt-5.4-mini
  $ kt doctor
`;

const HELP_WORDS = new Set(['--help', '-h', 'help']);

export async function main(argv: string[]): Promise<void> {
  // A reader that went away (kt ... | head) is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
  });
  // `kt` alone (or with run flags only) starts the default creature, as other agent CLIs do.
  if (argv.length === 0 || (argv[0]!.startsWith('-') && !HELP_WORDS.has(argv[0]!))) {
    try {
      argv = ['run', defaultCreature(), ...argv];
    } catch (error) {
      await exitWhenFlushed(reportError(error));
    }
  }
  const [name, ...rest] = argv;
  let code: number;
  if (!name || HELP_WORDS.has(name)) {
    process.stdout.write(`${TOP_HELP.trim()}\n`);
    code = EXIT.ok;
  } else {
    const command = COMMANDS[name];
    if (!command) {
      code = reportError(new UsageError(`unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}; see kt --help`));
    } else {
      // The terminal app starts drawing while `kt run` or `kt resume` loads the engine (see early-ui.ts).
      const started = name === 'run' ? startEarlyApp(rest) : name === 'resume' ? startEarlyResume(rest) : undefined;
      // Drawn first, then the engine loads: loading both at once only delayed the frame.
      const app = started && (await started.then(() => true, () => false)) ? started : undefined;
      try {
        code = await (await command.load())(rest, app);
      } catch (error) {
        // The screen goes back to normal before the error is printed on it.
        if (app) await (await app).close();
        code = reportError(error);
      }
    }
  }
  await exitWhenFlushed(code);
}
