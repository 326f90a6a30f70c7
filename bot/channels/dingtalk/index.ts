import type { DWClientDownStream } from 'dingtalk-stream';
import { TOPIC_ROBOT, type RobotTextMessage } from 'dingtalk-stream/constants';
import WebSocket from 'ws';
import { FileNotSent, type Capabilities, type Channel, type ChannelEvents, type Envelope, type Logger } from '../../core/ports.js';

export type DingTalkChannelOptions = {
  clientId: string;
  clientSecret: string;
  /** the robot's code for proactive sends; an app robot's is its Client ID unless the console says otherwise */
  robotCode?: string;
  /** https://api.dingtalk.com, or a stand-in */
  apiBase: string;
  log: Logger;
  /** the time a session webhook and an access token are checked against */
  now: () => Date;
  fetch?: typeof fetch;
  /** waits between connection attempts: the first, doubling up to the last */
  backoff?: { firstMs: number; maxMs: number };
  /** a WebSocket ping this often; no pong by the next one ends the socket */
  keepAliveMs?: number;
};

/** What a stream message carries beyond the SDK's type. */
type RobotMessage = RobotTextMessage & { conversationTitle?: string };

/** An answer to a frame: the gateway's ping echoed, a callback acknowledged (else it is pushed again). */
type UpStream = { code: 200; headers: Record<string, string | undefined>; message: 'OK'; data: string };

const GROUP_CHAT = '2';

/**
 * DingTalk stream mode: an outgoing WebSocket to DingTalk's gateway, so no public address is
 * needed. Hears group messages that @mention the robot and everything in a single chat. Answers
 * through the session webhook a message comes with (it can @mention by id); other messages
 * through the robot's OpenAPI (group and single-chat sends), where an @ is written as the name only.
 *
 * The protocol of dingtalk-stream 2.1.5 (its frames, topics and types), on `ws`: the SDK's gateway
 * address is a constant that cannot be pointed at a stand-in, it logs to the console and retries
 * every second without back-off, and it tells no one when the socket opens or drops.
 */
export class DingTalkChannel implements Channel {
  readonly name = 'dingtalk';
  // DingTalk does not state an app robot's limit here; 20 a minute is its group robots' documented one
  readonly capabilities: Capabilities = { hearsAllGroupMessages: false, mentionsById: true, files: false, privateMessages: true, perMinute: 20 };
  private events: ChannelEvents | null = null;
  private socket: WebSocket | null = null;
  private open = false;
  private stopped = false;
  private failures = 0;
  private retry: NodeJS.Timeout | null = null;
  private keepAlive: NodeJS.Timeout | null = null;
  private token: { value: string; until: number } | null = null;
  /** session webhooks still valid, by address, and each conversation's latest */
  private readonly webhooks = new Map<string, number>();
  private readonly latestWebhook = new Map<string, string>();
  /** nicknames seen, for an @ written out where the API cannot @ */
  private readonly nicks = new Map<string, string>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: DingTalkChannelOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  get connected(): boolean {
    return this.open;
  }

  async start(events: ChannelEvents): Promise<void> {
    this.events = events;
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    this.open = false;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      await closed;
    }
  }

  /** One attempt: a ticket from the gateway, then the socket; a failure waits and tries again. */
  private async connect(): Promise<void> {
    this.retry = null;
    try {
      const url = await this.ticket();
      if (this.stopped) return;
      await this.openSocket(url);
    } catch (err) {
      if (this.stopped) return;
      const backoff = this.options.backoff ?? { firstMs: 1_000, maxMs: 5 * 60_000 };
      const waitMs = Math.min(backoff.maxMs, backoff.firstMs * 2 ** this.failures);
      // one sentence per outage, not one per attempt
      if (this.failures === 0) this.options.log.warn({ reason: (err as Error).message, retryInMs: waitMs }, 'cannot reach the DingTalk stream gateway; retrying with back-off');
      this.failures++;
      this.retry = setTimeout(() => void this.connect(), waitMs);
    }
  }

  private async ticket(): Promise<string> {
    const body = { clientId: this.options.clientId, clientSecret: this.options.clientSecret, ua: 'zwgk-liaison', subscriptions: [{ type: 'CALLBACK', topic: TOPIC_ROBOT }] };
    const res = await this.post(`${this.options.apiBase}/v1.0/gateway/connections/open`, body, { accept: 'application/json' });
    const { endpoint, ticket } = res as { endpoint?: string; ticket?: string };
    if (!endpoint || !ticket) throw new Error('the gateway gave no endpoint or ticket');
    return `${endpoint}?ticket=${encodeURIComponent(ticket)}`;
  }

  private openSocket(url: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      this.socket = socket;
      let alive = true;
      socket.once('open', () => {
        if (this.failures > 0) this.options.log.info({ attempts: this.failures + 1 }, 'the DingTalk stream is open again');
        this.failures = 0;
        this.open = true;
        this.keepAlive = setInterval(() => {
          if (!alive) return socket.terminate();
          alive = false;
          socket.ping();
        }, this.options.keepAliveMs ?? 10_000);
        resolve();
        void this.events?.connected();
      });
      socket.on('pong', () => (alive = true));
      socket.on('message', (data) => this.onFrame(socket, String(data)));
      // before 'open' the error rejects the attempt; after it, 'close' follows
      socket.on('error', (err) => reject(err));
      socket.once('close', () => {
        if (this.keepAlive) clearInterval(this.keepAlive);
        const wasOpen = this.socket === socket && this.open;
        if (this.socket === socket) this.open = false;
        if (!wasOpen) return reject(new Error('the stream closed before it opened'));
        this.events?.disconnected('the DingTalk stream closed');
        if (!this.stopped) this.retry = setTimeout(() => void this.connect(), this.options.backoff?.firstMs ?? 1_000);
      });
    });
  }

  private onFrame(socket: WebSocket, raw: string): void {
    let frame: DWClientDownStream;
    try {
      frame = JSON.parse(raw) as DWClientDownStream;
    } catch {
      return this.options.log.warn({ frame: raw.slice(0, 200) }, 'a DingTalk stream frame that is not JSON was ignored');
    }
    if (!frame?.headers) return this.options.log.warn({ frame: raw.slice(0, 200) }, 'a DingTalk stream frame without headers was ignored');
    const reply = (data: string, headers: UpStream['headers']) => socket.send(JSON.stringify({ code: 200, headers, message: 'OK', data } satisfies UpStream));
    const { topic, messageId } = frame.headers;
    if (frame.type === 'SYSTEM') {
      if (topic === 'ping') reply(frame.data, frame.headers);
      // the gateway is about to close this socket: a new one now loses nothing
      else if (topic === 'disconnect') socket.close();
      return;
    }
    if (frame.type !== 'CALLBACK' || topic !== TOPIC_ROBOT) return;
    // acknowledged at once: DingTalk pushes a message again when no answer comes within a minute
    reply(JSON.stringify({ response: null }), { contentType: 'application/json', messageId });
    void this.onMessage(frame.data).catch((err) => this.options.log.error({ err, messageId }, 'message handling failed'));
  }

  /** The callback's data, parsed here: a frame that is not a message fails this promise, not the socket's listener. */
  private async onMessage(data: string): Promise<void> {
    const m = JSON.parse(data) as RobotMessage;
    // text only: a file (msgtype 'file', content.downloadCode) would need the robot's
    // messageFiles/download API and an access token; plans are sent on WeChat/WeCom or imported with `liaison import`
    if (m.msgtype !== 'text' || !this.events) return;
    const senderId = m.senderStaffId || m.senderId;
    const group = m.conversationType === GROUP_CHAT;
    const conversation = group ? { kind: 'room' as const, id: m.conversationId, title: m.conversationTitle } : { kind: 'contact' as const, id: senderId };
    this.nicks.set(senderId, m.senderNick);
    this.rememberWebhook(conversation.id, m.sessionWebhook, m.sessionWebhookExpiredTime);
    await this.events.message({
      channel: this.name,
      id: m.msgId,
      conversation,
      sender: { id: senderId, name: m.senderNick },
      // a leading @robot, where the content keeps one, the core's parser drops
      text: m.text.content.trim(),
      mentionsBot: group,
      replyToken: m.sessionWebhook,
    });
  }

  private rememberWebhook(conversationId: string, url: string, expiresAt: number): void {
    const now = this.options.now().getTime();
    for (const [u, until] of this.webhooks) if (until <= now) this.webhooks.delete(u);
    this.webhooks.set(url, expiresAt);
    this.latestWebhook.set(conversationId, url);
  }

  /** The session webhook to answer through: the message's own, else the conversation's latest, while valid. */
  private webhookFor(e: Envelope): string | null {
    const now = this.options.now().getTime();
    const valid = (url: string | null | undefined) => (url && (this.webhooks.get(url) ?? 0) > now ? url : null);
    return valid(e.replyToken) ?? valid(this.latestWebhook.get(e.conversation.id));
  }

  async send(e: Envelope): Promise<void> {
    if (e.filePath) throw new FileNotSent('this build sends no files on DingTalk');
    const webhook = this.webhookFor(e);
    if (webhook) {
      const content = interleave(e.parts, e.mentions.map((id) => `@${id}`));
      const res = (await this.post(webhook, { msgtype: 'text', text: { content }, at: { atUserIds: e.mentions, isAtAll: false } })) as { errcode?: number; errmsg?: string };
      if (res.errcode) throw new Error(`DingTalk refused the answer: ${res.errcode} ${res.errmsg ?? ''}`);
      return;
    }
    const content = interleave(e.parts, e.mentions.map((id) => `@${this.nicks.get(id) ?? id}`));
    const robotCode = this.options.robotCode ?? this.options.clientId;
    const message = { robotCode, msgKey: 'sampleText', msgParam: JSON.stringify({ content }) };
    await this.openApi(
      e.conversation.kind === 'room' ? '/v1.0/robot/groupMessages/send' : '/v1.0/robot/oToMessages/batchSend',
      e.conversation.kind === 'room' ? { ...message, openConversationId: e.conversation.id } : { ...message, userIds: [e.conversation.id] },
    );
  }

  private async openApi(path: string, body: object): Promise<void> {
    const token = await this.accessToken();
    try {
      await this.post(`${this.options.apiBase}${path}`, body, { 'x-acs-dingtalk-access-token': token });
    } catch (err) {
      // a token revoked early is fetched again on the outbox's retry
      this.token = null;
      throw err;
    }
  }

  private async accessToken(): Promise<string> {
    const now = this.options.now().getTime();
    if (this.token && this.token.until > now) return this.token.value;
    const res = (await this.post(`${this.options.apiBase}/v1.0/oauth2/accessToken`, { appKey: this.options.clientId, appSecret: this.options.clientSecret })) as { accessToken?: string; expireIn?: number };
    if (!res.accessToken) throw new Error('DingTalk gave no access token');
    // renewed five minutes early
    this.token = { value: res.accessToken, until: now + ((res.expireIn ?? 7200) - 300) * 1000 };
    return res.accessToken;
  }

  private async post(url: string, body: object, headers: Record<string, string> = {}): Promise<unknown> {
    const res = await this.fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    if (!res.ok) throw new Error(`DingTalk answered HTTP ${res.status}: ${text.slice(0, 200)}`);
    return text ? JSON.parse(text) : {};
  }
}

/** Text parts with the @mentions between them. */
function interleave(parts: string[], mentions: string[]): string {
  return parts.map((p, i) => p + (mentions[i] ?? '')).join('');
}
