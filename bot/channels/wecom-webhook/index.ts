import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Capabilities, Channel, ChannelEvents, Envelope } from '../../core/ports.js';

export type WecomWebhookOptions = {
  /** https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…, or a stand-in */
  url: string;
  /** the time a rate-limit pause is measured against */
  now: () => Date;
  fetch?: typeof fetch;
};

/** WeCom's answer when a robot sends more than 20 messages a minute. */
export const RATE_LIMITED = 45009;

/** After a 45009 the robot sends nothing for a minute, so the limit's window is clear again. */
const PAUSE_MS = 60_000;

/**
 * A 企业微信 group robot (群机器人) webhook: sends to the one group it was added to, hears nothing.
 * Text with @mentions by userid, files uploaded first (upload_media) and then sent by media id.
 * Combined with a channel that hears, the reminder rounds go through it (runtime/bot.ts).
 */
export class WecomWebhookChannel implements Channel {
  readonly name = 'wecom-webhook';
  /** the id of its one conversation */
  static readonly GROUP = 'webhook';
  readonly capabilities: Capabilities = { hearsAllGroupMessages: false, mentionsById: true, files: true, privateMessages: false, perMinute: 20 };
  private ready = false;
  private pausedUntil = 0;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WecomWebhookOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get connected(): boolean {
    return this.ready;
  }

  /** Nothing to open: a webhook can send as soon as it is configured. */
  async start(events: ChannelEvents): Promise<void> {
    this.ready = true;
    await events.connected();
  }

  async stop(): Promise<void> {
    this.ready = false;
  }

  async send(e: Envelope): Promise<void> {
    if (e.conversation.kind !== 'room') throw new Error('a group robot cannot send privately');
    if (this.options.now().getTime() < this.pausedUntil) throw new Error(`WeCom rate limit (${RATE_LIMITED}) met a moment ago; sending waits`);
    if (e.filePath) {
      const mediaId = await this.upload(e.filePath);
      await this.call(this.options.url, { body: JSON.stringify({ msgtype: 'file', file: { media_id: mediaId } }), headers: { 'content-type': 'application/json' } });
      return;
    }
    // <@userid> puts each @ where it belongs in the text; mentioned_list makes it notify
    const content = e.parts.map((p, i) => p + (e.mentions[i] !== undefined ? `<@${e.mentions[i]}>` : '')).join('');
    const text = { content, ...(e.mentions.length ? { mentioned_list: e.mentions } : {}) };
    await this.call(this.options.url, { body: JSON.stringify({ msgtype: 'text', text }), headers: { 'content-type': 'application/json' } });
  }

  private async upload(path: string): Promise<string> {
    const url = new URL(this.options.url);
    url.pathname = url.pathname.replace(/\/send$/, '/upload_media');
    url.searchParams.set('type', 'file');
    const form = new FormData();
    form.append('media', new Blob([await readFile(path)]), basename(path));
    const res = (await this.call(url.toString(), { body: form })) as { media_id?: string };
    if (!res.media_id) throw new Error('WeCom gave no media_id for the upload');
    return res.media_id;
  }

  /** One POST; WeCom's errcode (45009: too fast) throws, so the outbox retries later. */
  private async call(url: string, init: { body: string | FormData; headers?: Record<string, string> }): Promise<unknown> {
    const res = await this.fetch(url, { method: 'POST', ...init, signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`WeCom answered HTTP ${res.status}`);
    const body = (await res.json()) as { errcode?: number; errmsg?: string };
    if (body.errcode === RATE_LIMITED) {
      this.pausedUntil = this.options.now().getTime() + PAUSE_MS;
      throw new Error(`WeCom rate limit (${RATE_LIMITED}): more than 20 messages a minute; retried later`);
    }
    if (body.errcode) throw new Error(`WeCom refused the message: ${body.errcode} ${body.errmsg ?? ''}`);
    return body;
  }
}
