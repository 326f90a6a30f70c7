import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { WSClient, generateReqId, type FileMessage, type TextMessage, type WsFrame } from '@wecom/aibot-node-sdk';
import { keepFile } from '../files.js';
import { FileNotSent, type Capabilities, type Channel, type ChannelEvents, type Envelope, type Logger } from '../../core/ports.js';

export type WecomChannelOptions = {
  botId: string;
  secret: string;
  /** the long-connection server; the SDK's default (wss://openws.work.weixin.qq.com) when absent */
  wsUrl?: string;
  log: Logger;
  /** first reconnect delay; the SDK doubles it up to 30 s (tests make it short) */
  reconnectMs?: number;
  heartbeatMs?: number;
  /** where files sent to the bot are kept (readable by the bot's user only); absent: files are not taken */
  filesDir?: string;
};

/** The SDK logs every retry; the channel says each kind of trouble once, in its own words. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** An answer the server refused is a frame with an errcode (the SDK rejects with it), not an Error. */
type Refusal = { errcode?: number; errmsg?: string };
const refusal = (err: unknown): Refusal | null => (err instanceof Error ? null : (err as Refusal));

/**
 * 企业微信 / 政务微信 智能机器人 over its official long connection (@wecom/aibot-node-sdk): no public
 * address needed. Hears @-messages in groups and everything in a single chat; knows people by
 * userid only. Answers go back through the reply path of the message they answer (its req_id);
 * rounds and notices are proactive sends. Emits 'reconnecting' with the attempt number, so
 * tests await retries instead of sleeping.
 */
export class WecomChannel extends EventEmitter implements Channel {
  readonly name = 'wecom';
  // perMinute: not verified against a documented limit of the long connection; 20 a minute is the group robot's documented limit
  readonly capabilities: Capabilities = { hearsAllGroupMessages: false, mentionsById: true, files: true, privateMessages: true, perMinute: 20 };
  private readonly client: WSClient;
  private events: ChannelEvents | null = null;
  private authenticated = false;
  private running = false;
  /** the kinds of trouble said since the last successful subscription */
  private readonly said = new Set<string>();

  constructor(private readonly options: WecomChannelOptions) {
    super();
    this.client = new WSClient({
      botId: options.botId,
      secret: options.secret,
      ...(options.wsUrl ? { wsUrl: options.wsUrl } : {}),
      reconnectInterval: options.reconnectMs ?? 1000,
      ...(options.heartbeatMs ? { heartbeatInterval: options.heartbeatMs } : {}),
      // a county's bot keeps trying: the server or the secret may be fixed while it waits
      maxReconnectAttempts: -1,
      maxAuthFailureAttempts: -1,
      logger: quiet,
    });
    this.client.on('authenticated', () => {
      this.authenticated = true;
      this.said.clear();
      void this.events?.connected();
    });
    this.client.on('disconnected', (reason) => {
      if (!this.authenticated) return;
      this.authenticated = false;
      this.events?.disconnected(reason);
    });
    this.client.on('reconnecting', (attempt) => this.emit('reconnecting', attempt));
    this.client.on('error', (err) => this.onError(err));
    this.client.on('event.disconnected_event', () =>
      this.sayOnce('replaced', 'another connection with this bot id took over (the server allows one); this one stops until restarted'),
    );
    this.client.on('message.text', (frame) =>
      void this.onText(frame).catch((err) => options.log.error({ err, messageId: frame.body?.msgid }, 'message handling failed')),
    );
    this.client.on('message.file', (frame) =>
      void this.onFile(frame).catch((err) => options.log.error({ err, messageId: frame.body?.msgid }, 'a file sent to the bot could not be taken')),
    );
  }

  get connected(): boolean {
    return this.authenticated;
  }

  async start(events: ChannelEvents): Promise<void> {
    this.events = events;
    this.running = true;
    this.client.connect();
  }

  async stop(): Promise<void> {
    this.authenticated = false;
    if (!this.running) return;
    this.running = false;
    this.client.disconnect();
  }

  /** One sentence per kind of trouble until the next successful subscription, however often the SDK retries. */
  private sayOnce(kind: string, sentence: string, detail: object = {}): void {
    if (this.said.has(kind)) return;
    this.said.add(kind);
    this.options.log.warn({ channel: this.name, ...detail }, sentence);
  }

  private onError(err: Error): void {
    if (err.message.startsWith('Authentication failed')) {
      this.sayOnce('auth', 'WeCom refused the bot id and secret: check WECOM_BOT_ID and WECOM_BOT_SECRET (the robot\'s API mode page in the admin console); retrying with back-off', { reason: err.message });
    } else {
      const url = this.options.wsUrl ?? 'the default WeCom server';
      this.sayOnce('unreachable', `cannot reach the WeCom long-connection server at ${url}; retrying with back-off`, { reason: err.message });
    }
  }

  /** Who wrote where, and the reply path, as every kind of message carries them. */
  private origin(frame: WsFrame<TextMessage | FileMessage>, m: TextMessage | FileMessage) {
    const group = m.chattype === 'group' && m.chatid;
    return {
      channel: this.name,
      id: m.msgid,
      conversation: group ? { kind: 'room' as const, id: m.chatid! } : { kind: 'contact' as const, id: m.from.userid },
      // WeCom gives no display name: the userid stands in
      sender: { id: m.from.userid, name: m.from.userid },
      mentionsBot: Boolean(group),
      replyToken: frame.headers.req_id,
    };
  }

  private async onText(frame: WsFrame<TextMessage>): Promise<void> {
    const m = frame.body;
    if (!m || !this.events) return;
    const quoted = m.quote?.text?.content;
    const origin = this.origin(frame, m);
    await this.events.message({
      ...origin,
      // a group message reaches the robot only when it @mentions it; the mention leads the text
      text: origin.conversation.kind === 'room' ? m.text.content.replace(/^\s*@\S+[\s\u2005]*/, '') : m.text.content,
      ...(quoted ? { quoted } : {}),
    });
  }

  /** A file: fetched (its link lasts five minutes), decrypted by the SDK and kept; its name comes from the download, if at all. */
  private async onFile(frame: WsFrame<FileMessage>): Promise<void> {
    const m = frame.body;
    if (!m || !this.events || this.options.filesDir === undefined) return;
    const { buffer, filename } = await this.client.downloadFile(m.file.url, m.file.aeskey);
    await this.events.message({ ...this.origin(frame, m), text: '', file: keepFile(this.options.filesDir, m.msgid, filename ?? '文件', buffer) });
  }

  async send(e: Envelope): Promise<void> {
    if (!this.authenticated) throw new Error('not connected to WeCom');
    if (e.filePath) return this.sendFile(e, e.filePath);
    const content = e.conversation.kind === 'room' ? e.parts.map((p, i) => (i < e.mentions.length ? `${p}<@${e.mentions[i]}>` : p)).join('') : e.parts.join('');
    await this.answerOrPush(
      e,
      (frame) => this.client.replyStream(frame, generateReqId('stream'), content, true),
      () => this.client.sendMessage(e.conversation.id, { msgtype: 'markdown', markdown: { content } }),
    );
  }

  private async sendFile(e: Envelope, path: string): Promise<void> {
    let mediaId: string;
    try {
      ({ media_id: mediaId } = await this.client.uploadMedia(await readFile(path), { type: 'file', filename: basename(path) }));
    } catch (err) {
      if (!this.authenticated || !refusal(err)) throw err;
      throw new FileNotSent(`WeCom refused the upload: ${refusal(err)!.errmsg}`);
    }
    await this.answerOrPush(
      e,
      (frame) => this.client.replyMedia(frame, 'file', mediaId),
      () => this.client.sendMediaMessage(e.conversation.id, 'file', mediaId),
    );
  }

  /**
   * Through the reply path of the message answered, else proactively. A reply the server refuses
   * (its req_id too old, say after the outbox kept it over a restart) goes proactively instead.
   */
  private async answerOrPush(e: Envelope, answer: (frame: { headers: { req_id: string } }) => Promise<WsFrame>, push: () => Promise<WsFrame>): Promise<void> {
    if (e.replyToken) {
      try {
        await answer({ headers: { req_id: e.replyToken } });
        return;
      } catch (err) {
        if (!refusal(err)) throw err;
      }
    }
    try {
      await push();
    } catch (err) {
      const r = refusal(err);
      throw r ? new Error(`WeCom refused the message: ${r.errmsg} (${r.errcode})`) : err;
    }
  }
}
