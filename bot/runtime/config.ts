import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { seedFiles } from '../../seeds/files.js';
import { dingtalkEnv, dingtalkSection } from '../channels/dingtalk/config.js';
import { wecomWebhookEnv, wecomWebhookSection } from '../channels/wecom-webhook/config.js';
import { ladderSchema } from '../../schedules/ladder.js';
import { wecomEnv, wecomSection } from '../channels/wecom/config.js';
import { UserError } from './setup.js';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time written HH:mm');

/** The channels people can reach the bot through; each is a folder under bot/channels/. */
export const CHANNELS = ['wecom', 'dingtalk', 'wechaty'] as const;

/** Where the bot keeps its files: the part of the config the `liaison` command reads too. */
export const filesSchema = z.strictObject({
  dbPath: z.string().min(1).default('data/ledger.db'),
  planPath: z.string().min(1).default(seedFiles.plan),
  unitsPath: z.string().min(1).default(seedFiles.units),
  holidaysPath: z.string().min(1).default(seedFiles.holidays),
});
export type Files = z.infer<typeof filesSchema>;

// strict objects throughout: a mistyped key is refused (naming the closest known one), never ignored
export const configSchema = z.strictObject({
  /** which channel the bot listens on (LIAISON_CHANNEL); none: start-up says how to choose */
  channel: z.enum(CHANNELS).optional(),
  /** wechaty: names the session, so a login survives a restart */
  botName: z.string().min(1).default('zwgk-liaison'),
  /** wechaty: the puppet (WECHATY_PUPPET); the personal-WeChat web protocol only when asked for */
  puppet: z.string().min(1).optional(),
  /** wechaty: the token of wechaty-puppet-service */
  puppetToken: z.string().min(1).optional(),
  /**
   * Coordinators (协调员). A contact is one when its id is listed, or when the bot account's
   * own remark (备注) for it equals the name: a remark the contact cannot change, unlike a nickname.
   */
  coordinators: z.array(z.strictObject({ name: z.string().min(1), contactId: z.string().min(1).optional() })).min(1, 'name at least one coordinator'),
  /** wechaty: the groups the bot serves, by topic; elsewhere it stays silent */
  rooms: z.array(z.string().min(1)).default([]),
  /** wecom: the 智能机器人's bot id, secret and (private deployments) server */
  wecom: wecomSection,
  ...filesSchema.shape,
  /** the coordinators' own group (its conversation id): exports go there when the channel cannot send privately */
  coordinatorGroup: z.string().min(1).optional(),
  /** where /export writes the ledger workbooks */
  exportDir: z.string().min(1).default('data/exports'),
  reminders: z
    .strictObject({ time: hhmm.default('09:00') })
    .extend(ladderSchema.shape)
    .prefault({}),
  outbox: z
    .strictObject({
      /** WeChat restricts accounts that send fast: at least this long between messages */
      minGapMs: z.number().int().min(0).default(3000),
      jitterMs: z.number().int().min(0).default(2000),
      dailyCap: z.number().int().positive().default(300),
      /** a message longer than this is split at line breaks */
      maxLength: z.number().int().min(200).default(1500),
    })
    .prefault({}),
  /** dingtalk: the app's credentials (DINGTALK_CLIENT_ID, DINGTALK_CLIENT_SECRET) */
  dingtalk: dingtalkSection.optional(),
  /** a 企业微信 group robot the reminder rounds go through, beside the channel that hears (WECOM_WEBHOOK_URL) */
  wecomWebhook: wecomWebhookSection.optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type Config = z.infer<typeof configSchema>;

/** Each channel section's fields that environment variables set, by variable. */
const CHANNEL_ENV = { wecom: wecomEnv, dingtalk: dingtalkEnv, wecomWebhook: wecomWebhookEnv } as const;
type ChannelEnvName = { [S in keyof typeof CHANNEL_ENV]: keyof (typeof CHANNEL_ENV)[S] }[keyof typeof CHANNEL_ENV];

export type ConfigEnv = Partial<Record<'LIAISON_CONFIG' | 'LIAISON_CHANNEL' | 'WECHATY_PUPPET' | 'WECHATY_PUPPET_SERVICE_TOKEN' | 'LIAISON_DB' | ChannelEnvName, string>>;

/** A channel's section from the file with the environment's settings over it; absent when neither has any. */
function sectionWithEnv(section: unknown, fields: Record<string, string>, env: ConfigEnv): object | undefined {
  const fromEnv = Object.fromEntries(Object.entries(fields).flatMap(([name, field]) => (env[name as ChannelEnvName] ? [[field, env[name as ChannelEnvName]]] : [])));
  if (section === undefined && Object.keys(fromEnv).length === 0) return undefined;
  return { ...(section as object), ...fromEnv };
}

/** The config file's place: --config, else LIAISON_CONFIG, else config.json; `named` when the user chose it. */
export function configPath(flag: string | undefined, env: ConfigEnv): { path: string; named: boolean } {
  const named = flag ?? env.LIAISON_CONFIG;
  return { path: named ?? 'config.json', named: named !== undefined };
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`The config file ${path} does not exist; copy config.example.json to ${path} and edit it.`);
    throw new UserError(`The config file ${path} cannot be read (${code === 'EISDIR' ? 'it is a folder' : code}).`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    // JSON.parse quotes the text around the fault, which may be a secret: only its place is told
    const at = /position (\d+)/.exec((err as Error).message);
    const line = at ? text.slice(0, Number(at[1])).split('\n') : null;
    throw new UserError(`The config file ${path} is not valid JSON${line ? ` (line ${line.length}, column ${line.at(-1)!.length + 1})` : ''}.`);
  }
}

/**
 * Reads and checks the config once. Every bad field is listed in one sentence, which names
 * fields and keys but never echoes a value: values include tokens and secrets.
 */
export function loadConfig(path: string, env: ConfigEnv): Config {
  const raw = readConfigFile(path);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UserError(`The config file ${path} must hold one JSON object ({ ... }).`);
  const merged = {
    ...raw,
    ...(env.LIAISON_CHANNEL ? { channel: env.LIAISON_CHANNEL } : {}),
    ...(env.WECHATY_PUPPET ? { puppet: env.WECHATY_PUPPET } : {}),
    ...(env.WECHATY_PUPPET_SERVICE_TOKEN ? { puppetToken: env.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
    ...(env.LIAISON_DB ? { dbPath: env.LIAISON_DB } : {}),
    ...Object.fromEntries(Object.entries(CHANNEL_ENV).map(([key, fields]) => [key, sectionWithEnv((raw as Record<string, unknown>)[key], fields, env)])),
  };
  const parsed = configSchema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.flatMap((issue) => describeIssue(issue, merged));
  throw new UserError(`The config file ${path} has ${problems.length === 1 ? 'a bad field' : `${problems.length} bad fields`}: ${problems.join('; ')}.`);
}

/** One issue in words: a missing field as missing, an unknown key with the closest known one. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  const name = (key: PropertyKey) => `"${[...issue.path, key].join('.')}"`;
  if (issue.code === 'unrecognized_keys') {
    const known = keysAt(configSchema, issue.path);
    return issue.keys.map((key) => {
      const near = closest(key, known);
      return `${name(key)} is not a known key${near ? ` (did you mean "${near}"?)` : ''}`;
    });
  }
  const field = `"${issue.path.join('.') || '(top level)'}"`;
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) return [`${field} is missing`];
  return [`${field} is not valid (${issue.message})`];
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined), input);
}

/** The keys the object schema at `path` knows, looking through optional, default and array wrappers. */
function keysAt(schema: z.ZodType, path: PropertyKey[]): string[] {
  let s: unknown = schema;
  for (let i = 0; ; ) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap();
    else if (i === path.length) break;
    else if (s instanceof z.ZodArray) (s = s.element), i++;
    else if (s instanceof z.ZodObject) (s = s.shape[path[i++] as string]), i;
    else return [];
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : [];
}

/**
 * The known key nearest to a mistyped one, if any is near (edit distance at most a third of its
 * length, at least 2). Written here: a dozen lines, not worth a dependency.
 */
function closest(key: string, known: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const next = [i];
      for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      row = next;
    }
    return row[b.length]!;
  };
  const scored = known.map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.k : undefined;
}
