/**
 * `kt admin`: the server's accounts and host token, edited on this machine
 * (whoever can run kt here owns the server). Passwords are read from the
 * terminal without echo, or from stdin when piped (`--password-stdin`).
 */
import { UsageError } from '../../engine/errors.js';
import { parseArgs } from '../args.js';
import { printJson, table } from '../table.js';

const HELP = `
Usage
  $ kt admin user add <name> [--role admin|user] [--password-stdin]
  $ kt admin user list [--json]
  $ kt admin user remove <name>
  $ kt admin user reset-password <name> [--password-stdin]
  $ kt admin password [--password-stdin]    Set the admin password (kt web --password)
  $ kt admin token rotate                   A new host token (kt web --token); prints it

  Accounts live in <config home>/server/auth.json (argon2id hashes, mode 0600).
`;

const FLAGS = {
  role: { type: 'string', default: 'user' },
  passwordStdin: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

async function readPassword(fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8').split('\n')[0]?.trim() ?? '';
    if (!text) throw new UsageError('no password on stdin');
    return text;
  }
  const { askSecret } = await import('../prompt.js');
  const first = await askSecret('Password: ');
  const again = await askSecret('Again: ');
  if (first !== again) throw new UsageError('the passwords differ');
  return first;
}

export async function adminCommand(argv: string[]): Promise<number> {
  const [area, action, ...rest] = argv;
  // `kt admin --help` has no area: the flags are the whole argv.
  const cli = parseArgs(HELP, area?.startsWith('-') ? argv : argv.slice(area === 'user' || area === 'token' ? 2 : 1), FLAGS, 'kt admin');
  const { Accounts, accountsPath } = await import('../../server/auth/accounts.js');
  const accounts = new Accounts(accountsPath());
  const name = area === 'user' ? rest.find((a) => !a.startsWith('-')) : undefined;
  const needName = () => {
    if (!name) throw new UsageError(`kt admin user ${action}: which user? (kt admin user list)`);
    return name;
  };
  if (area === 'user' && action === 'add') {
    const role = cli.flags.role;
    if (role !== 'admin' && role !== 'user') throw new UsageError(`--role must be admin or user, not '${role}'`);
    const user = needName();
    if (!/^[a-zA-Z0-9_.-]{1,64}$/.test(user)) throw new UsageError(`user name '${user}': letters, digits, _ . - only (up to 64)`);
    await accounts.add(user, await readPassword(cli.flags.passwordStdin), role);
    process.stdout.write(`Added ${role} ${user}\n`);
    return 0;
  }
  if (area === 'user' && action === 'list') {
    const users = accounts.list();
    if (cli.flags.json) printJson(users);
    else process.stdout.write(users.length ? `${table(users.map((u) => [u.name, u.role, new Date(u.createdAt).toISOString()]), ['name', 'role', 'created'])}\n` : 'No users yet (kt admin user add <name>)\n');
    return 0;
  }
  if (area === 'user' && action === 'remove') {
    accounts.remove(needName());
    process.stdout.write(`Removed ${name}\n`);
    return 0;
  }
  if (area === 'user' && action === 'reset-password') {
    const user = needName();
    await accounts.resetPassword(user, await readPassword(cli.flags.passwordStdin));
    process.stdout.write(`Password of ${user} reset\n`);
    return 0;
  }
  if (area === 'password') {
    await accounts.setAdminPassword(await readPassword(cli.flags.passwordStdin));
    process.stdout.write('Admin password set\n');
    return 0;
  }
  if (area === 'token' && action === 'rotate') {
    const { rotateToken, tokenPath } = await import('../../server/host/settings.js');
    const token = rotateToken();
    process.stdout.write(`${token}\n`);
    process.stderr.write(`Stored in ${tokenPath()}; restart the server to use it.\n`);
    return 0;
  }
  throw new UsageError(`kt admin ${[area, action].filter(Boolean).join(' ')}: see kt admin --help`);
}
