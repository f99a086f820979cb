/**
 * `web_search`: search the web and list the hits (title, URL, snippet).
 * The search itself is a backend's job (`search-backends.ts`): DuckDuckGo's
 * HTML page by default, or a SearXNG instance. Config options `backend` and
 * `endpoint`, or the environment variables `KT_WEB_SEARCH_BACKEND` and
 * `KT_WEB_SEARCH_URL`, choose it.
 */
import { z } from 'zod';
import type { ToolFactory } from '../../engine/tools/catalog.js';
import { tool } from '../../engine/tools/define.js';
import { builtinInput } from './input.js';
import type { ToolResultObject } from '../../engine/tools/tool.js';
import { resolveBackend, searchConfig, type SearchResult } from './search-backends.js';

const DEFAULT_MAX = 10;
const MAX_MAX = 25;

const input = builtinInput('web-search', () =>
  z.object({
  query: z.string().trim().min(1).describe('What to search for, as you would type it into a search engine.'),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(MAX_MAX)
    .default(DEFAULT_MAX)
    .describe(`How many results to return at most. Default ${DEFAULT_MAX}, max ${MAX_MAX}.`),
}));

const DESCRIPTION = 'Search the web; returns a numbered list of results with title, URL and snippet.';

const DOC = `Search the web for \`query\` and list the results, best first:

    1. Title — https://example.com/page
       A snippet of the page's text around the match.

- \`max_results\` (default ${DEFAULT_MAX}, max ${MAX_MAX}) caps the list.
- Snippets are short and may be stale; fetch a page with \`web_fetch\` to read it.
- Search operators the engine understands work in \`query\` (quotes for a phrase, \`site:docs.python.org\`, \`-word\`).
- No results is not an error: try fewer or different words.`;

export const webSearchTool: ToolFactory = {
  name: 'web_search',
  description: DESCRIPTION,
  create(options) {
    const config = searchConfig(options);
    return tool({
      name: 'web_search',
      description: DESCRIPTION,
      doc: DOC,
      input,
      async execute(args, ctx): Promise<ToolResultObject> {
        const backend = resolveBackend(config, ctx.env);
        const results = await backend.search(args.query, { max: args.max_results, signal: ctx.signal });
        const shown = results.slice(0, args.max_results);
        return {
          output: shown.length ? format(shown) : `No results for "${args.query}".`,
          metadata: { backend: backend.name, count: shown.length },
        };
      },
    });
  },
};

function format(results: SearchResult[]): string {
  return results
    .map((result, i) => {
      const head = `${i + 1}. ${result.title} — ${result.url}`;
      return result.snippet ? `${head}\n   ${result.snippet}` : head;
    })
    .join('\n');
}
