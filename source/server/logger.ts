/** Structured JSON logs (pino). Keys, tokens and passwords never reach a log line. */
import { pino, type DestinationStream, type Logger } from 'pino';

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.KT_LOG_LEVEL ?? 'info',
      base: { pid: process.pid, service: 'kt-server' },
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.key', '*.token'], censor: '[redacted]' },
    },
    options.destination,
  );
}
