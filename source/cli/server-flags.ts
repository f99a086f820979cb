/** The flags every command that starts the studio server takes (`kt web`, `kt app`, `kt serve`). */
export const SERVER_FLAGS = {
  host: { type: 'string' },
  port: { type: 'number' },
  token: { type: 'boolean', default: false },
  password: { type: 'boolean', default: false },
  users: { type: 'boolean', default: false },
  insecure: { type: 'boolean', default: false },
  pwd: { type: 'string' },
} as const;
