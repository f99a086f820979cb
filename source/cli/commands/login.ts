/**
 * `kt login <provider>`: store an API key (read without echo, or from stdin
 * with `--key -`), or sign in to ChatGPT with `kt login codex`.
 */
import { UsageError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import { readAll } from '../../ui/plain/input.js';
import { providerForKey, saveKey } from '../config/keys.js';
import { askSecret, requireTerminal } from '../prompt.js';

const HELP = `
Usage
  $ kt login <provider> [--key <key> | --key -]

  Stores the API key for <provider> in the config folder (file mode 0600).
  Without --key it asks for the key without showing it; --key - reads it
  from stdin, for scripts. kt login codex signs in with a ChatGPT
  subscription instead (device code, or the browser on this machine).

Examples
  $ kt login anthropic
  $ echo "$OPENAI_API_KEY" | kt login openai --key -
  $ kt login codex
`;

export async function loginCommand(argv: string[]): Promise<number> {
  const cli = parseArgs(HELP, stdinDash(argv, '--key'), { key: { type: 'string' } }, 'kt login');
  const [name, ...extra] = cli.input;
  if (!name) throw new UsageError('which provider? e.g. kt login anthropic (see kt config provider list)');
  if (extra.length) throw new UsageError(`unexpected argument '${extra[0]}'`);
  if (name === 'codex') {
    if (cli.flags.key !== undefined) throw new UsageError('codex signs in with your ChatGPT account; it takes no --key');
    const { codexLoginCommand } = await import('../codex-login.js');
    const controller = new AbortController();
    const onInterrupt = () => controller.abort();
    process.once('SIGINT', onInterrupt);
    try {
      return await codexLoginCommand({ stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
    } finally {
      process.off('SIGINT', onInterrupt);
    }
  }
  const backend = providerForKey(name, process.env);
  const key = await readKey(cli.flags.key, `API key for ${backend.name}${backend.apiKeyEnv ? ` (${backend.apiKeyEnv})` : ''}: `);
  const saved = await saveKey(backend.name, key, process.env);
  process.stdout.write(`${saved.replaced ? 'Replaced' : 'Saved'} the key for ${backend.name} (${saved.masked}) in ${saved.path}\n`);
  return 0;
}

/** The key from --key, --key - (stdin), or a hidden prompt. */
export async function readKey(flag: string | undefined, question: string): Promise<string> {
  let key: string;
  if (flag === '-') key = await readAll(process.stdin);
  else if (flag !== undefined) key = flag;
  else {
    requireTerminal('the key (pass it with --key - on stdin)');
    key = await askSecret(question);
  }
  key = key.trim();
  if (!key) throw new UsageError('the key is empty');
  if (/\s/.test(key)) throw new UsageError('the key contains whitespace; paste it again');
  return key;
}

/** meow reads `--key -` as an empty flag plus a `-` argument; make it `--key=-`. */
export function stdinDash(argv: string[], flag: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag && argv[i + 1] === '-') {
      out.push(`${flag}=-`);
      i++;
    } else out.push(argv[i] as string);
  }
  return out;
}
