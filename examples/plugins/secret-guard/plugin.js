/**
 * secret-guard: keeps a creature's tools away from secrets. Reading a file
 * that looks like one (.env, *.pem, id_rsa, ...) is refused with the reason,
 * and any tool output that still carries an API-key-shaped string has it
 * masked before the model sees it.
 *
 * Plain JavaScript, so any kt loads it as is:
 *   plugins:
 *     - name: secret-guard
 *       module: ../plugins/secret-guard/plugin.js
 *       options: { extra_files: ["credentials.json"] }
 */
import path from 'node:path';
import { plugin, PluginBlockError } from 'kohakuterrarium';
import { z } from 'zod';

const SECRET_FILES = [/^\.env(\..*)?$/, /\.pem$/, /^id_(rsa|ed25519|ecdsa)$/, /\.key$/];
/** sk-..., ghp_..., xoxb-...: long opaque tokens with a well-known prefix. */
const TOKEN = /\b(sk-[A-Za-z0-9_-]{16,}|ghp_[A-Za-z0-9]{20,}|xox[abp]-[A-Za-z0-9-]{10,})\b/g;

export default plugin({
  name: 'secret-guard',
  description: 'Refuses reads of secret files and masks API keys in tool output.',
  priority: 5,
  options: z.object({ extra_files: z.array(z.string()).default([]) }),
  setup: (ctx) => ({
    preToolExecute(args, info) {
      const file = args && typeof args === 'object' && typeof args.path === 'string' ? path.basename(args.path) : undefined;
      if (!file) return;
      if (SECRET_FILES.some((re) => re.test(file)) || ctx.options.extra_files.includes(file)) {
        throw new PluginBlockError(`${info.toolName}: '${file}' holds secrets and is off limits to this creature`);
      }
    },
    postToolExecute(result) {
      if (typeof result.output !== 'string') return;
      const masked = result.output.replace(TOKEN, (token) => `${token.slice(0, 4)}…[masked]`);
      return masked === result.output ? undefined : { ...result, output: masked };
    },
  }),
});
