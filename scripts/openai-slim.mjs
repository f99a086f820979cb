// The CLI bundle's copy of the OpenAI SDK, without what kt never uses.
//
// - The client constructs every API resource it has (~30: assistants, audio,
//   vector stores, fine-tuning, admin, ...) and imports their modules
//   statically, with the stream helpers (`.stream()`, `.runTools()`) of the
//   chat and responses resources. kt's adapters only send
//   `chat.completions.create`, `responses.create` and `embeddings.create`,
//   streaming with their own readers. The rest was ~460 KB of the ~650 KB of
//   SDK a `kt run` loaded. Here each resource kt does not use becomes an
//   empty resource of the same name, and each stream helper a class that
//   refuses to be made.
// - Node's `Headers` and `FormData` are undici's: the first touch of either
//   loads all of undici (~55 M instructions, a twelfth of a one-turn
//   `kt run`), which kt's requests never use (they go out through node:http,
//   engine/llm/http-fetch.ts). The SDK builds request headers with a
//   `Headers` of kt's own, and asks whether a body is a FormData without
//   reading the global for a body that is not one.
//
// The library build leaves `openai` external: an application's own client is
// the whole SDK. If a file no longer has the shape expected here, it is
// bundled as it is, with a warning: the bundle grows, nothing breaks. A name
// another module still imports from a stand-in fails the build ("No
// matching export"), and test/cli/startup.e2e.test.ts checks that a one-turn
// run loads no undici.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Resources the client constructs that kt never calls (paths under openai/resources, without .mjs). */
const UNUSED_RESOURCES = [
  'admin/admin', 'audio/audio', 'batches', 'beta/beta', 'content-provenance-checks', 'containers/containers',
  'conversations/conversations', 'decisions', 'evals/evals', 'files', 'fine-tuning/fine-tuning', 'graders/graders',
  'images', 'live/live', 'moderations', 'realtime/realtime', 'safety/safety', 'skills/skills', 'uploads/uploads',
  'vector-stores/vector-stores', 'videos', 'webhooks/webhooks',
];

/**
 * Classes kt never makes (paths under openai/, without .mjs): the stream
 * helpers of `.stream()` / `.runTools()`, and the legacy workload identity
 * auth (made only for a `workloadIdentity` option; its module reads
 * `Response.prototype` while it loads, which alone loads undici).
 */
const UNUSED_CLASSES = ['lib/ChatCompletionStream', 'lib/ChatCompletionRunner', 'lib/ChatCompletionStreamingRunner', 'lib/responses/ResponseStream', 'auth/workload-identity-auth'];

function relativeToPackage(path) {
  const parts = path.replace(/\\/g, '/').split('/node_modules/openai/');
  return parts.length === 2 ? parts[1].replace(/\.mjs$/, '') : undefined;
}

/** The one class a module exports, if that is all it has of note (types aside). */
function soleClass(source) {
  const classes = [...source.matchAll(/^export class (\w+)/gm)].map((match) => match[1]);
  return classes.length === 1 ? classes[0] : undefined;
}

// The headers of every request the client sends are built as a WHATWG
// `Headers` (internal/headers.mjs), and the debug log formats them whether or
// not it logs (internal/utils/log.mjs). Node's `Headers` is undici's:
// touching it loads all of undici (~55 M instructions, a twelfth of a
// one-turn `kt run`), which kt's requests never use (they go out through
// node:http, engine/llm/http-fetch.ts). Those two modules get
// engine/llm/request-headers.ts's class instead, which behaves as Node's for
// everything a request needs (its test compares the two). Each file is
// listed with a use of `Headers` it must still have.
const HEADERS_FILES = { 'internal/headers': 'const targetHeaders = new Headers();', 'internal/utils/log': 'details.headers instanceof Headers' };
const REQUEST_HEADERS = ['source', 'engine', 'llm', 'request-headers.ts'];

// The client asks `body instanceof FormData` of every chat request's body
// (and only ever uses FormData so). In client.mjs, FormData stands for a
// check with the same answer that reads the global (and loads undici) only
// for a value that says it is a FormData.
const CLIENT_FILE = 'client';
const FORM_DATA_CHECKS = /\bbody instanceof FormData\b/g;
const FORM_DATA_STAND_IN =
  "const FormData = { [Symbol.hasInstance]: (value) => value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object FormData]' && value instanceof globalThis.FormData };";

/** The plugin; `root` is the repository (for engine/llm/request-headers.ts). */
export function openaiSlim(root) {
  const requestHeaders = join(root, ...REQUEST_HEADERS);
  return {
    name: 'openai-slim',
    setup(b) {
      b.onLoad({ filter: /[\\/]node_modules[\\/]openai[\\/]internal[\\/](headers|utils[\\/]log)\.mjs$/ }, async (args) => {
        const rel = relativeToPackage(args.path);
        if (!rel || !Object.hasOwn(HEADERS_FILES, rel)) return undefined;
        const source = await readFile(args.path, 'utf8');
        // Its own `Headers` binding would clash with the import; a changed module is left as it is.
        if (!source.includes(HEADERS_FILES[rel]) || /\b(class|function|const|let|var|import)\s+\{?\s*Headers\b/.test(source)) {
          console.warn(`build: openai's ${rel} changed shape; it keeps the global Headers`);
          return undefined;
        }
        return { contents: `import { RequestHeaders as Headers } from ${JSON.stringify(requestHeaders)};\n${source}`, loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]+$/, '') };
      });
      b.onLoad({ filter: /[\\/]node_modules[\\/]openai[\\/]client\.mjs$/ }, async (args) => {
        if (relativeToPackage(args.path) !== CLIENT_FILE) return undefined;
        const source = await readFile(args.path, 'utf8');
        const uses = source.match(/\bFormData\b/g)?.length ?? 0;
        const checks = source.match(FORM_DATA_CHECKS)?.length ?? 0;
        // Every use must be one of those checks (comments aside), or the stand-in could meet another use.
        const inComments = [...source.matchAll(/\/\/.*|\/\*[\s\S]*?\*\//g)].reduce((n, m) => n + (m[0].match(/\bFormData\b/g)?.length ?? 0), 0);
        if (checks === 0 || uses - inComments !== checks) {
          console.warn(`build: openai's ${CLIENT_FILE} uses FormData differently now; it keeps the global one`);
          return undefined;
        }
        return { contents: `${FORM_DATA_STAND_IN}\n${source}`, loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]+$/, '') };
      });
      b.onLoad({ filter: /[\\/]node_modules[\\/]openai[\\/](resources|lib|auth)[\\/].*\.mjs$/ }, async (args) => {
        const rel = relativeToPackage(args.path);
        if (!rel) return undefined;
        const resource = rel.startsWith('resources/') && UNUSED_RESOURCES.includes(rel.slice('resources/'.length));
        const helper = UNUSED_CLASSES.includes(rel);
        if (!resource && !helper) return undefined;
        const source = await readFile(args.path, 'utf8');
        const name = soleClass(source);
        if (!name || (resource && !source.includes(`export class ${name} extends APIResource`))) {
          console.warn(`build: openai's ${rel} changed shape; bundled in full`);
          return undefined;
        }
        const depth = rel.split('/').length - 1;
        const up = '../'.repeat(depth);
        const contents = resource
          ? `import { APIResource } from ${JSON.stringify(`${up}core/resource.mjs`)};\nexport class ${name} extends APIResource {}\n`
          : `export class ${name} {\n  constructor() { throw new Error(${JSON.stringify(`openai's ${name} is not part of kt's bundle`)}); }\n}\n`;
        return { contents, loader: 'js', resolveDir: args.path.replace(/[\\/][^\\/]+$/, '') };
      });
    },
  };
}
