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

export const configSchema = z.object({
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
  coordinators: z.array(z.object({ name: z.string().min(1), contactId: z.string().min(1).optional() })).min(1, 'name at least one coordinator'),
  /** wechaty: the groups the bot serves, by topic; elsewhere it stays silent */
  rooms: z.array(z.string().min(1)).default([]),
  /** wecom: the 智能机器人's bot id, secret and (private deployments) server */
  wecom: wecomSection,
  dbPath: z.string().min(1).default('data/ledger.db'),
  planPath: z.string().min(1).default(seedFiles.plan),
  unitsPath: z.string().min(1).default(seedFiles.units),
  holidaysPath: z.string().min(1).default(seedFiles.holidays),
  /** the coordinators' own group (its conversation id): exports go there when the channel cannot send privately */
  coordinatorGroup: z.string().min(1).optional(),
  /** where /export writes the ledger workbooks */
  exportDir: z.string().min(1).default('data/exports'),
  reminders: z
    .object({ time: hhmm.default('09:00') })
    .extend(ladderSchema.shape)
    .prefault({}),
  outbox: z
    .object({
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

/** Environment variables that override the file (the names Wechaty users know). */
/** Each channel section's fields that environment variables set, by variable. */
const CHANNEL_ENV = { wecom: wecomEnv, dingtalk: dingtalkEnv, wecomWebhook: wecomWebhookEnv } as const;
type ChannelEnvName = { [S in keyof typeof CHANNEL_ENV]: keyof (typeof CHANNEL_ENV)[S] }[keyof typeof CHANNEL_ENV];

export type ConfigEnv = Partial<Record<'LIAISON_CHANNEL' | 'WECHATY_PUPPET' | 'WECHATY_PUPPET_SERVICE_TOKEN' | 'LIAISON_DB' | ChannelEnvName, string>>;

/** A channel's section from the file with the environment's settings over it; absent when neither has any. */
function sectionWithEnv(section: unknown, fields: Record<string, string>, env: ConfigEnv): object | undefined {
  const fromEnv = Object.fromEntries(Object.entries(fields).flatMap(([name, field]) => (env[name as ChannelEnvName] ? [[field, env[name as ChannelEnvName]]] : [])));
  if (section === undefined && Object.keys(fromEnv).length === 0) return undefined;
  return { ...(section as object), ...fromEnv };
}

/** Reads and checks the config once; a bad field stops start-up with a sentence naming it. */
export function loadConfig(path: string, env: ConfigEnv): Config {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new UserError(`The config file ${path} does not exist; copy config.example.json to ${path} and edit it.`);
    throw new UserError(`The config file ${path} is not valid JSON (${e.message}).`);
  }
  const merged = {
    ...(raw as object),
    ...(env.LIAISON_CHANNEL ? { channel: env.LIAISON_CHANNEL } : {}),
    ...(env.WECHATY_PUPPET ? { puppet: env.WECHATY_PUPPET } : {}),
    ...(env.WECHATY_PUPPET_SERVICE_TOKEN ? { puppetToken: env.WECHATY_PUPPET_SERVICE_TOKEN } : {}),
    ...(env.LIAISON_DB ? { dbPath: env.LIAISON_DB } : {}),
    ...Object.fromEntries(Object.entries(CHANNEL_ENV).map(([key, fields]) => [key, sectionWithEnv((raw as Record<string, unknown>)[key], fields, env)])),
  };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`The config file ${path} has a bad field "${issue.path.join('.') || '(top level)'}": ${issue.message}.`);
  }
  return parsed.data;
}
