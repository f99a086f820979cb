/** Types of oauth-server.mjs (plain JS: express has no type declarations here). */
export interface OAuthMcpServer {
  url: string;
  close(): Promise<void>;
}

export function startOAuthMcpServer(): Promise<OAuthMcpServer>;
