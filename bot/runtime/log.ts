import pino from 'pino';
import type { Logger } from '../core/ports.js';

/** Keys that may hold secrets: never written to the log. */
const REDACT = ['puppetToken', 'token', '*.token', '*.puppetToken', 'config.puppetToken', 'qrcode'];

/**
 * The bot's structured log (pino, JSON lines on standard error). Message ids are logged with
 * each event; tokens and QR codes are redacted.
 */
export function createLogger(level: string): Logger {
  const log = pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination({ fd: 2, sync: true }));
  return {
    info: (obj, msg) => log.info(obj, msg),
    warn: (obj, msg) => log.warn(obj, msg),
    error: (obj, msg) => log.error(obj, msg),
  };
}

/** A logger that writes nothing: for the simulator, the bench and tests, whose output is the chat. */
export const silentLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };
