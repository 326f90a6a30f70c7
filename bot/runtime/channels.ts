import { dirname, join } from 'node:path';
import type { WechatyOptions } from 'wechaty';
import type { WechatyChannelOptions } from '../channels/wechaty/index.js';
import type { Channel, Clock, Logger } from '../core/ports.js';
import type { RoundsChannel } from './bot.js';
import { realClock } from './clock.js';
import type { Config } from './config.js';
import { UserError } from './setup.js';

/** Said when no channel is chosen: which exist and how to set one up. */
export const NO_CHANNEL =
  'No channel is set: set LIAISON_CHANNEL (or "channel" in the config) to wecom (企业微信/政务微信 智能机器人, recommended), dingtalk (钉钉 stream) or wechaty (a Wechaty puppet); the README says what each needs.';

/** A ready puppet object (the simulator, tests and the start-up bench use wechaty-puppet-mock). */
export type Puppet = Exclude<WechatyOptions['puppet'], string | undefined>;

/** Where a channel keeps the files people send the bot: beside the ledger. */
export const inboxFiles = (config: Config) => join(dirname(config.dbPath), 'inbox-files');

/** The channel the config asks for, built; a missing setting is one sentence. */
export async function createChannel(config: Config, log: Logger, puppet?: Puppet, clock: Clock = realClock): Promise<Channel> {
  const channel = puppet ? 'wechaty' : config.channel;
  switch (channel) {
    case undefined:
      throw new UserError(NO_CHANNEL);
    case 'wechaty': {
      const { WechatyChannel, WEB_PROTOCOL_PUPPETS } = await import('../channels/wechaty/index.js');
      const chosen = puppet ?? config.puppet;
      if (!chosen) throw new UserError('The wechaty channel needs a puppet: set WECHATY_PUPPET (or "puppet" in the config), e.g. wechaty-puppet-service with WECHATY_PUPPET_SERVICE_TOKEN.');
      if (config.rooms.length === 0) throw new UserError('The wechaty channel needs the groups it serves: list their names in "rooms" in the config.');
      if (typeof chosen === 'string' && WEB_PROTOCOL_PUPPETS.includes(chosen)) {
        log.warn({ puppet: chosen }, 'the personal-WeChat web protocol is unmaintained: accounts running bots on it get warnings and bans, and it cannot send files with these versions; use wecom for a county');
      }
      return new WechatyChannel({ botName: config.botName, puppet: chosen as WechatyChannelOptions['puppet'], puppetToken: config.puppetToken, rooms: config.rooms, log, filesDir: inboxFiles(config) });
    }
    case 'wecom': {
      const { WecomChannel } = await import('../channels/wecom/index.js');
      const { botId, secret, wsUrl } = config.wecom ?? {};
      if (!botId || !secret) throw new UserError('The wecom channel needs the robot\'s bot id and secret: set WECOM_BOT_ID and WECOM_BOT_SECRET (or "wecom": { "botId", "secret" } in the config), from the robot\'s API mode (长连接) page in the WeCom admin console.');
      return new WecomChannel({ botId, secret, wsUrl, log, filesDir: inboxFiles(config) });
    }
    case 'dingtalk': {
      const { DingTalkChannel } = await import('../channels/dingtalk/index.js');
      const d = config.dingtalk;
      if (!d?.clientId || !d.clientSecret) {
        throw new UserError(`The dingtalk channel needs the app's credentials: set DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET (or "dingtalk": { "clientId", "clientSecret" } in the config), from the app's page in the DingTalk developer console.`);
      }
      return new DingTalkChannel({ clientId: d.clientId, clientSecret: d.clientSecret, robotCode: d.robotCode, apiBase: d.apiBase, log, now: () => clock.now() });
    }
    default:
      throw new UserError(`The ${channel} channel is not available in this build.`);
  }
}

/** The group robot webhook the reminder rounds go through, when one is configured. */
export async function createRoundsChannel(config: Config, clock: Clock = realClock): Promise<RoundsChannel | undefined> {
  if (!config.wecomWebhook) return undefined;
  const { WecomWebhookChannel } = await import('../channels/wecom-webhook/index.js');
  return { channel: new WecomWebhookChannel({ url: config.wecomWebhook.url, now: () => clock.now() }), group: WecomWebhookChannel.GROUP };
}
