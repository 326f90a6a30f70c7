import pino, { type DestinationStream } from 'pino';
import type { Logger } from '../core/ports.js';

/** Keys that hold secrets (tokens, channel secrets, QR codes), wherever a log line nests them. */
const SECRET_KEYS = ['puppetToken', 'token', 'secret', 'clientSecret', 'accessToken', 'access_token', 'qrcode'];
const REDACT = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
  // the group robot's address carries its key: whoever has it can post to the group
  'wecomWebhook.url',
  '*.wecomWebhook.url',
];
/** A secret inside a text, such as an error's message: the webhook's key=, an access_token=. */
const SECRET_IN_TEXT = /([?&](?:key|access_token|accessToken|secret)=)[^&\s"'#]+/gi;

const scrubText = (text: string) => text.replace(SECRET_IN_TEXT, '$1[redacted]');

/** Masks secrets inside the strings of a log line, without changing what the caller logged. */
function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value instanceof Error) {
    // a copy of the same class: pino's error serializer names the type by its constructor
    const copy = Object.assign(Object.create(Object.getPrototypeOf(value) as object) as Error, scrub({ ...value }, depth + 1));
    return Object.defineProperties(copy, { message: { value: scrubText(value.message) }, stack: { value: value.stack && scrubText(value.stack) } });
  }
  if (!value || typeof value !== 'object' || depth > 4) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, depth + 1)]));
}

/**
 * The bot's structured log (pino, JSON lines on standard error). Message ids are logged with
 * each event; secrets are redacted by key and masked inside texts.
 */
export function createLogger(level: string, destination: DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  const log = pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
  return {
    info: (obj, msg) => log.info(scrub(obj) as object, msg && scrubText(msg)),
    warn: (obj, msg) => log.warn(scrub(obj) as object, msg && scrubText(msg)),
    error: (obj, msg) => log.error(scrub(obj) as object, msg && scrubText(msg)),
  };
}

/** A logger that writes nothing: for the simulator, the bench and tests, whose output is the chat. */
export const silentLog: Logger = { info: () => {}, warn: () => {}, error: () => {} };
