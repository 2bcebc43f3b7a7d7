import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Personal or secret data (speech transcripts, essays, emails, tokens) is only ever logged under
 * `pii.*`, and that subtree is always redacted. Messages are fixed strings; variables go in fields.
 */
export function createLogger(options: { level?: string; nodeId?: string } = {}): Logger {
  return pino({
    level: options.level ?? 'info',
    base: { node: options.nodeId ?? 'node-1' },
    redact: { paths: ['pii', 'pii.*', '*.pii', '*.pii.*'], censor: '[redacted]' },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
